import ArgumentParser
import Cairn
import CairnCore
import Foundation
import Hummingbird
import Logging

@main
struct CairnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "Cairn: the shared working system of a local anti-slavery partnership.",
        discussion: """
            Settings come from flags, then the environment, then a .env file in the working
            directory. The database is --database URL or CAIRN_DATABASE_URL: sqlite://PATH
            (default sqlite://cairn.sqlite) or postgres://user:password@host:port/database.
            """,
        subcommands: [Serve.self, Migrate.self, Demo.self, UserCommand.self, AgencyCommand.self, TokenCommand.self,
                      BackupCommand.self, RestoreCommand.self, AuditCommand.self, LinkCommand.self, RetentionCommand.self, HTCDSCommand.self,
                      NationalCommand.self]
    )
}

/// The database option every command shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL: sqlite://PATH or postgres://user:password@host:port/database (env CAIRN_DATABASE_URL; default sqlite://cairn.sqlite).")
    var database: String?

    func config(extra: [String: String] = [:]) throws -> AppConfig {
        var flags = extra
        if let database { flags["database"] = database }
        do {
            return try AppConfig.load(flags: flags, dotEnv: AppConfig.readDotEnv(at: ".env"))
        } catch let error as AppConfig.Invalid {
            throw ValidationError(error.description)
        }
    }
}

/// Runs a command body with migrated services, then closes the database.
func withServices<T>(_ config: AppConfig, _ body: (AppServices) async throws -> T) async throws -> T {
    let logger = CLILog.logger(level: .warning)
    let services: AppServices
    do {
        services = try AppServices(config: config, logger: logger)
    } catch {
        throw ValidationError("cannot open the database \(config.database): \(error)")
    }
    do {
        try await services.database.connect()
        try await services.database.migrate()
        let result = try await body(services)
        await services.shutdown()
        return result
    } catch {
        await services.shutdown()
        throw error
    }
}

enum CLILog {
    static let bootstrapped: Void = {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
    }()

    static func logger(level: Logger.Level) -> Logger {
        _ = bootstrapped
        var logger = Logger(label: "cairn")
        logger.logLevel = level
        return logger
    }
}

/// Turns a service error into one clear line and a non-zero exit.
func explain(_ error: any Error) -> any Error {
    if let app = error as? AppError {
        let fields = app.fieldErrors.map { "  - \($0.field): \($0.message)" }.joined(separator: "\n")
        return ValidationError(app.fieldErrors.count > 1 ? "\(app.title):\n\(fields)" : app.detail)
    }
    return error
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the web server (web UI, JSON API, /health and /metrics).")

    @Option(help: "Address to listen on (env CAIRN_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "TCP port (env CAIRN_PORT; default 8080).") var port: Int?
    @Flag(help: "Load the fictional demo partnership into an empty database; every demo account's password is demo-password.") var demo = false
    @Flag(help: "Run as a national instance: registered partnerships, the releases they send, and national tables; nothing of a partnership's own (env CAIRN_NATIONAL).") var national = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        var flags: [String: String] = [:]
        if national { flags["national"] = "true" }
        if let host { flags["host"] = host }
        if let port { flags["port"] = String(port) }
        if demo { flags["demo"] = "true" }
        let config = try db.config(extra: flags)
        let logger = CLILog.logger(level: config.logLevel)
        // SQLite: this process is the database's only server until it exits (DatabaseLock).
        let lock: DatabaseLock?
        do {
            lock = try DatabaseLock.acquire(config.database, for: .serve)
        } catch let busy as DatabaseLock.Busy {
            throw ValidationError("Cairn cannot start: \(busy). An SQLite database is served by one instance; run several on PostgreSQL.")
        }
        // Every connection is a file descriptor: take all the system allows before sizing the limits.
        let files = OpenFileLimit.raiseToHardLimit()
        let connections = ConnectionGuard.Limits(config: config)
        logger.notice("connection limits", metadata: [
            "open_files": .string(files.now.map(String.init) ?? "unlimited"), "open_files_before": .string(files.before.map(String.init) ?? "unlimited"),
            "max_connections": .stringConvertible(connections.maxConnections), "per_address": .stringConvertible(connections.maxPerAddress),
        ])
        let services = try AppServices(config: config, logger: logger)
        do {
            try await services.prepare(logger: logger)
        } catch {
            await services.shutdown()
            throw ValidationError("Cairn cannot start: the database \(config.database) is not usable: \(error)")
        }
        let app: any ApplicationProtocol
        do {
            app = try await buildApplication(services: services, logger: logger).0
        } catch {
            await services.shutdown()
            throw ValidationError("Cairn cannot start: \(error)")
        }
        logger.notice("Cairn listening", metadata: ["url": .string("http://\(config.host):\(config.port)/"), "database": .string(config.database.description)])
        if config.demo && config.national {
            FileHandle.standardError.write(Data("\n*** DEMO MODE: a fictional national picture of three partnerships; every demo account's password is demo-password ***\n*** Sign in at http://\(config.host):\(config.port)/sign-in as admin@demo.invalid ***\n\n".utf8))
        } else if config.demo {
            FileHandle.standardError.write(Data("\n*** \(DemoPartnership.notice) ***\n*** Sign in at http://\(config.host):\(config.port)/sign-in as admin@demo.invalid ***\n\n".utf8))
        }
        // Stopped when the database is closed, after the server has stopped.
        try await services.database.startBackgroundCheckpoints()
        // Links what a stopped server left unlinked, then keeps sweeping (another instance may stop).
        await services.startLinkSweeps()
        // Applies the retention schedule daily (one instance at a time), unless turned off.
        await services.startRetentionJob()
        try await app.runService()
        withExtendedLifetime(lock) {}
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema (also done at start-up).")
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        try await withServices(try db.config()) { _ in }
        print("Database is up to date.")
    }
}

