import CairnCore
import Crypto
import FluentKit
import Foundation

/// The resource hub: documents (leaflets, posters, guides, training slides) with a file per
/// language and a version history. The only way to the hub's tables. Trainers and
/// coordinators change it (`manageResources`); every signed-in person reads it; the public
/// reads only public resources' current files. Every change, and each download of a
/// partners-only file, is audited (ids, languages, versions, sizes and hashes: never a name).
///
/// Uploads here; reading and downloads in `ResourceService+Reading`.
public struct ResourceService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    /// The largest file taken (`CAIRN_RESOURCE_MAX_MB`).
    let maxBytes: Int

    init(database: CairnDatabase, audit: AuditLog, maxBytes: Int) {
        self.database = database
        self.audit = audit
        self.maxBytes = maxBytes
    }

    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// What a person types about a resource.
    struct Details: Sendable {
        var title = ""
        var summary = ""
        var kind = ""
        var audience = ""
        var topics = ""
        var visibility = ""
    }

    /// A file as sent: its bytes and the name the sender gave (shown only, sanitised).
    struct Upload: Sendable {
        var fileName: String?
        var bytes: [UInt8]
    }

    /// A checked file: its type from its bytes, its safe name and its hash.
    struct CheckedFile: Sendable {
        let type: ResourceFileType
        let name: String
        let sha256: String
        let bytes: [UInt8]
    }

    struct ValidDetails: Sendable {
        let title: String, summary: String, kind: ResourceKind, audience: String, topics: String, visibility: ResourceVisibility
    }

    static func validate(_ details: Details, language: String?, fileMissing: Bool) throws -> (ValidDetails, String?) {
        var v = Validator()
        let title = v.text(details.title, field: "title", label: "Title", required: false, max: 200)
        if title.isEmpty, v.message(for: "title") == nil { v.add("title", "Enter a title") }
        let summary = v.text(details.summary, field: "summary", label: "Summary", required: false, max: 2000)
        let audience = v.text(details.audience, field: "audience", label: "Audience", required: false, max: 200)
        let topics = v.text(details.topics, field: "topics", label: "Topics", required: false, max: 300)
        let kindText = details.kind.trimmingCharacters(in: .whitespaces)
        let kind = kindText.isEmpty ? ResourceKind.leaflet : ResourceKind(rawValue: kindText)
        if kind == nil { v.add("kind", "Choose what kind of resource it is") }
        let visibility = ResourceVisibility(rawValue: details.visibility.trimmingCharacters(in: .whitespaces))
        if visibility == nil { v.add("visibility", "Choose who may see it: public, or partners only") }
        var code: String?
        if let language {
            code = ResourceLanguage.code(String(language.prefix(20)))
            if code == nil { v.add("language", "Choose the file's language from the list") }
        }
        if fileMissing { v.add("file", "Choose a file to upload") }
        try v.check()
        return (ValidDetails(title: title, summary: summary, kind: kind ?? .other, audience: audience, topics: topics, visibility: visibility ?? .partners), code)
    }

    /// Size first (413), then the type from the bytes (415); never the name or the sender's claim.
    func check(_ upload: Upload) throws -> CheckedFile {
        if upload.bytes.count > maxBytes {
            let message = "The file is \(Self.size(upload.bytes.count)); the hub takes files up to \(Self.size(maxBytes))."
            throw AppError(.contentTooLarge, title: "File too large", message, fieldErrors: [.init("file", message)])
        }
        switch ResourceSniff.detect(upload.bytes) {
        case .success(let type):
            let digest = SHA256.hash(data: upload.bytes).map { String(format: "%02x", $0) }.joined()
            return CheckedFile(type: type, name: ResourceSniff.safeFileName(upload.fileName, type: type), sha256: digest, bytes: upload.bytes)
        case .failure(let refusal):
            throw AppError(.unsupportedMediaType, title: "File type not accepted", refusal.message, fieldErrors: [.init("file", refusal.message)])
        }
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1_048_576 { return "\(bytes / 1024) KB" }
        let tenths = bytes * 10 / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10) MB" : "\(tenths / 10).\(tenths % 10) MB"
    }

    // MARK: Changes

    /// A new resource with its first file.
    func create(_ details: Details, language: String, upload: Upload?, identity: Identity, address: String, now: Date = Date()) async throws -> ResourceRecord {
        try require(identity, .manageResources)
        let (valid, code) = try Self.validate(details, language: language, fileMissing: upload == nil)
        guard let upload, let code else { throw AppError.invalid([.init("file", "Choose a file to upload")]) }
        let file = try check(upload)
        return try await db.transaction { tx in
            let resource = ResourceRecord()
            resource.id = UUID()
            Self.apply(valid, to: resource)
            resource.createdByID = identity.userID
            resource.createdAt = now
            resource.updatedAt = now
            try await resource.create(on: tx)
            let id = try resource.requireID()
            let stored = try await Self.store(file, resource: id, language: code, version: 1, note: "", identity: identity, now: now, on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "resource.uploaded", recordType: "resource", recordID: id.uuidString,
                                              address: address, detail: "\(valid.visibility.rawValue), \(Self.describe(stored))"), on: tx)
            return resource
        }
    }

    /// A new version of the file in a language (the first in a language adds it): it becomes
    /// the current one; older ones stay downloadable for partners. The version number is the
    /// language's highest plus one, read in the transaction. When two uploads for the same
    /// resource and language race, the unique index on (resource, language, version) lets one
    /// in and fails the other before it changes anything; that one is tried again, reading the
    /// new highest, so both are kept with distinct numbers (the later one current). Only if it
    /// keeps clashing (`attempts` times) is it refused with 409 (`versionClash`), nothing stored.
    func addVersion(_ id: UUID, language: String, upload: Upload?, note: String = "", identity: Identity, address: String,
                    now: Date = Date()) async throws -> ResourceFileRecord {
        try require(identity, .manageResources)
        var v = Validator()
        let code = ResourceLanguage.code(String(language.prefix(20)))
        if code == nil { v.add("language", "Choose the file's language from the list") }
        let cleanNote = v.text(note, field: "note", label: "What changed", required: false, max: 500)
        if upload == nil { v.add("file", "Choose a file to upload") }
        try v.check()
        guard let upload, let code else { throw AppError.invalid([.init("file", "Choose a file to upload")]) }
        let file = try check(upload)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await storeVersion(file, id: id, language: code, note: cleanNote, identity: identity, address: address, now: now)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                if attempt >= Self.versionAttempts { throw Self.versionClash(language: code) }
            } catch let error where Self.isSerializationFailure(error) {
                if attempt >= Self.versionAttempts { throw Self.versionClash(language: code) }
            }
        }
    }

    /// How many times an upload that clashed with another is tried before it is refused.
    static let versionAttempts = 5

    private func storeVersion(_ file: CheckedFile, id: UUID, language code: String, note cleanNote: String, identity: Identity, address: String,
                              now: Date) async throws -> ResourceFileRecord {
        try await db.transaction { tx in
            guard let resource = try await ResourceRecord.find(id, on: tx) else { throw AppError.notFound("resource") }
            guard resource.withdrawnAt == nil else { throw AppError.conflict("This resource has been withdrawn: it takes no new versions.", field: "file") }
            let earlier = try await ResourceFileRecord.query(on: tx).filter(\.$resourceID == id).filter(\.$language == code).all()
            let version = (earlier.map(\.version).max() ?? 0) + 1
            // The new row first: a racing upload that took this number fails here, before
            // anything else in this transaction is changed.
            let stored = try await Self.store(file, resource: id, language: code, version: version, note: cleanNote, identity: identity, now: now, on: tx)
            for old in earlier where old.current {
                old.current = false
                try await old.save(on: tx)
            }
            resource.updatedAt = now
            try await resource.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "resource.version.added", recordType: "resource", recordID: id.uuidString,
                                              address: address, detail: Self.describe(stored)), on: tx)
            return stored
        }
    }

    static func versionClash(language: String) -> AppError {
        AppError.conflict("Other new versions of this resource in \(ResourceLanguage.name(language) ?? language) were being uploaded at the same moment, "
                          + "so this one was not saved. Check the resource's page, then upload it again if it is still needed.", field: "file")
    }

    /// PostgreSQL's "could not serialize access" (40001) or a deadlock (40P01) between two
    /// uploads of the same resource: the same clash, told the same way.
    static func isSerializationFailure(_ error: any Error) -> Bool {
        guard !(error is AppError) else { return false }
        let text = String(reflecting: error)
        return text.contains("40001") || text.contains("40P01")
    }

    func update(_ id: UUID, _ details: Details, identity: Identity, address: String, now: Date = Date()) async throws -> ResourceRecord {
        try require(identity, .manageResources)
        let (valid, _) = try Self.validate(details, language: nil, fileMissing: false)
        return try await db.transaction { tx in
            guard let resource = try await ResourceRecord.find(id, on: tx) else { throw AppError.notFound("resource") }
            var changed: [String] = []
            if resource.title != valid.title { changed.append("title") }
            if resource.summary != valid.summary { changed.append("summary") }
            if resource.kind != valid.kind.rawValue { changed.append("kind") }
            if resource.audience != valid.audience { changed.append("audience") }
            if resource.topics != valid.topics { changed.append("topics") }
            if resource.visibility != valid.visibility.rawValue { changed.append("visibility \(valid.visibility.rawValue)") }
            Self.apply(valid, to: resource)
            resource.updatedAt = now
            try await resource.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "resource.updated", recordType: "resource", recordID: id.uuidString,
                                              address: address, detail: changed.isEmpty ? "no change" : "changed: " + changed.joined(separator: ", ")), on: tx)
            return resource
        }
    }

    /// Takes a resource off the public page and the hub's current list; its files stay for partners.
    func withdraw(_ id: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        try require(identity, .manageResources)
        try await db.transaction { tx in
            guard let resource = try await ResourceRecord.find(id, on: tx) else { throw AppError.notFound("resource") }
            guard resource.withdrawnAt == nil else { throw AppError.conflict("This resource has already been withdrawn.") }
            resource.withdrawnAt = now
            resource.updatedAt = now
            try await resource.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "resource.withdrawn", recordType: "resource", recordID: id.uuidString,
                                              address: address), on: tx)
        }
    }

    static func apply(_ valid: ValidDetails, to resource: ResourceRecord) {
        resource.title = valid.title
        resource.summary = valid.summary
        resource.kind = valid.kind.rawValue
        resource.audience = valid.audience
        resource.topics = valid.topics
        resource.visibility = valid.visibility.rawValue
    }

    static func store(_ file: CheckedFile, resource: UUID, language: String, version: Int, note: String, identity: Identity, now: Date,
                      on db: any Database) async throws -> ResourceFileRecord {
        let record = ResourceFileRecord()
        record.id = UUID()
        record.resourceID = resource
        record.language = language
        record.version = version
        record.current = true
        record.fileName = file.name
        record.fileType = file.type.rawValue
        record.byteCount = file.bytes.count
        record.sha256 = file.sha256
        record.note = note
        record.uploadedByID = identity.userID
        record.uploadedAt = now
        try await record.create(on: db)
        let blob = ResourceBlob()
        blob.id = record.id
        blob.data = Data(file.bytes)
        try await blob.create(on: db)
        return record
    }

    static func describe(_ file: ResourceFileRecord) -> String {
        "file \(file.id?.uuidString ?? ""), language \(file.language), version \(file.version), \(file.fileType), \(file.byteCount) bytes, sha256 \(file.sha256)"
    }
}
