import CairnCore
import FluentKit
import Foundation
import SQLKit

/// The hub's read interface for campaigns, which name the hub resources they use: the
/// resources to choose from and what is known of chosen ones (title, languages, whether
/// withdrawn), as plain values, never the hub's models.
struct ResourceChoices: Sendable {
    let database: CairnDatabase

    struct Choice: Sendable, Equatable {
        let id: UUID
        let title: String
        /// The languages it has a current file in (`ResourceLanguage` codes), in the list's order.
        let languages: [String]
        let withdrawn: Bool

        /// "Know your rights at work (English, Romanian)".
        var label: String {
            let names = languages.compactMap(ResourceLanguage.name)
            return names.isEmpty ? title : "\(title) (\(names.joined(separator: ", ")))"
        }
    }

    /// Every resource not withdrawn, by title.
    func choices() async throws -> [Choice] {
        let rows = try await database.sql.raw("SELECT id, title, withdrawn_at FROM resources WHERE withdrawn_at IS NULL ORDER BY title").all()
        return try await choices(rows)
    }

    /// The resources among `ids` that exist (withdrawn ones too), in `ids`' order; an id
    /// missing from the answer names no resource.
    func find(_ ids: [UUID]) async throws -> [Choice] {
        guard !ids.isEmpty else { return [] }
        var found: [Choice] = []
        for chunk in SQLRows.chunks(ids) {
            let rows = try await database.sql.select().column("id").column("title").column("withdrawn_at").from("resources")
                .where("id", .in, SQLBind.group(chunk)).all()
            found += try await choices(rows)
        }
        return ids.compactMap { id in found.first { $0.id == id } }
    }

    private func choices(_ rows: [any SQLRow]) async throws -> [Choice] {
        let heads = try rows.map {
            (id: try $0.decode(column: "id", as: UUID.self), title: try $0.decode(column: "title", as: String.self),
             withdrawn: try $0.decode(column: "withdrawn_at", as: Date?.self) != nil)
        }
        var languages: [UUID: Set<String>] = [:]
        for chunk in SQLRows.chunks(heads.map(\.id)) {
            let files = try await database.sql.select().column("resource_id").column("language").from("resource_files")
                .where("resource_id", .in, SQLBind.group(chunk)).all()
            for file in files {
                languages[try file.decode(column: "resource_id", as: UUID.self), default: []].insert(try file.decode(column: "language", as: String.self))
            }
        }
        return heads.map { head in
            let codes = languages[head.id] ?? []
            return Choice(id: head.id, title: head.title, languages: ResourceLanguage.names.map(\.code).filter(codes.contains), withdrawn: head.withdrawn)
        }
    }
}
