import ArgumentParser
import Cairn
import Foundation

/// `cairn htcds import FILE`: an HTCDS v2.0 CSV as pseudonymous demonstration cases. Thin on
/// purpose: the work is `AppServices.importHTCDS` (Insight/ExportService+Import).
struct HTCDSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "htcds", abstract: "The HTCDS v2.0 case data standard.",
                                                    subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import an HTCDS v2.0 CSV into Cairn as pseudonymous demonstration cases.",
            discussion: """
            Every row is checked: the header (HTCDS field names; the v2.0 templates' typo and unnamed columns are accepted), \
            picklist values, dates and their order. Problems are listed with their line numbers and nothing is imported if \
            any row is bad, unless --skip-bad is given (then the good rows are). Names, contact details and free text in \
            the file are never read. The cases are led by an "HTCDS import (demonstration)" agency.

            Example: cairn htcds import cases.csv --database sqlite:///tmp/demo.sqlite
            """)

        @Argument(help: "The CSV file (HTCDS field names in the first row).") var file: String
        @Flag(name: .customLong("skip-bad"), help: "Import the good rows even if some are bad.") var skipBad = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            do {
                let summary = try await withServices(try db.config()) { services in
                    try await services.importHTCDS(data, skipBad: skipBad, actor: .commandLine("cairn htcds import"))
                }
                for problem in summary.problems { print("skipped \(problem)") }
                print("Imported \(summary.imported) cases" + (summary.skipped > 0 ? "; skipped \(summary.skipped) bad rows." : "."))
            } catch let refused as HTCDSImportRefused {
                throw ValidationError(refused.description)
            }
        }
    }
}
