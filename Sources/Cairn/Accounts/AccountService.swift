import CairnCore
import FluentKit
import SQLKit
import Foundation

/// Agencies and people: the administration of the partnership's membership.
public struct AccountService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let auth: AuthService

    public init(database: CairnDatabase, audit: AuditLog, auth: AuthService) {
        self.database = database
        self.audit = audit
        self.auth = auth
    }

    // MARK: Agencies

    public struct AgencyInput: Sendable {
        public var name: String?
        public var type: String?
        public var firstResponder: Bool?
        public var area: String?
        /// `PartnerService` raw values; nil keeps the agency's current services.
        public var services: [String]?
        public init(name: String? = nil, type: String? = nil, firstResponder: Bool? = nil, area: String? = nil, services: [String]? = nil) {
            self.name = name
            self.type = type
            self.firstResponder = firstResponder
            self.area = area
            self.services = services
        }
    }

    /// Validates an agency's fields; for an update, fields left nil keep their value.
    func validate(_ input: AgencyInput, existing: Agency?) throws -> (name: String, type: AgencyType, firstResponder: Bool, area: String, services: Set<PartnerService>) {
        var v = Validator()
        let kept = input.name == nil ? existing?.name : nil, keptArea = input.area == nil ? existing?.area : nil
        let name = kept ?? v.text(input.name, field: "name", label: "Name", max: 120)
        let area = keptArea ?? v.text(input.area, field: "area", label: "Area", max: 120)
        var type = existing?.agencyType ?? .other
        if let raw = input.type {
            if let t = AgencyType(rawValue: raw) { type = t } else {
                v.add("type", raw.isEmpty ? "Choose the type of agency" : "Agency type must be one of: \(AgencyType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } else if existing == nil {
            v.add("type", "Choose the type of agency")
        }
        if !name.isEmpty, name.count < 2 { v.add("name", "Name must be at least 2 characters") }
        var services = existing?.services ?? []
        if let raw = input.services {
            services = Set(raw.compactMap(PartnerService.init(rawValue:)))
            let unknown = raw.filter { PartnerService(rawValue: $0) == nil }
            if !unknown.isEmpty {
                v.add("services", "Services must be among: \(PartnerService.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        try v.check()
        return (name, type, input.firstResponder ?? existing?.firstResponder ?? false, area, services)
    }

    public func createAgency(_ input: AgencyInput, actor: AuditActor, address: String) async throws -> Agency {
        let fields = try validate(input, existing: nil)
        return try await database.db.transaction { tx in
            if try await Agency.query(on: tx).filter(\.$name == fields.name).first() != nil {
                throw AppError.conflict("An agency called \"\(fields.name)\" already exists", field: "name")
            }
            let agency = Agency(name: fields.name, type: fields.type, firstResponder: fields.firstResponder, area: fields.area, services: fields.services)
            try await agency.create(on: tx)
            try await audit.append(AuditEvent(actor: actor, action: "agency.created", recordType: "agency", recordID: try agency.requireID().uuidString, address: address, detail: "type: \(fields.type.rawValue)"), on: tx)
            return agency
        }
    }

    public func updateAgency(id: UUID, _ input: AgencyInput, actor: AuditActor, address: String) async throws -> Agency {
        try await database.db.transaction { tx in
            guard let agency = try await Agency.find(id, on: tx) else { throw AppError.notFound("agency") }
            let fields = try validate(input, existing: agency)
            if fields.name != agency.name, try await Agency.query(on: tx).filter(\.$name == fields.name).first() != nil {
                throw AppError.conflict("An agency called \"\(fields.name)\" already exists", field: "name")
            }
            agency.name = fields.name
            agency.type = fields.type.rawValue
            agency.firstResponder = fields.firstResponder
            agency.area = fields.area
            agency.services = fields.services
            try await agency.save(on: tx)
            try await audit.append(AuditEvent(actor: actor, action: "agency.updated", recordType: "agency", recordID: id.uuidString, address: address), on: tx)
            return agency
        }
    }

    public enum AgencySort: String, Sendable, CaseIterable { case name, type, area }

    public func agencies(sort: AgencySort = .name, descending: Bool = false) async throws -> [Agency] {
        let direction: DatabaseQuery.Sort.Direction = descending ? .descending : .ascending
        let query = Agency.query(on: database.db)
        switch sort {
        case .name: query.sort(\.$name, direction)
        case .type: query.sort(\.$type, direction).sort(\.$name)
        case .area: query.sort(\.$area, direction).sort(\.$name)
        }
        return try await query.all()
    }

    public func agency(_ id: UUID) async throws -> Agency {
        guard let agency = try await Agency.find(id, on: database.db) else { throw AppError.notFound("agency") }
        return agency
    }

    // MARK: Users

    public struct UserInput: Sendable {
        public var email: String?
        public var displayName: String?
        public var agencyID: String?
        public var roles: [String]?
        public var password: String?
        public var disabled: Bool?
        public init(email: String? = nil, displayName: String? = nil, agencyID: String? = nil, roles: [String]? = nil, password: String? = nil, disabled: Bool? = nil) {
            self.email = email
            self.displayName = displayName
            self.agencyID = agencyID
            self.roles = roles
            self.password = password
            self.disabled = disabled
        }
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !email.contains(where: { $0.isWhitespace })
    }

    private func parseRoles(_ raw: [String], into v: inout Validator) -> Set<Role> {
        var roles = Set<Role>()
        for name in raw {
            if let role = Role(rawValue: name) { roles.insert(role) } else {
                v.add("roles", "\"\(String(name.prefix(40)))\" is not a role; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if raw.isEmpty { v.add("roles", "Choose at least one role") }
        return roles
    }

    /// Creates a person. Without a password, a temporary one is generated and returned; the
    /// person must change it when they first sign in.
    public func createUser(_ input: UserInput, actor: AuditActor, address: String) async throws -> (user: User, temporaryPassword: String?) {
        var v = Validator()
        let email = v.text(input.email, field: "email", label: "Email address", max: 254).lowercased()
        if !email.isEmpty && email.count <= 254 && !Self.isPlausibleEmail(email) { v.add("email", "Enter an email address in the right format, like name@example.org") }
        let name = v.text(input.displayName, field: "displayName", label: "Name", max: 120)
        let agencyID = UUID(uuidString: input.agencyID ?? "")
        if agencyID == nil { v.add("agencyId", "Choose the person's agency") }
        let roles = parseRoles(input.roles ?? [], into: &v)
        var temporary: String?
        var password = input.password ?? ""
        if password.isEmpty {
            temporary = AuthService.temporaryPassword()
            password = try temporary.checked()
        } else {
            for problem in AuthService.passwordProblems(password, email: email) { v.add("password", problem) }
        }
        try v.check()
        let hash = try await auth.hashPassword(password)
        let mustChange = temporary != nil
        let user: User = try await database.db.transaction { tx in
            guard try await Agency.find(agencyID, on: tx) != nil else {
                throw AppError.invalid([.init("agencyId", "There is no such agency")])
            }
            if try await User.query(on: tx).filter(\.$email == email).first() != nil {
                throw AppError.conflict("A user with the email address \(email) already exists", field: "email")
            }
            let user = User()
            user.email = email
            user.displayName = name
            user.$agency.id = try agencyID.checked()
            user.roles = roles
            user.passwordHash = hash
            user.disabled = false
            user.failedSignIns = 0
            user.mustChangePassword = mustChange
            user.createdAt = Date()
            try await user.create(on: tx)
            try await audit.append(AuditEvent(actor: actor, action: "user.created", recordType: "user", recordID: try user.requireID().uuidString, address: address,
                                              detail: "roles: \(Role.storageString(roles))"), on: tx)
            return user
        }
        return (user, temporary)
    }

    public func updateUser(id: UUID, _ input: UserInput, actor: AuditActor, address: String) async throws -> User {
        var v = Validator()
        let name = input.displayName.map { v.text($0, field: "displayName", label: "Name", max: 120) }
        let roles = input.roles.map { parseRoles($0, into: &v) }
        let agencyID = input.agencyID.flatMap { UUID(uuidString: $0) }
        if input.agencyID != nil, agencyID == nil { v.add("agencyId", "Choose the person's agency") }
        if input.email != nil { v.add("email", "An email address cannot be changed; create a new account instead") }
        try v.check()
        return try await database.db.transaction { tx in
            guard let user = try await User.find(id, on: tx) else { throw AppError.notFound("user") }
            var changes: [String] = []
            var endSessions = false
            if let name, name != user.displayName { user.displayName = name; changes.append("name") }
            if let roles, roles != user.roles {
                if user.id == actor.id, user.roles.contains(.administrator), !roles.contains(.administrator) {
                    throw AppError.conflict("You cannot remove your own administrator role; ask another administrator", field: "roles")
                }
                user.roles = roles
                changes.append("roles: \(Role.storageString(roles))")
                endSessions = true
            }
            if let agencyID, agencyID != user.$agency.id {
                guard try await Agency.find(agencyID, on: tx) != nil else { throw AppError.invalid([.init("agencyId", "There is no such agency")]) }
                user.$agency.id = agencyID
                changes.append("agency: \(agencyID.uuidString)")
                endSessions = true
            }
            if let disabled = input.disabled, disabled != user.disabled {
                if disabled, user.id == actor.id { throw AppError.conflict("You cannot disable your own account", field: "disabled") }
                user.disabled = disabled
                changes.append(disabled ? "disabled" : "enabled")
                endSessions = endSessions || disabled
            }
            guard !changes.isEmpty else { return user }
            try await user.save(on: tx)
            try await audit.append(AuditEvent(actor: actor, action: "user.updated", recordType: "user", recordID: id.uuidString, address: address,
                                              detail: changes.joined(separator: "; ")), on: tx)
            if endSessions {
                // New roles, agency or a disabled account take effect at once, not at the next sign-in.
                try await SessionRecord.query(on: tx).filter(\.$user.$id == id).delete()
            }
            return user
        }
    }

    public func setDisabled(id: UUID, _ disabled: Bool, actor: AuditActor, address: String) async throws -> User {
        try await updateUser(id: id, UserInput(disabled: disabled), actor: actor, address: address)
    }

    /// Sets a new temporary password (returned once) and ends the person's sessions.
    public func resetPassword(id: UUID, actor: AuditActor, address: String) async throws -> String {
        let temporary = AuthService.temporaryPassword()
        let hash = try await auth.hashPassword(temporary)
        try await database.db.transaction { tx in
            guard let user = try await User.find(id, on: tx) else { throw AppError.notFound("user") }
            user.passwordHash = hash
            user.mustChangePassword = true
            user.failedSignIns = 0
            user.lockedUntil = nil
            try await user.save(on: tx)
            try await SessionRecord.query(on: tx).filter(\.$user.$id == id).delete()
            try await audit.append(AuditEvent(actor: actor, action: "user.password_reset", recordType: "user", recordID: id.uuidString, address: address), on: tx)
        }
        return temporary
    }

    /// Removes the person's two-factor set-up (e.g. a lost phone) and ends their sessions.
    public func resetTwoFactor(id: UUID, actor: AuditActor, address: String) async throws {
        try await database.db.transaction { tx in
            guard let user = try await User.find(id, on: tx) else { throw AppError.notFound("user") }
            user.totpSecret = nil
            user.totpLastStep = nil
            try await user.save(on: tx)
            try await RecoveryCode.query(on: tx).filter(\.$userID == id).delete()
            try await SessionRecord.query(on: tx).filter(\.$user.$id == id).delete()
            try await audit.append(AuditEvent(actor: actor, action: "user.two_factor_reset", recordType: "user", recordID: id.uuidString, address: address), on: tx)
        }
    }

    public enum UserSort: String, Sendable, CaseIterable { case name, email, agency, created }

    public struct UserQuery: Sendable {
        public var search = ""
        public var agencyID: UUID?
        public var role: Role?
        public var includeDisabled = true
        public var sort = UserSort.name
        public var descending = false
        public var page = 1
        public var perPage = 25
        public init() {}
    }

    public func users(_ q: UserQuery) async throws -> (users: [User], total: Int) {
        let query = User.query(on: database.db).with(\.$agency)
        if !q.search.isEmpty {
            query.group(.or) {
                $0.filter(SQLLike(SQLColumn("email", table: User.schema), .contains, q.search).filter)
                    .filter(SQLLike(SQLColumn("display_name", table: User.schema), .contains, q.search).filter)
            }
        }
        if let agencyID = q.agencyID { query.filter(\.$agency.$id == agencyID) }
        if let role = q.role { query.filter(\.$rolesText, .custom("LIKE"), "%\(role.rawValue)%") }
        if !q.includeDisabled { query.filter(\.$disabled == false) }
        let total = try await query.copy().count()
        let direction: DatabaseQuery.Sort.Direction = q.descending ? .descending : .ascending
        switch q.sort {
        case .name: query.sort(\.$displayName, direction)
        case .email: query.sort(\.$email, direction)
        case .agency: query.join(Agency.self, on: \User.$agency.$id == \Agency.$id).sort(Agency.self, \.$name, direction)
        case .created: query.sort(\.$createdAt, direction)
        }
        let users = try await query.sort(\.$email).range(Pagination.rows(page: q.page, perPage: q.perPage)).all()
        return (users, total)
    }

    public func user(_ id: UUID) async throws -> User {
        guard let user = try await User.query(on: database.db).filter(\.$id == id).with(\.$agency).first() else { throw AppError.notFound("user") }
        return user
    }

    public func user(email: String) async throws -> User? {
        try await User.query(on: database.db).filter(\.$email == email.lowercased()).with(\.$agency).first()
    }

    // MARK: Security policy

    public func twoFactorPolicy() async throws -> [Role: Bool] {
        let rows = try await RoleSecurityPolicy.query(on: database.db).all()
        var result = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, false) })
        for row in rows { if let role = row.id.flatMap(Role.init(rawValue:)) { result[role] = row.requireTwoFactor } }
        return result
    }

    public func setTwoFactorPolicy(_ required: Set<Role>, actor: AuditActor, address: String) async throws {
        try await database.db.transaction { tx in
            try await RoleSecurityPolicy.query(on: tx).delete()
            for role in Role.allCases { try await RoleSecurityPolicy(role: role, requireTwoFactor: required.contains(role)).create(on: tx) }
            try await audit.append(AuditEvent(actor: actor, action: "security.two_factor_policy", recordType: "policy", recordID: "two_factor", address: address,
                                              detail: "required for: \(required.isEmpty ? "none" : Role.storageString(required))"), on: tx)
        }
    }
}
