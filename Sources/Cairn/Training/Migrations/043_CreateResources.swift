import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The resource hub: resources (`resources`), their files, one row per version per language
/// (`resource_files`, the current one flagged), and the files' bytes (`resource_blobs`: a
/// blob on SQLite, bytea on PostgreSQL), kept apart so lists never read them.
/// Tables are named as strings: a migration must not change when a model does.
struct CreateResources: AsyncMigration {
    var name: String { "043_create_resources" }
    func prepare(on db: any Database) async throws {
        try await db.schema("resources")
            .id()
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("kind", .string, .required)
            .field("audience", .string, .required)
            .field("topics", .string, .required)
            .field("visibility", .string, .required)
            .field("withdrawn_at", .datetime)
            .field("created_by_id", .uuid, .required, .references("users", .id))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await db.schema("resource_files")
            .id()
            .field("resource_id", .uuid, .required, .references("resources", .id, onDelete: .cascade))
            .field("language", .string, .required)
            .field("version", .int, .required)
            .field("current", .bool, .required)
            .field("file_name", .string, .required)
            .field("file_type", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by_id", .uuid, .required, .references("users", .id))
            .field("uploaded_at", .datetime, .required)
            .unique(on: "resource_id", "language", "version")
            .create()
        try await db.schema("resource_blobs")
            .id()
            .field("data", .data, .required)
            .foreignKey("id", references: "resource_files", .id, onDelete: .cascade)
            .create()
        let sql = try db.sqlDatabase()
        try await sql.create(index: "resource_files_resource").on("resource_files").column("resource_id").run()
        try await sql.create(index: "resources_visibility").on("resources").column("visibility").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["resource_blobs", "resource_files", "resources"] { try await db.schema(table).delete() }
    }
}
