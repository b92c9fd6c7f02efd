import CairnCore
import Crypto
import Disclosure
import FluentKit
import Foundation

/// The national side: the only way to its partnerships, the releases it accepted and its
/// tables. Administrators register partnerships and their keys (`manageNational`); everyone
/// signed in to a national instance reads its tables (`viewNational`); releases arrive
/// signed, and the signature is their credential. Only published cells are ever stored.
///
/// The parts: registering here, receiving in `+Receive`, tables and pages' data in `+Reading`.
struct NationalService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    /// Sums of published cells from 1 to k−1 are withheld from the national tables.
    let threshold: Int
    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// What an administrator types to register a partnership.
    struct Registration: Sendable {
        var id = ""
        var name = ""
        var region = ""
        var publicKey = ""
    }

    /// A partnership id is what it signs with: 2 to 40 letters, digits or hyphens, lower case.
    static func isPartnershipID(_ text: String) -> Bool {
        (2...40).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    static func publicKey(_ text: String) -> Curve25519.Signing.PublicKey? {
        guard text.count <= 100, let data = Data(base64Encoded: text) else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: data)
    }

    func register(_ input: Registration, identity: Identity, address: String) async throws -> String {
        try require(identity, .manageNational)
        return try await register(input, actor: identity.auditActor, address: address)
    }

    /// Registers a partnership (also `cairn national register`). A second registration of the
    /// same id or key is refused (409).
    func register(_ input: Registration, actor: AuditActor, address: String, now: Date = Date()) async throws -> String {
        var v = Validator()
        let id = input.id.trimmingCharacters(in: .whitespaces).lowercased()
        if !Self.isPartnershipID(id) { v.add("id", "Enter the partnership's id as it signs its releases: 2 to 40 letters, digits or hyphens, such as westmere.") }
        let name = v.text(input.name, field: "name", label: "Name", max: 200)
        let region = v.text(input.region, field: "region", label: "Region", max: 100)
        let key = input.publicKey.trimmingCharacters(in: .whitespacesAndNewlines)
        if Self.publicKey(key) == nil { v.add("publicKey", "Enter the partnership's Ed25519 public key in base64, as its /api/v1/releases/key gives it.") }
        try v.check()
        if try await NationalPartnership.find(id, on: db) != nil { throw AppError.conflict("A partnership with the id \(id) is already registered.", field: "id") }
        if try await NationalPartnership.query(on: db).filter(\.$publicKey == key).first() != nil {
            throw AppError.conflict("That public key is already registered for another partnership.", field: "publicKey")
        }
        let row = NationalPartnership()
        row.id = id
        row.name = name
        row.region = region
        row.publicKey = key
        row.registeredAt = now
        do {
            try await db.transaction { tx in
                try await row.create(on: tx)
                try await audit.append(AuditEvent(actor: actor, action: "national.partnership_registered", recordType: "national_partnership",
                                                  recordID: id, address: address, detail: region), on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict("A partnership with the id \(id) or that key is already registered.", field: "id")
        }
        return id
    }
}
