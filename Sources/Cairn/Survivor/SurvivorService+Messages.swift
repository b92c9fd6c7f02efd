import CairnCore
import FluentKit
import Foundation

/// Messages between the survivor and their case team: text only, in any language, with the
/// survivor's "I need an interpreter" and the language. Replies the survivor has seen are
/// marked read; the team's unread count is on its work queue.
extension SurvivorService {
    /// The conversation, oldest first; the team's replies are marked read.
    func messages(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws -> [SurvivorMessage] {
        guard !s.safe else {
            try await log(s, "survivor_view.viewed", address, "messages")
            return []
        }
        let rows = try await SurvivorMessage.query(on: db).filter(\.$caseID == s.caseID).sort(\.$createdAt, .ascending).all()
        let unread = rows.filter { !$0.fromSurvivor && $0.readAt == nil }.compactMap(\.id)
        if !unread.isEmpty { try await SurvivorMessage.query(on: db).filter(\.$id ~~ unread).set(\.$readAt, to: now).update() }
        try await log(s, "survivor_view.viewed", address, "messages")
        return rows
    }

    /// A message from the survivor to the case team. Errors are in the survivor's language.
    func send(_ s: SurvivorIdentity, body: String, interpreter: Bool, language: String, address: String, now: Date = Date()) async throws {
        guard !s.safe else { throw AppError.notFound() }
        let t = SurvivorText(language: s.language)
        var problems: [AppError.FieldError] = []
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { problems.append(.init("body", t("error.messageEmpty"))) }
        if text.count > Self.maxMessage || text.unicodeScalars.contains(where: Validator.isDisallowedControl) {
            problems.append(.init("body", t("error.messageLong", ["max": String(Self.maxMessage)])))
        }
        let named = language.trimmingCharacters(in: .whitespacesAndNewlines)
        if named.count > Self.maxLanguage || named.unicodeScalars.contains(where: Validator.isDisallowedControl) {
            problems.append(.init("language", t("error.languageLong", ["max": String(Self.maxLanguage)])))
        }
        if !problems.isEmpty { throw AppError.invalid(problems) }
        try await post(s, text: text, interpreter: interpreter, language: interpreter ? named : "", address: address, now: now)
    }

    /// "I want to talk about ending support": a message to the team, in the survivor's words.
    func askAboutEndingSupport(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws {
        guard !s.safe else { throw AppError.notFound() }
        let t = SurvivorText(language: s.language)
        let english = SurvivorText(language: .en)("endSupport.message")
        let text = s.language == .en ? english : "\(t("endSupport.message")) (\(english))"
        try await post(s, text: text, interpreter: false, language: "", address: address, now: now)
    }

    private func post(_ s: SurvivorIdentity, text: String, interpreter: Bool, language: String, address: String, now: Date) async throws {
        try await db.transaction { tx in
            _ = try await account(s, on: tx)
            let message = SurvivorMessage()
            message.id = UUID()
            message.caseID = s.caseID
            message.fromSurvivor = true
            message.authorID = nil
            message.body = text
            message.interpreterNeeded = interpreter
            message.language = language
            message.createdAt = now
            try await message.create(on: tx)
            try await log(s, "survivor_view.message_sent", address, "message \(try message.requireID().uuidString)\(interpreter ? "; interpreter needed" : "")", on: tx)
        }
    }
}
