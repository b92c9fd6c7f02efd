import CairnCore
import Foundation

/// A record as the audit log names it: its type and id.
public struct AuditRecordKey: Sendable, Hashable {
    public var type: String
    public var id: String
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }
}

/// Turns a reference people quote (a report's `CRN-7K4P-Q2`, a case's `SC-7K4P-Q2`) into the
/// records the audit log names. Each capability that hands out references answers for its own;
/// the audit log never reads their tables.
public protocol AuditReferenceResolver: Sendable {
    /// nil when the text is not this capability's kind of reference; an empty list when it is
    /// one but no record has it.
    func auditRecords(forReference text: String) async throws -> [AuditRecordKey]?
}

/// Searching the audit log, for the people allowed to read it: the web page and the CLI both
/// come through here. Every search is itself written to the log.
public struct AuditReader: Sendable {
    let audit: AuditLog
    let resolvers: [any AuditReferenceResolver]

    public init(audit: AuditLog, resolvers: [any AuditReferenceResolver]) {
        self.audit = audit
        self.resolvers = resolvers
    }

    static let badReference = "Enter a reference like CRN-7K4P-Q2 (a report) or SC-7K4P-Q2 (a case)"

    /// The records a reference names, or nil when no capability recognises it.
    func records(forReference text: String) async throws -> [AuditRecordKey]? {
        for resolver in resolvers {
            if let keys = try await resolver.auditRecords(forReference: text) { return keys }
        }
        return nil
    }

    /// Searches as `identity` (who must hold `.viewAuditLog`), or as the command line on the
    /// server itself when `identity` is nil and `actor` says so.
    public func search(_ search: AuditLog.Search, reference: String, identity: Identity?, actor: AuditActor, address: String)
        async throws -> (entries: [AuditEntry], total: Int)
    {
        if let identity {
            guard identity.can(.viewAuditLog) else { throw AppError.forbidden }
        } else if actor.id != nil || !actor.name.hasPrefix("cli") {
            throw AppError.unauthenticated
        }
        var search = search
        let reference = reference.trimmingCharacters(in: .whitespaces)
        if !reference.isEmpty {
            guard let keys = try await records(forReference: reference) else {
                throw AppError.invalid([.init("reference", Self.badReference)])
            }
            search.records = keys
        }
        let result = try await audit.search(search)
        try await audit.append(AuditEvent(actor: actor, action: "audit.searched", recordType: "audit", address: address,
                                          detail: reference.isEmpty ? "" : "by reference"))
        return result
    }
}
