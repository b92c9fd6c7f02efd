import CairnCore
import Disclosure
import FluentKit
import Foundation

extension NationalService {
    /// What the national instance says when it accepts a release.
    struct Receipt: Sendable {
        let partnership: String
        let sequence: Int
        let hash: String
        /// Hidden cells of the partnership's releases that year, checked again with this one.
        let hiddenCells: Int
        /// Of those, the ones an attacker could narrow (or that could not be checked): the
        /// national tables never show a figure that includes them.
        let exposed: Int
    }

    /// Takes a signed release from a partnership (`POST /api/v1/national/releases`). It is
    /// checked (registered key, signature, new, next in the chain, period, tables, and that a
    /// revision names an accepted release of the same period) and refused with the reason as a
    /// 422, storing nothing but an audit line; or stored exactly as signed, with the
    /// partnership's year checked again by the attacker check.
    func receive(_ release: SignedRelease, address: String, now: Date = Date()) async throws -> Receipt {
        let claimed = Self.isPartnershipID(release.partnership) ? release.partnership : "(not a partnership id)"
        func refuse(_ rejection: ReleaseRejection) async throws -> Never {
            try await audit.append(AuditEvent(actor: .anonymous, action: "national.release_rejected", recordType: "national_partnership",
                                              recordID: claimed, address: address, detail: rejection.message))
            throw AppError(.unprocessableContent, title: "Release rejected", rejection.message)
        }
        let partner = Self.isPartnershipID(release.partnership) ? try await NationalPartnership.find(release.partnership, on: db) : nil
        let last = try await NationalRelease.query(on: db).filter(\.$partnershipID == release.partnership).sort(\.$sequence, .descending).first()
        let hash = release.hash
        let seen = try await NationalRelease.query(on: db).filter(\.$hash == hash).count() > 0
        do {
            try ReleaseVerifier.verify(release, key: partner.flatMap { Self.publicKey($0.publicKey) }, last: last.map { ($0.sequence, $0.hash) },
                                       seenHashes: seen ? [hash] : [])
        } catch {
            try await refuse(error)
        }
        let earlier = try await releases(of: release.partnership)
        if let revises = release.revises {
            guard earlier.contains(where: { $0.id == revises && $0.period == release.period }) else {
                try await refuse(.badSchema("it revises '\(revises.prefix(60))', which is not an accepted release of \(release.partnership) for \(release.period)"))
            }
        }
        let year = PublicationCheck.year(of: release.period)
        let findings = PublicationCheck.hiddenCells(earlier + [release], year: year)
        let body = try Self.encoder.encode(release)
        let row = NationalRelease()
        row.partnershipID = release.partnership
        row.sequence = release.sequence
        row.releaseID = release.id
        row.period = release.period
        row.method = release.method
        row.revises = release.revises
        row.hash = hash
        row.previous = release.previous
        row.body = String(decoding: body, as: UTF8.self)
        row.receivedAt = now
        let exposed = findings.filter(\.isExposed).count
        do {
            try await db.transaction { tx in
                try await row.create(on: tx)
                let checkID = "\(release.partnership)|\(year)"
                try await NationalCheck.query(on: tx).filter(\.$id == checkID).delete()
                let check = NationalCheck()
                check.id = checkID
                check.partnershipID = release.partnership
                check.year = year
                check.findings = String(decoding: try Self.encoder.encode(findings), as: UTF8.self)
                check.checkedAt = now
                try await check.create(on: tx)
                try await audit.append(AuditEvent(actor: .anonymous, action: "national.release_accepted", recordType: "national_release",
                                                  recordID: row.id?.uuidString ?? "", address: address,
                                                  detail: "\(release.partnership) #\(release.sequence); \(release.period); \(findings.count) hidden cells, \(exposed) exposed"), on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict("Another copy of this release, or another release of \(release.partnership), was accepted at the same moment; fetch the chain and send the next one.")
        }
        return Receipt(partnership: release.partnership, sequence: release.sequence, hash: hash, hiddenCells: findings.count, exposed: exposed)
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }

    /// A partnership's accepted releases in chain order.
    func releases(of partnership: String) async throws -> [SignedRelease] {
        try await NationalRelease.query(on: db).filter(\.$partnershipID == partnership).sort(\.$sequence).all().map(Self.decode)
    }

    static func decode(_ row: NationalRelease) throws -> SignedRelease {
        guard let release = try? JSONDecoder().decode(SignedRelease.self, from: Data(row.body.utf8)) else {
            throw AppError(.internalServerError, "A stored national release could not be read.")
        }
        return release
    }
}
