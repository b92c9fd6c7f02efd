import CairnCore
import FluentKit
import Foundation

/// Where a release stands. Drafts and proposals can be withdrawn; an approved release is
/// published, signed and never changed again.
enum ReleaseStatus: String, CaseIterable, Sendable {
    case draft, proposed, approved, withdrawn

    var label: String {
        switch self {
        case .draft: "Draft"
        case .proposed: "Proposed for approval"
        case .approved: "Approved and published"
        case .withdrawn: "Withdrawn"
        }
    }
}

/// A statistical release. `cells` holds the published tables (`[PublishedTable]` JSON, values
/// null where hidden), `truth` the true count behind every cell in the same order (never
/// shown or sent anywhere; later checks need it), `checkResult` the attacker check.
final class StatisticsRelease: Model, @unchecked Sendable {
    static let schema = "statistics_releases"
    @ID(key: .id) var id: UUID?
    @Field(key: "period") var period: String
    @Field(key: "method") var method: String
    /// `ReleaseDefinition` JSON.
    @Field(key: "definition") var definition: String
    @Field(key: "status") var status: String
    @OptionalField(key: "revises_id") var revisesID: UUID?
    @Field(key: "revision_note") var revisionNote: String
    @OptionalField(key: "cells") var cells: String?
    @OptionalField(key: "truth") var truth: String?
    @OptionalField(key: "check_result") var checkResult: String?
    @Field(key: "safe") var safe: Bool
    @Field(key: "created_by_id") var createdByID: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "proposed_at") var proposedAt: Date?
    @OptionalField(key: "approved_by_id") var approvedByID: UUID?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    /// Its place in the partnership's chain of approved releases (1, 2, 3 …).
    @OptionalField(key: "sequence") var sequence: Int?
    @OptionalField(key: "hash") var hash: String?
    /// The signed release exactly as published (`SignedRelease` JSON).
    @OptionalField(key: "signed") var signed: String?

    init() {}

    var releaseStatus: ReleaseStatus { ReleaseStatus(rawValue: status) ?? .draft }
    var releaseMethod: ReleaseMethod { ReleaseMethod(rawValue: method) ?? .suppression }
}

/// A year's privacy budget: how much has been spent, in millionths of ε or ρ.
final class PrivacyBudget: Model, @unchecked Sendable {
    static let schema = "privacy_budgets"
    @ID(custom: "year", generatedBy: .user) var id: Int?
    @Field(key: "measure") var measure: String
    @Field(key: "spent_micros") var spentMicros: Int64

    init() {}
}

/// One spend of the privacy budget, by one release.
final class PrivacySpend: Model, @unchecked Sendable {
    static let schema = "privacy_spends"
    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "release_id") var releaseID: UUID
    @Field(key: "measure") var measure: String
    @Field(key: "micros") var micros: Int64
    @Field(key: "spent_at") var spentAt: Date

    init() {}
}

/// The partnership's Ed25519 signing key (one row, slot 1), made on first use.
final class ReleaseKey: Model, @unchecked Sendable {
    static let schema = "release_keys"
    @ID(custom: "slot", generatedBy: .user) var id: Int?
    @Field(key: "public_key") var publicKey: String
    @Field(key: "private_key") var privateKey: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One hidden cell's result in the attacker check, as stored and shown to the approver.
struct HiddenCellCheck: Codable, Sendable, Hashable {
    let table: String
    let cell: String
    let reason: String
    /// What an attacker can narrow it to ("0 to 12"); the true value is never stored here.
    let interval: String
    let protected: Bool
    let explanation: String?
}
