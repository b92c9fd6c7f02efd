import CairnCore
import FluentKit
import SQLKit
import Foundation

/// The case team's side of the survivor's view: offering it (a one-time code handed over in
/// person), suspending, resuming and ending it, reading and answering messages, the survivor's
/// own ratings and requests. Every step goes through the case team's access check.
extension SurvivorService {
    struct Offer: Sendable {
        /// Shown once, to be handed over in person; only its hash is kept.
        let code: String
        let expiresAt: Date
    }

    struct TeamView: Sendable {
        let teamCase: CaseSurvivorView.TeamCase
        let account: SurvivorAccount?
        let messages: [SurvivorMessage]
        let ratings: [SurvivorRating]
        let requests: [SurvivorRequest]
        /// Names of the team members who wrote replies.
        let authors: [UUID: String]
    }

    /// The view's state for the case team, its messages (the survivor's are marked read) and
    /// the survivor's ratings and requests. Audited.
    func teamView(_ caseID: UUID, identity: Identity, address: String, via: String, now: Date = Date()) async throws -> TeamView {
        let c = try await cases.authorise(caseID, identity: identity)
        let account = try await SurvivorAccount.query(on: db).filter(\.$caseID == caseID).first()
        let messages = try await SurvivorMessage.query(on: db).filter(\.$caseID == caseID).sort(\.$createdAt, .ascending).all()
        let unread = messages.filter { $0.fromSurvivor && $0.readAt == nil }
        if !unread.isEmpty {
            try await SurvivorMessage.query(on: db).filter(\.$id ~~ unread.compactMap(\.id)).set(\.$readAt, to: now).update()
        }
        let ratings = try await SurvivorRating.query(on: db).filter(\.$caseID == caseID).all().sorted { $0.order < $1.order }
        let requests = try await SurvivorRequest.query(on: db).filter(\.$caseID == caseID).sort(\.$createdAt, .descending).all()
        let authorIDs = Array(Set(messages.compactMap(\.authorID)))
        let users = authorIDs.isEmpty ? [] : try await User.query(on: db).filter(\.$id ~~ authorIDs).all()
        let authors = Dictionary(try users.map { (try $0.requireID(), $0.displayName) }, uniquingKeysWith: { first, _ in first })
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "survivor_view.team_viewed", recordType: "case", recordID: caseID.uuidString,
                                          address: address, detail: "\(via); \(messages.count) messages, \(unread.count) newly read"))
        return TeamView(teamCase: c, account: account, messages: messages, ratings: ratings, requests: requests, authors: authors)
    }

    /// Offers the view: a new one-time code valid for 72 hours. Refused (409) while a view is
    /// active or suspended: end it first, so an old passphrase never lingers beside a new code.
    func offer(_ caseID: UUID, identity: Identity, language: PublicLanguage, address: String, now: Date = Date()) async throws -> Offer {
        let c = try await cases.authorise(caseID, identity: identity)
        let code = Self.newCode()
        let expires = now.addingTimeInterval(Self.codeLifetime)
        try await db.transaction { tx in
            let existing = try await SurvivorAccount.query(on: tx).filter(\.$caseID == c.id).first()
            if let existing, [.active, .suspended].contains(existing.viewStatus) {
                throw AppError.conflict("The survivor's view of this case is \(existing.viewStatus.label.lowercased()). End it first to give a new code.")
            }
            let account = existing ?? SurvivorAccount()
            if existing == nil {
                account.id = UUID()
                account.caseID = c.id
            }
            account.status = SurvivorViewStatus.offered.rawValue
            account.reference = nil
            account.passphraseHash = nil
            account.safePassphraseHash = nil
            account.activationCodeHash = Secrets.sha256Hex(Self.normalisedCode(code))
            account.activationExpiresAt = expires
            account.language = language.rawValue
            account.failedSignIns = 0
            account.lockedUntil = nil
            account.offeredByID = identity.userID
            account.offeredAt = now
            account.activatedAt = nil
            account.updatedAt = now
            try await account.save(on: tx)
            try await SurvivorSession.query(on: tx).filter(\.$accountID == (try account.requireID())).delete()
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "survivor_view.offered", recordType: "case", recordID: c.id.uuidString,
                                              address: address, detail: "the survivor's choice; code valid until \(Int(expires.timeIntervalSince1970))"), on: tx)
        }
        return Offer(code: code, expiresAt: expires)
    }

    enum Change: String, Sendable {
        case suspend, resume, end
    }

    /// Suspends (signs the survivor out everywhere; the passphrase is kept), resumes, or ends the
    /// view (the passphrases and reference are forgotten; only a new offer opens it again).
    func change(_ caseID: UUID, _ change: Change, identity: Identity, address: String, now: Date = Date()) async throws {
        let c = try await cases.authorise(caseID, identity: identity)
        try await db.transaction { tx in
            guard let account = try await SurvivorAccount.query(on: tx).filter(\.$caseID == c.id).first(), account.viewStatus != .ended else {
                throw AppError.conflict("The survivor's view of this case is not open.")
            }
            switch change {
            case .suspend:
                guard account.viewStatus == .active else { throw AppError.conflict("Only an active view can be suspended.") }
                account.status = SurvivorViewStatus.suspended.rawValue
            case .resume:
                guard account.viewStatus == .suspended else { throw AppError.conflict("Only a suspended view can be resumed.") }
                account.status = SurvivorViewStatus.active.rawValue
            case .end:
                try Self.end(account)
            }
            account.updatedAt = now
            try await account.save(on: tx)
            try await SurvivorSession.query(on: tx).filter(\.$accountID == (try account.requireID())).delete()
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "survivor_view.\(change.rawValue)", recordType: "case",
                                              recordID: c.id.uuidString, address: address, detail: "by the case team"), on: tx)
        }
    }

    static func end(_ account: SurvivorAccount) throws {
        account.status = SurvivorViewStatus.ended.rawValue
        account.reference = nil
        account.passphraseHash = nil
        account.safePassphraseHash = nil
        account.activationCodeHash = nil
        account.activationExpiresAt = nil
    }

    /// A reply from the case team, shown in the survivor's view.
    func reply(_ caseID: UUID, body: String, identity: Identity, address: String, now: Date = Date()) async throws {
        let c = try await cases.authorise(caseID, identity: identity)
        var v = Validator()
        let text = v.text(body, field: "body", label: "Message", max: Self.maxMessage)
        try v.check()
        let message = SurvivorMessage()
        message.id = UUID()
        message.caseID = c.id
        message.fromSurvivor = false
        message.authorID = identity.userID
        message.body = text
        message.interpreterNeeded = false
        message.language = ""
        message.createdAt = now
        try await db.transaction { tx in
            try await message.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "survivor_view.reply_sent", recordType: "case", recordID: c.id.uuidString,
                                              address: address, detail: "message \(try message.requireID().uuidString)"), on: tx)
        }
    }

    /// Marks a correction or deletion request done.
    func completeRequest(_ caseID: UUID, requestID: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        let c = try await cases.authorise(caseID, identity: identity)
        guard let request = try await SurvivorRequest.query(on: db).filter(\.$id == requestID).filter(\.$caseID == c.id).first() else {
            throw AppError.notFound("request")
        }
        if request.doneAt != nil { throw AppError.conflict("This request is already marked done.") }
        request.doneAt = now
        request.doneByID = identity.userID
        try await request.save(on: db)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "survivor_view.request_done", recordType: "case", recordID: c.id.uuidString,
                                          address: address, detail: "request \(requestID.uuidString)"))
    }

    // MARK: Codes and references

    /// Twelve letters and digits that cannot be mistaken for each other, in groups of four.
    static let codeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")

    static func newCode() -> String {
        let characters = randomCharacters(12)
        return [0, 4, 8].map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }

    /// `count` characters of `codeAlphabet`, from the system's secure generator.
    static func randomCharacters(_ count: Int) -> [Character] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in codeAlphabet[Int(rng.next(upperBound: UInt(codeAlphabet.count)))] }
    }

    /// A code as typed: case, spaces and dashes do not matter.
    static func normalisedCode(_ text: String) -> String {
        String(text.uppercased().filter { $0.isLetter || $0.isNumber }.prefix(40))
    }

    /// A short reference, three and three: `K7P-4QX`.
    static func newReference() -> String {
        let characters = randomCharacters(6)
        return String(characters[0..<3]) + "-" + String(characters[3..<6])
    }

    static func normalisedReference(_ text: String) -> String {
        let plain = String(text.uppercased().filter { $0.isLetter || $0.isNumber }.prefix(20))
        guard plain.count == 6 else { return plain }
        return String(plain.prefix(3)) + "-" + String(plain.suffix(3))
    }
}

