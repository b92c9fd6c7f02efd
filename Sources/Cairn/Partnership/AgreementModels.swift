import CairnCore
import FluentKit
import Foundation

// Storage of information-sharing agreements and of the shares none covered
// (`CreateSharingAgreements`). Only the agreement service reads or writes these.

final class SharingAgreement: Model, @unchecked Sendable {
    static let schema = "sharing_agreements"
    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "purpose") var purpose: String
    /// Comma-separated `SharedDataCategory` raw values.
    @Field(key: "categories") var categoriesText: String
    /// `LawfulBasis` raw value.
    @Field(key: "lawful_basis") var lawfulBasis: String
    /// `SpecialCategoryCondition` raw value, when the agreement covers special-category data.
    @OptionalField(key: "special_condition") var specialCondition: String?
    @Field(key: "signed_on") var signedOn: String
    @Field(key: "review_on") var reviewOn: String
    /// When it was last reviewed (and its review date moved on).
    @OptionalField(key: "reviewed_on") var reviewedOn: String?
    @Field(key: "document_title") var documentTitle: String
    @Field(key: "document_url") var documentURL: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var categories: Set<SharedDataCategory> {
        get { Set(categoriesText.split(separator: ",").compactMap { SharedDataCategory(rawValue: String($0)) }) }
        set { categoriesText = SharedDataCategory.allCases.filter(newValue.contains).map(\.rawValue).joined(separator: ",") }
    }

    /// The terms the rules read, with its parties; nil only if stored dates were damaged.
    func terms(parties: Set<UUID>) -> AgreementTerms? {
        guard let signed = try? CalendarDate(parsing: signedOn), let review = try? CalendarDate(parsing: reviewOn) else { return nil }
        return AgreementTerms(parties: parties, categories: categories, lawfulBasis: LawfulBasis(rawValue: lawfulBasis) ?? .e,
                              specialCondition: specialCondition.flatMap(SpecialCategoryCondition.init(rawValue:)), signedOn: signed, reviewOn: review)
    }
}

final class SharingAgreementParty: Model, @unchecked Sendable {
    static let schema = "sharing_agreement_parties"
    @ID(key: .id) var id: UUID?
    @Field(key: "agreement_id") var agreementID: UUID
    @Field(key: "agency_id") var agencyID: UUID

    init() {}
    init(agreement: UUID, agency: UUID) {
        id = UUID()
        agreementID = agreement
        agencyID = agency
    }
}

/// One share no agreement in force covered: when, how, from and to whom. Nothing about what
/// or whom it was about.
final class UncoveredShare: Model, @unchecked Sendable {
    static let schema = "uncovered_shares"
    @ID(key: .id) var id: UUID?
    @Field(key: "shared_on") var sharedOn: String
    /// `ShareKind` raw value.
    @Field(key: "kind") var kind: String
    @Field(key: "from_agency_id") var fromAgencyID: UUID
    @Field(key: "to_agency_id") var toAgencyID: UUID
    @Field(key: "categories") var categories: String

    init() {}
}