/// `cairn demo` loads the fictional demo partnership (its default); `cairn demo generate` writes
/// the large fictional data set for benchmarks.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The fictional demo partnership, and large fictional data sets.",
        subcommands: [Load.self, GenerateCommand.self, NationalDemo.self], defaultSubcommand: Load.self)

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load the fictional demo partnership into an empty database (password demo-password). `cairn demo` alone does this.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            let loaded = try await withServices(try db.config(extra: ["demo": "true"])) { s in
                try await DemoPartnership.load(into: s)
            }
            guard loaded else { throw ValidationError("the database already has accounts; the demo is only loaded into an empty database") }
            print("Demo partnership loaded: \(DemoPartnership.accounts.map(\.email).joined(separator: ", ")); password \(DemoPartnership.password).")
        }
    }
}

// MARK: Users

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage user accounts.",
                                                    subcommands: [Create.self, List.self, Disable.self, ResetPassword.self, ResetTwoFactor.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account. Without --password a temporary one is printed, to be changed at first sign-in.")
        @Option(help: "Email address (sign-in name).") var email: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Agency name or id.") var agency: String
        @Option(help: "Comma-separated roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var roles: String
        @Option(help: "Initial password (at least 12 characters). Prefer the CAIRN_NEW_PASSWORD environment variable, which stays out of shell history.") var password: String?
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await withServices(try db.config()) { s in
                let agencyID = try await findAgency(agency, s)
                let given = password ?? ProcessInfo.processInfo.environment["CAIRN_NEW_PASSWORD"]
                do {
                    let (user, temporary) = try await s.accounts.createUser(
                        .init(email: email, displayName: name, agencyID: agencyID.uuidString,
                              roles: roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, password: given),
                        actor: .commandLine(), address: "cli")
                    print("Created \(user.email) (\((try user.requireID()).uuidString)).")
                    if let temporary { print("Temporary password (shown once; must be changed at first sign-in): \(temporary)") }
                } catch { throw explain(error) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @Option(help: "Only names or emails containing this.") var search: String?
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                var q = AccountService.UserQuery()
                q.search = search ?? ""
                q.perPage = 10_000
                let (users, total) = try await s.accounts.users(q)
                try await s.audit.append(AuditEvent(actor: .commandLine(), action: "user.listed", recordType: "user", address: "cli", detail: "cli; \(users.count) shown"))
                if users.isEmpty { print("No accounts."); return }
                for u in users {
                    print([u.email, u.displayName, u.agency.name, Role.storageString(u.roles), u.disabled ? "disabled" : "active", u.hasTwoFactor ? "2fa" : "no-2fa"].joined(separator: "\t"))
                }
                print("\(total) account\(total == 1 ? "" : "s").")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end its sessions at once.")
        @Option(help: "Email address.") var email: String
        @Flag(help: "Enable the account again instead.") var enable = false
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                let user = try await findUser(email, s)
                do { _ = try await s.accounts.setDisabled(id: (try user.requireID()), !enable, actor: .commandLine(), address: "cli") } catch { throw explain(error) }
                print(enable ? "Enabled \(user.email)." : "Disabled \(user.email); their sessions have ended.")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a temporary password (printed once) and end the account's sessions.")
        @Option(help: "Email address.") var email: String
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                let user = try await findUser(email, s)
                let temporary = try await s.accounts.resetPassword(id: (try user.requireID()), actor: .commandLine(), address: "cli")
                print("Temporary password for \(user.email) (shown once; must be changed at sign-in): \(temporary)")
            }
        }
    }

    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-2fa", abstract: "Remove an account's two-factor set-up (e.g. a lost phone) and end its sessions.")
        @Option(help: "Email address.") var email: String
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                let user = try await findUser(email, s)
                try await s.accounts.resetTwoFactor(id: (try user.requireID()), actor: .commandLine(), address: "cli")
                print("Two-factor authentication removed for \(user.email).")
            }
        }
    }
}

func findUser(_ email: String, _ s: AppServices) async throws -> User {
    guard let user = try await s.accounts.user(email: email.trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("no account has the email address \(email)")
    }
    return user
}

func findAgency(_ nameOrID: String, _ s: AppServices) async throws -> UUID {
    let agencies = try await s.accounts.agencies()
    if let id = UUID(uuidString: nameOrID), agencies.contains(where: { $0.id == id }) { return id }
    if let match = agencies.first(where: { $0.name.lowercased() == nameOrID.lowercased() }) { return (try match.requireID()) }
    throw ValidationError("no agency is called \"\(nameOrID)\"; see `cairn agency list`")
}