/// The case team's work: unread messages and open requests from the survivors of their cases.
extension SurvivorService: WorkSource {
    func work(for identity: Identity, context: WorkContext) async throws -> [WorkItem] {
        guard identity.can(.workCases) else { return [] }
        let teamCases = try await cases.teamCases(of: identity.userID)
        guard !teamCases.isEmpty else { return [] }
        let ids = Array(teamCases.keys)
        let unread = try await SurvivorMessage.query(on: db).filter(\.$caseID ~~ ids).filter(\.$fromSurvivor == true).filter(\.$readAt == nil).all()
        let requests = try await SurvivorRequest.query(on: db).filter(\.$caseID ~~ ids).filter(\.$doneAt == nil).all()
        var items: [WorkItem] = []
        for (caseID, messages) in Dictionary(grouping: unread, by: \.caseID) {
            let code = teamCases[caseID] ?? ""
            let interpreter = messages.contains(where: \.interpreterNeeded)
            items.append(WorkItem(.survivorMessage, title: "\(messages.count) unread message\(messages.count == 1 ? "" : "s") from the survivor on case \(code)",
                                  detail: interpreter ? "An interpreter is needed" : "",
                                  href: SurvivorRoute.team(.value(caseID)).path, since: messages.map(\.createdAt).max()))
        }
        for request in requests {
            items.append(WorkItem(.survivorMessage, title: "The survivor asks to \(request.kind == "delete" ? "delete" : "correct") something on case \(teamCases[request.caseID] ?? "")",
                                  href: SurvivorRoute.team(.value(request.caseID)).path(fragment: "requests"), since: request.createdAt))
        }
        return items
    }
}

extension SurvivorService {
    /// Forgets everything the view holds about cases being anonymised (retention "as for the
    /// case"): the account and its sessions, messages, ratings and requests.
    @Sendable static func erase(_ caseIDs: [UUID], on sql: any SQLDatabase) async throws {
        guard !caseIDs.isEmpty else { return }
        let group = SQLBind.group(caseIDs)
        try await sql.delete(from: SurvivorSession.schema)
            .where("account_id", .in, SQLSubquery.select { $0.column("id").from(SurvivorAccount.schema).where("case_id", .in, group) }).run()
        for table in [SurvivorMessage.schema, SurvivorRating.schema, SurvivorRequest.schema, SurvivorAccount.schema] {
            try await sql.delete(from: table).where("case_id", .in, group).run()
        }
    }
}
