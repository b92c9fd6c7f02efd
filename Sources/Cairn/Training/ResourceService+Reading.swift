import CairnCore
import FluentKit
import Foundation

/// Reading the hub: the staff list and a resource's page (any signed-in person), the public
/// list (everyone, public resources only), and downloads.
extension ResourceService {
    struct Filter: Sendable {
        var language = ""
        var kind = ""
        var visibility = ""
        var page = 1
    }

    struct Row: Sendable {
        let resource: ResourceRecord
        /// The current file in each language, by language code.
        let files: [ResourceFileRecord]
    }

    struct Detail: Sendable {
        let resource: ResourceRecord
        /// Every file, newest version first within each language.
        let files: [ResourceFileRecord]
    }

    struct PublicItem: Sendable {
        let resource: ResourceRecord
        let file: ResourceFileRecord
        /// True when the resource has no file in the language asked for and English is shown.
        let fallback: Bool
    }

    struct Download: Sendable {
        let file: ResourceFileRecord
        let data: Data
    }

    static let perPage = 25

    /// The hub's resources, newest change first, a page at a time.
    func list(_ filter: Filter, identity: Identity) async throws -> (rows: [Row], total: Int) {
        try require(identity, .signedIn)
        let query = ResourceRecord.query(on: db)
        if let kind = ResourceKind(rawValue: filter.kind) { query.filter(\.$kind == kind.rawValue) }
        if let visibility = ResourceVisibility(rawValue: filter.visibility) { query.filter(\.$visibility == visibility.rawValue) }
        if let code = ResourceLanguage.code(filter.language) {
            let ids = try await ResourceFileRecord.query(on: db).filter(\.$language == code).filter(\.$current == true).field(\.$resourceID).all().map(\.resourceID)
            guard !ids.isEmpty else { return ([], 0) }
            query.filter(\.$id ~~ Array(Set(ids)))
        }
        let total = try await query.copy().count()
        let range = Pagination.rows(page: filter.page, perPage: Self.perPage)
        let resources = try await query.sort(\.$updatedAt, .descending).sort(\.$id).range(range).all()
        let ids = try resources.map { try $0.requireID() }
        let files = ids.isEmpty ? [] : try await ResourceFileRecord.query(on: db).filter(\.$resourceID ~~ ids).filter(\.$current == true).all()
        let byResource = Dictionary(grouping: files, by: \.resourceID)
        return (try resources.map { Row(resource: $0, files: (byResource[try $0.requireID()] ?? []).sorted { $0.language < $1.language }) }, total)
    }

    func detail(_ id: UUID, identity: Identity) async throws -> Detail {
        try require(identity, .signedIn)
        guard let resource = try await ResourceRecord.find(id, on: db) else { throw AppError.notFound("resource") }
        let files = try await ResourceFileRecord.query(on: db).filter(\.$resourceID == id).all()
            .sorted { ($0.language, -$0.version) < ($1.language, -$1.version) }
        return Detail(resource: resource, files: files)
    }

    /// The public resources in `language`, or in English (marked) where they have no file in it.
    func publicList(language: String) async throws -> [PublicItem] {
        let resources = try await ResourceRecord.query(on: db).filter(\.$visibility == ResourceVisibility.public.rawValue)
            .filter(\.$withdrawnAt == nil).sort(\.$title).all()
        let ids = try resources.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let files = try await ResourceFileRecord.query(on: db).filter(\.$resourceID ~~ ids).filter(\.$current == true).all()
        let byResource = Dictionary(grouping: files, by: \.resourceID)
        return try resources.compactMap { resource in
            let mine = byResource[try resource.requireID()] ?? []
            if let own = mine.first(where: { $0.language == language }) { return PublicItem(resource: resource, file: own, fallback: false) }
            if let english = mine.first(where: { $0.language == "en" }) { return PublicItem(resource: resource, file: english, fallback: true) }
            return nil
        }
    }

    /// A file by its id. Everyone may have a public resource's current file; anything else
    /// (partners only, an older version, a withdrawn resource) needs a sign-in and is "not
    /// found" without one, and its download is audited.
    func download(_ fileID: UUID, identity: Identity?, address: String) async throws -> Download {
        guard let file = try await ResourceFileRecord.find(fileID, on: db) else { throw AppError.notFound("file") }
        return try await serve(file, identity: identity, address: address)
    }

    /// A resource's current file in `language`, else in English, else its first language.
    func currentFile(_ resourceID: UUID, language: String?, identity: Identity?, address: String) async throws -> Download {
        let files = try await ResourceFileRecord.query(on: db).filter(\.$resourceID == resourceID).filter(\.$current == true).all()
            .sorted { $0.language < $1.language }
        let code = language.flatMap { ResourceLanguage.code($0) }
        guard let file = files.first(where: { $0.language == code }) ?? files.first(where: { $0.language == "en" }) ?? files.first else {
            throw AppError.notFound("file")
        }
        return try await serve(file, identity: identity, address: address)
    }

    private func serve(_ file: ResourceFileRecord, identity: Identity?, address: String) async throws -> Download {
        guard let resource = try await ResourceRecord.find(file.resourceID, on: db) else { throw AppError.notFound("file") }
        let open = resource.isPublic && file.current
        if !open, identity == nil { throw AppError.notFound("file") }
        guard let blob = try await ResourceBlob.find(try file.requireID(), on: db) else { throw AppError.notFound("file") }
        if !open, let identity {
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "resource.downloaded", recordType: "resource",
                                              recordID: file.resourceID.uuidString, address: address,
                                              detail: "\(resource.visibility), \(Self.describe(file))"))
        }
        return Download(file: file, data: blob.data)
    }
}
