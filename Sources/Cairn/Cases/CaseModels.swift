import CairnCore
import FluentKit
import Foundation

/// A survivor-support case. Pseudonymous: a code and a chosen name; who the person is lives
/// in `CaseIdentityRecord`, seen only by the case team and audited at each view.
public final class SupportCase: Model, @unchecked Sendable {
    public static let schema = "cases"
    @ID(key: .id) public var id: UUID?
    /// `SC-XXXX-XX`, unique.
    @Field(key: "code") public var code: String
    /// The name the survivor chose to be called by.
    @Field(key: "chosen_name") public var chosenName: String
    /// `CaseStatus` raw value.
    @Field(key: "status") public var status: String
    /// `RiskLevel` raw value (re-exploitation).
    @Field(key: "risk_level") public var riskLevel: String
    @Field(key: "interpreter_needed") public var interpreterNeeded: Bool
    /// The language to use with the survivor (as they name it).
    @Field(key: "language") public var language: String
    /// "Tell us once": the survivor's account, recorded once and shared within consent.
    @Field(key: "account") public var account: String
    @Field(key: "lead_agency_id") public var leadAgencyID: UUID
    @OptionalField(key: "report_id") public var reportID: UUID?
    @Field(key: "opened_at") public var openedAt: Date
    @Field(key: "opened_by_id") public var openedByID: UUID
    @OptionalField(key: "closed_at") public var closedAt: Date?
    @OptionalField(key: "closure_reason") public var closureReason: String?
    @OptionalField(key: "follow_up_plan") public var followUpPlan: String?
    @Field(key: "updated_at") public var updatedAt: Date
    /// `AgeGroup` raw value: a possible child is treated as a child (NRM without consent).
    @Field(key: "age_group") public var ageGroup: String

    public init() {}

    var age: AgeGroup { AgeGroup(rawValue: ageGroup) ?? .unknown }

    /// What to show wherever contact happens: the interpreter need, or else the language.
    static func contactLanguage(interpreterNeeded: Bool, language: String) -> String {
        interpreterNeeded ? "Interpreter needed: \(language)" : (language.isEmpty ? "" : "Language: \(language)")
    }

    var contactLanguage: String { Self.contactLanguage(interpreterNeeded: interpreterNeeded, language: language) }
    var caseStatus: CaseStatus { CaseStatus(rawValue: status) ?? .open }
    var risk: RiskLevel { RiskLevel(rawValue: riskLevel) ?? .low }
}

/// Who the survivor is. Kept apart from the case so lists and counts never touch it.
public final class CaseIdentityRecord: Model, @unchecked Sendable {
    public static let schema = "case_identities"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "legal_name") public var legalName: String
    @Field(key: "date_of_birth") public var dateOfBirth: String
    @Field(key: "nationality") public var nationality: String
    @Field(key: "languages") public var languages: String
    @Field(key: "contact") public var contact: String

    public init() {}
}

/// A named member of a case team. Only team members see the case.
public final class CaseTeamMember: Model, @unchecked Sendable {
    public static let schema = "case_team"
    @ID(key: .id) public var id: UUID?
    @Field(key: "case_id") public var caseID: UUID
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "added_at") public var addedAt: Date
    @OptionalField(key: "added_by_id") public var addedByID: UUID?

    public init() {}
    init(caseID: UUID, userID: UUID, addedBy: UUID?, at: Date = Date()) {
        self.caseID = caseID
        self.userID = userID
        self.addedByID = addedBy
        self.addedAt = at
    }
}
