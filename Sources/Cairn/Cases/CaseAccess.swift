import CairnCore
import FluentKit
import Foundation

/// A case as the access check let a person at it: the case, and the member of its team who
/// is acting. Only the check in this file makes one, and every operation on a case's
/// consent, needs, care plan, NRM, outcomes, warnings, contacts and team takes one, so no
/// caller reaches a case's records without the check. Reads and changes audit themselves; the
/// check does not.
struct AuthorisedCase: Sendable {
    let id: UUID
    /// The case as it was read at the check. A change that depends on fields that can change
    /// (its status) reads it again in its transaction (`current(on:)`); what is fixed when the
    /// case is opened (its name, when it was opened) is read from here.
    let record: SupportCase
    let identity: Identity

    fileprivate init(id: UUID, record: SupportCase, identity: Identity) {
        self.id = id
        self.record = record
        self.identity = identity
    }

    /// The same case for what Cairn records itself after this person's change (two missed
    /// contacts in a row are a warning sign).
    var forCairn: CairnCase { CairnCase(id: id) }

    /// The case as `db` (a change's transaction) sees it now.
    func current(on db: any Database) async throws -> SupportCase {
        try await CaseService.current(id, on: db)
    }
}

/// A case Cairn itself acts on, for the warning signs it detects: no person acts, so nothing
/// is checked (the change itself finds the case or answers "not found"). Made only here, from
/// a case Cairn found itself.
struct CairnCase: Sendable {
    let id: UUID

    fileprivate init(id: UUID) {
        self.id = id
    }
}

extension CaseService {
    /// The case, if the person is a caseworker on its team; 404 for everyone else (whether the
    /// case exists is not disclosed). Not audited: what is then read or changed is.
    func authorise(_ id: UUID, identity: Identity) async throws -> AuthorisedCase {
        guard identity.can(.workCases),
              try await CaseTeamMember.query(on: db).filter(\.$caseID == id).filter(\.$userID == identity.userID).first() != nil
        else { throw AppError.notFound("case") }
        return AuthorisedCase(id: id, record: try await Self.current(id, on: db), identity: identity)
    }

    /// The case for Cairn's own detections (a report linked to the one the case came from),
    /// from the record Cairn read.
    func forCairn(_ record: SupportCase) throws -> CairnCase {
        CairnCase(id: try record.requireID())
    }

    fileprivate static func current(_ id: UUID, on db: any Database) async throws -> SupportCase {
        guard let record = try await SupportCase.find(id, on: db) else { throw AppError.notFound("case") }
        return record
    }
}
