import FluentKit
import FluentSQL
import Foundation

/// `case_consents.anonymised_sharing`: whether the survivor agreed that their case may be
/// shared anonymised (the HTCDS export reads only such cases); off for every consent recorded
/// before. And `case_pseudonym_keys`: the installation's secret for pseudonymous case ids
/// (an HMAC of the case id), made once here so every instance on the database uses the same.
/// Tables are named as strings: a migration must not change when a model does.
struct AddAnonymisedSharing: AsyncMigration {
    var name: String { "034_add_anonymised_sharing" }
    func prepare(on db: any Database) async throws {
        try await db.schema("case_consents").field("anonymised_sharing", .bool, .required, .sql(.default(false))).update()
        try await db.schema("case_pseudonym_keys")
            .field("id", .int, .identifier(auto: false))
            .field("secret", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.sqlDatabase().insert(into: "case_pseudonym_keys").columns("id", "secret", "created_at")
            .values(SQLBind(1), SQLBind(Secrets.token(bytes: 32)), SQLBind(Date())).run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("case_pseudonym_keys").delete()
        try await db.schema("case_consents").deleteField("anonymised_sharing").update()
    }
}
