import FluentKit
import Foundation

/// One line of the append-only audit log. `hash` = SHA-256 over the entry's canonical text and
/// the previous entry's hash, so editing, deleting or re-ordering any entry breaks the chain.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_entries"
    @ID(custom: "seq", generatedBy: .user) public var id: Int?
    /// Milliseconds since 1970: an integer hashes the same on every database.
    @Field(key: "at_ms") public var atMilliseconds: Int64
    @OptionalField(key: "actor_id") public var actorID: UUID?
    /// The actor's email at the time, so the log reads on its own after a user is renamed.
    @Field(key: "actor") public var actor: String
    @Field(key: "action") public var action: String
    @Field(key: "record_type") public var recordType: String
    @Field(key: "record_id") public var recordID: String
    @Field(key: "address") public var address: String
    /// Short, non-personal detail (e.g. "roles: analyst,viewer"); never free text about people.
    @Field(key: "detail") public var detail: String
    @Field(key: "prev_hash") public var previousHash: String
    @Field(key: "hash") public var hash: String

    public init() {}

    public var date: Date { Date(timeIntervalSince1970: Double(atMilliseconds) / 1000) }

    /// The exact text that is hashed. Fields are length-prefixed so no value can imitate a separator.
    var canonicalText: String {
        let parts = [
            String(id ?? 0), String(atMilliseconds), actorID?.uuidString.lowercased() ?? "", actor, action,
            recordType, recordID, address, detail, previousHash,
        ]
        return parts.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}

/// The single row that holds the end of the chain. Appending first updates this row, which
/// takes the write lock (SQLite) or the row lock (PostgreSQL), so concurrent appends from
/// several instances are serialised and the chain never forks.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "audit_head"
    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seq") var seq: Int
    @Field(key: "hash") var hash: String
    init() {}
}
