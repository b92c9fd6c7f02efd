import ArgumentParser
import Cairn
import Foundation

/// `cairn retention run [--dry-run]`: applies the retention schedule now, as the daily run of
/// `cairn serve` does, or shows what it would remove.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "The retention schedule: how long each kind of record is kept.",
        subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Anonymise or delete what the retention schedule says is due, and print what was done, kind by kind.",
            discussion: """
            Only kinds of record an administrator has set (under Retention in the web application) are applied. Reports and cases \
            are anonymised, keeping what the partnership's figures are made of; reporters' contact details, intelligence items, \
            sessions and old audit entries are deleted. Every run is audited with its counts, never with what was removed. With \
            --dry-run nothing is changed and nothing is recorded. `cairn serve` does this once a day unless CAIRN_RETENTION_JOB=false.
            """)

        @Flag(help: "Show what would be removed now, changing nothing.") var dryRun = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let outcome = try await withServices(try db.config()) { s in
                try await s.retention.run(.commandLine, actor: .commandLine("cairn retention run"), dryRun: dryRun)
            }
            switch outcome {
            case .busy:
                throw ValidationError("another run of the retention schedule is under way; try again when it has finished")
            case .notDue:
                print("Nothing to do.")
            case .ran(let report):
                print(dryRun ? "What the retention schedule would remove now (dry run: nothing was changed):" : "Retention schedule applied:")
                for line in report.sentences { print("  \(line)") }
                let verb = dryRun ? "would be removed or anonymised" : "removed or anonymised"
                print("\(report.removed) record\(report.removed == 1 ? "" : "s") \(verb).")
                if report.failed { throw ExitCode(1) }
            }
        }
    }
}
