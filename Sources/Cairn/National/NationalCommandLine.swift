import Foundation

/// What `cairn national …` and `cairn demo national` do, through the national service.
public enum NationalCommandLine {
    public struct Partnership: Sendable {
        public let id: String
        public let name: String
        public let region: String
        public let publicKey: String
        public let releases: Int
        public let lastPeriod: String?
        public let exposed: Int
    }

    /// Registers a partnership; a refusal is an `AppError` with the reasons.
    public static func register(id: String, name: String, region: String, publicKey: String, services: AppServices) async throws -> String {
        try await services.national.register(.init(id: id, name: name, region: region, publicKey: publicKey), actor: .commandLine(), address: "cli")
    }

    public static func partnerships(services: AppServices) async throws -> [Partnership] {
        try await services.national.summaries().map {
            Partnership(id: $0.id, name: $0.name, region: $0.region, publicKey: $0.publicKey, releases: $0.releases, lastPeriod: $0.lastPeriod, exposed: $0.exposed)
        }
    }

    /// Loads the demo accounts (into an empty database) and the fictional national picture
    /// (unless a partnership is registered); false when there was nothing to load.
    public static func loadDemo(services: AppServices) async throws -> Bool {
        let accounts = try await DemoPartnership.load(into: services.database, auth: services.auth, audit: services.audit)
        let picture = try await DemoNational.load(into: services)
        return accounts || picture
    }
}
