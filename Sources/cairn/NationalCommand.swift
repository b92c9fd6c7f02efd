import ArgumentParser
import Cairn
import Foundation

/// `cairn national`: a national instance's partnerships (`cairn serve --national` serves them).
struct NationalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "national", abstract: "A national instance: the partnerships whose signed releases it accepts.",
        discussion: "Run the national instance itself with `cairn serve --national` on its own database.",
        subcommands: [Register.self, List.self])

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a partnership and the Ed25519 public key it signs its releases with.")
        @Option(help: "The partnership's id, exactly as it signs (its CAIRN_PARTNERSHIP_ID), e.g. westmere.") var id: String
        @Option(help: "Its name.") var name: String
        @Option(help: "Its region: national tables add partnerships up by region.") var region: String
        @Option(help: "Its public key in base64, from its GET /api/v1/releases/key (check it with the partnership by another route).") var key: String
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                do {
                    let id = try await NationalCommandLine.register(id: id, name: name, region: region, publicKey: key, services: s)
                    print("Registered \(id). Its releases are accepted at POST /api/v1/national/releases.")
                } catch { throw explain(error) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered partnerships, tab-separated: id, name, region, releases accepted, latest period, exposed hidden cells.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            try await withServices(try db.config()) { s in
                let rows = try await NationalCommandLine.partnerships(services: s)
                if rows.isEmpty { print("No partnerships registered."); return }
                for p in rows { print([p.id, p.name, p.region, "\(p.releases)", p.lastPeriod ?? "-", "\(p.exposed)"].joined(separator: "\t")) }
            }
        }
    }
}

extension Demo {
    struct NationalDemo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "national",
            abstract: "Load a fictional national picture (three partnerships in two regions, their signed releases) and the demo accounts; then run `cairn serve --national` on the same database.")
        @OptionGroup var db: DatabaseOptions
        func run() async throws {
            let loaded = try await withServices(try db.config(extra: ["demo": "true", "national": "true"])) { s in
                try await NationalCommandLine.loadDemo(services: s)
            }
            guard loaded else { throw ValidationError("the database already has accounts and registered partnerships; nothing was loaded") }
            print("Demo national picture loaded. Start it with `cairn serve --national` on this database; sign in as admin@demo.invalid, password demo-password.")
        }
    }
}
