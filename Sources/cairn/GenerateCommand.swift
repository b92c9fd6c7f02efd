import ArgumentParser
import Cairn
import CairnCore
import Foundation

/// `cairn demo generate`: fills a database with a large, plainly fictional data set. Thin on purpose:
/// the work is `DataSetGenerator`.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Fill a database with a large, plainly fictional data set, for benchmarks and for trying the dashboards.",
        discussion: """
        Runs the migrations, then writes the fictional Westmere partnership's agencies and accounts (…@generated.invalid, \
        with unusable passwords: give one a temporary password with `cairn user reset-password`), reports over the last \
        --years (or --months) whole months (ending with the current one) taken through triage, referrals and outcomes, and survivor-support \
        cases opened from some of them, with NRM decisions, outcome reviews and warning signs. The same --seed (and --as-of) \
        gives the same data set.

        Refuses a database that already holds reports unless --append is given. Reports are not linked (a million would take \
        hours through the server's linker); --link re-links everything at the end, as `cairn link rebuild` does.

        Example: cairn demo generate --database sqlite:///tmp/big.sqlite --reports 1000000 --cases 20000 --years 3 --seed 1
        """
    )

    @Option(help: "How many reports (1 to 5,000,000).") var reports: Int = 100_000
    @Option(help: "How many survivor-support cases, each opened from its own report (0 to 1,000,000, at most half the reports).") var cases: Int = 2_000
    @Option(help: "Over how many years (1 to 20): the same as --months twelve times as many. Default: 3 years.") var years: Int?
    @Option(help: "Over how many whole months, ending with the current one (1 to 240), instead of --years.") var months: Int?
    @Option(help: "The random seed: the same seed gives the same data set.") var seed: UInt64 = 1
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Treat this day (YYYY-MM-DD, end of the day in London) as today, so a data set can be made again exactly; default: now.", valueName: "date"))
    var asOf: String?
    @Flag(help: "Add to a database that already holds reports.") var append = false
    @Flag(help: "Re-link every report at the end (as `cairn link rebuild`).") var link = false
    @OptionGroup var db: DatabaseOptions

    func options() throws -> DataSetGenerator.Options {
        if years != nil, months != nil { throw ValidationError("give --years or --months, not both") }
        if let years, !(1...20).contains(years) { throw ValidationError("--years must be between 1 and 20") }
        var options = DataSetGenerator.Options(reports: reports, cases: cases, months: months ?? (years ?? 3) * 12, seed: seed)
        options.append = append
        options.link = link
        if let asOf {
            guard let day = try? CalendarDate(parsing: asOf.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--as-of must be a date written as YYYY-MM-DD, got \"\(asOf)\"")
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone.london
            guard let end = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 23, minute: 59, second: 59)),
                  end <= Date().addingTimeInterval(86_400) else {
                throw ValidationError("--as-of cannot be in the future, got \(asOf)")
            }
            options.now = min(end, Date())
        }
        return options
    }

    func validate() throws {
        let problems = try options().problems
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "\n")) }
    }

    func run() async throws {
        let options = try options()
        let config = try db.config()
        say("Generating \(Self.number(options.reports)) reports and \(Self.number(options.cases)) cases over \(options.months) months "
              + "(seed \(options.seed)) into \(config.database).")
        let summary: DataSetGenerator.Summary
        do {
            summary = try await withServices(config) { services in
                try await DataSetGenerator.generate(options, into: services, actor: .commandLine("cairn demo generate")) { p in
                    let percent = p.totalReports == 0 ? 100 : p.reports * 100 / p.totalReports
                    let head = String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
                    say("\(head)  \(Self.number(p.reports)) reports, \(Self.number(p.cases)) cases, " + String(format: "%.1f s", p.seconds))
                }
            }
        } catch let refused as DataSetGenerator.Refused {
            throw ValidationError(refused.description)
        }
        say("Rows written:")
        for (table, count) in summary.rows { say("  \(table.padding(toLength: 22, withPad: " ", startingAt: 0)) \(Self.number(count))") }
        if summary.agenciesCreated + summary.accountsCreated > 0 {
            say("Created \(summary.agenciesCreated) agencies and \(summary.accountsCreated) accounts (…@generated.invalid).")
        }
        if let linked = summary.linked {
            say("Linked: \(Self.number(linked.links)) links between reports, \(Self.number(linked.networks)) networks (\(String(format: "%.1f", linked.seconds)) s).")
        } else {
            say("Not linked: run `cairn link rebuild` to find links and networks among these reports.")
        }
        if case .sqlite(let path) = config.database {
            let size = [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
            say(String(format: "Database file: %.1f MB.", Double(size) / 1_048_576))
        }
        say(String(format: "Done in %.1f s.", summary.seconds))
    }

    /// Written at once (not buffered), so progress shows as it happens in a pipe or a log too.
    func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