// MARK: Agencies

struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agency", abstract: "Manage member agencies.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a member agency.")
        @Option(help: "Agency name.") var name: String
        @Option(help: "Type: \(AgencyType.allCases.map(\.rawValue).joined(separator: ", ")).") var type: String
        @Option(help: "Area covered, e.g. the county.") var area: String
        @Flag(help: "The agency is a National Referral Mechanism first responder.") var firstResponder = false
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                do {
                    let agency = try await s.accounts.createAgency(.init(name: name, type: type, firstResponder: firstResponder, area: area), actor: .commandLine(), address: "cli")
                    print("Created \(agency.name) (\((try agency.requireID()).uuidString)).")
                } catch { throw explain(error) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List member agencies.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                let agencies = try await s.accounts.agencies()
                if agencies.isEmpty { print("No agencies."); return }
                for a in agencies {
                    print([(try a.requireID()).uuidString, a.name, a.type, a.area, a.firstResponder ? "first-responder" : ""].joined(separator: "\t"))
                }
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "API bearer tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user. Prints only the token, once; only its hash is stored.")
        @Option(help: "The user's email address.") var user: String
        @Option(help: "A name to recognise the token by.") var name: String = "cli"
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                let account = try await findUser(user, s)
                guard !account.disabled else { throw ValidationError("the account \(account.email) is disabled") }
                let token = try await s.auth.createAPIToken(for: account, name: String(name.prefix(100)), actor: .commandLine(), address: "cli")
                print(token)
            }
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the SQLite database to FILE, safely while Cairn is serving.",
        discussion: "PostgreSQL: use pg_dump --format=custom --file=cairn.dump \"$CAIRN_DATABASE_URL\" instead.")
    @Argument(help: "The backup file to create.") var file: String
    @Flag(help: "Replace FILE if it exists.") var force = false
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        let config = try db.config()
        let logger = CLILog.logger(level: .warning)
        let database = try CairnDatabase(url: config.database, logger: logger)
        do {
            try await database.connect()
            try await Backup.backup(database, to: file, overwrite: force)
            try await AuditLog(database: database).append(AuditEvent(actor: .commandLine(), action: "database.backup", recordType: "database", address: "cli"))
            await database.shutdown()
        } catch {
            await database.shutdown()
            throw ValidationError("\(error)")
        }
        print("Backup written to \(file).")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup FILE, after checking its audit chain. Stop Cairn first.",
        discussion: "PostgreSQL: use pg_restore --clean --if-exists --dbname=\"$CAIRN_DATABASE_URL\" cairn.dump instead.")
    @Argument(help: "The backup file made by `cairn backup`.") var file: String
    @Flag(help: "Confirm replacing an existing database.") var force = false
    @OptionGroup var db: DatabaseOptions
    func run() async throws {
        let config = try db.config()
        do {
            let checked = try await Backup.restore(from: file, to: config.database, force: force, logger: CLILog.logger(level: .warning))
            print("Restored \(file) to \(config.database) (audit chain intact: \(checked) entries).")
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The tamper-evident audit log.", subcommands: [Verify.self, Search.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the audit log's hash chain. Exit 0 when intact; otherwise exit 1 naming the first broken entry.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            let result = try await withServices(try db.config()) { s in try await s.audit.verify() }
            if result.isIntact {
                print("Audit log intact: \(result.checked) entries checked\(result.retentionNote).")
            } else {
                FileHandle.standardError.write(Data("Audit log BROKEN at entry \(result.firstBroken.map(String.init) ?? "?"): \(result.reason ?? "")\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}

extension AuditCommand {
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the audit log, newest first, one tab-separated entry a line (the search itself is audited).")
        @Option(help: "A report reference (CRN-7K4P-Q2) or case reference (SC-7K4P-Q2).") var reference: String?
        @Option(help: "Only actors whose email contains this.") var actor: String?
        @Option(help: "Only actions starting with this, e.g. report. or auth.sign_in.") var action: String?
        @Option(help: "At most this many entries.") var limit: Int = 100
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
            var search = AuditLog.Search()
            search.actor = actor ?? ""
            search.action = action ?? ""
            search.perPage = limit
            do {
                let (entries, total) = try await withServices(try db.config()) { s in
                    try await s.auditReader.search(search, reference: reference ?? "", identity: nil, actor: .commandLine(), address: "cli")
                }
                for e in entries {
                    let when = ISO8601DateFormatter().string(from: e.date)
                    print([String(e.id ?? 0), when, e.actor, e.action, e.recordType, e.recordID, e.detail].joined(separator: "\t"))
                }
                print("\(entries.count) of \(total) entr\(total == 1 ? "y" : "ies").")
            } catch let error as AppError {
                throw ValidationError(error.detail)
            }
        }
    }
}

struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "link", abstract: "Entity resolution: find records about the same people, places, phones, vehicles and businesses.",
                                                    subcommands: [LinkDedupe.self, LinkRebuild.self])
}
