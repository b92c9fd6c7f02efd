import FluentKit

struct CreateRoleSecurityPolicies: AsyncMigration {
    var name: String { "005_create_role_security_policies" }
    func prepare(on db: any Database) async throws {
        try await db.schema("role_security_policies")
            .field("role", .string, .identifier(auto: false))
            .field("require_two_factor", .bool, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("role_security_policies").delete() }
}
