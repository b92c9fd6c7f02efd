import FluentKit
import Foundation

/// A partnership a national instance takes releases from: its id (as it signs), name, region
/// and Ed25519 public key (base64).
final class NationalPartnership: Model, @unchecked Sendable {
    static let schema = "national_partnerships"
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "region") var region: String
    @Field(key: "public_key") var publicKey: String
    @Field(key: "registered_at") var registeredAt: Date

    init() {}
}

/// A release a national instance accepted, exactly as signed (`SignedRelease` JSON in `body`).
final class NationalRelease: Model, @unchecked Sendable {
    static let schema = "national_releases"
    @ID(key: .id) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: String
    @Field(key: "sequence") var sequence: Int
    @Field(key: "release_id") var releaseID: String
    @Field(key: "period") var period: String
    @Field(key: "method") var method: String
    @OptionalField(key: "revises") var revises: String?
    @Field(key: "hash") var hash: String
    @OptionalField(key: "previous") var previous: String?
    @Field(key: "body") var body: String
    @Field(key: "received_at") var receivedAt: Date

    init() {}
}

/// The attacker check over everything one partnership published in one year
/// (`[HiddenCellFinding]` JSON), made again each time it sends a release of that year.
final class NationalCheck: Model, @unchecked Sendable {
    static let schema = "national_checks"
    /// `partnership|year`.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "partnership_id") var partnershipID: String
    @Field(key: "year") var year: String
    @Field(key: "findings") var findings: String
    @Field(key: "checked_at") var checkedAt: Date

    init() {}
}
