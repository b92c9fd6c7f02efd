import CairnCore
import FluentKit
import Foundation
import SQLKit

/// `cairn demo generate`: a large, plainly fictional data set for benchmarks and for trying the
/// dashboards. Reports over the last months (whole months ending with the current one) with
/// realistic mixes, each taken through triage to its outcome; survivor-support cases opened
/// from some of them; the agencies and accounts they belong to. See `GenerateWords` for why
/// nothing in it can be a real person, place, phone or vehicle.
///
/// Rows are written in batches of `batchSize` reports, one transaction each, while the next
/// batch is being made (on SQLite the writing happens on the database's thread, so the two
/// cores share the work). The same seed and the same "today" give the same data set.
///
/// The linker: reports are stored without a `link_pending` row, so the linker treats them as
/// already considered and its sweep never takes them up (a million reports would otherwise be
/// linked a few hundred at a time, for hours, by whichever server started next). Its person
/// index includes their people when it is next built, but links, networks and the identifier
/// keys new reports are matched against are made only by `cairn link rebuild`, or by this
/// command with `--link`, which runs the same rebuild at the end.
public enum DataSetGenerator {
    public struct Options: Sendable {
        public var reports: Int
        public var cases: Int
        public var months: Int
        public var seed: UInt64
        /// Add to a database that already holds reports.
        public var append = false
        /// Re-link every report at the end (`cairn link rebuild`).
        public var link = false
        /// The data set's "today": its last month is this one's, and nothing happens after it.
        public var now = Date()
        public var batchSize = 1000

        public static let maximumReports = 5_000_000
        public static let maximumCases = 1_000_000
        public static let maximumMonths = 240

        public init(reports: Int, cases: Int, months: Int, seed: UInt64) {
            self.reports = reports
            self.cases = cases
            self.months = months
            self.seed = seed
        }

        /// Every problem with the options, in one list; empty when they can be used.
        public var problems: [String] {
            var problems: [String] = []
            if reports < 1 || reports > Self.maximumReports {
                problems.append("--reports must be between 1 and 5,000,000, got \(reports)")
            }
            if cases < 0 || cases > Self.maximumCases {
                problems.append("--cases must be between 0 and 1,000,000, got \(cases)")
            } else if reports >= 1, cases > reports / 2 {
                problems.append("--cases must be at most half of --reports (each case is opened from its own report), got \(cases) for \(reports) reports")
            }
            if months < 1 || months > Self.maximumMonths { problems.append("--months must be between 1 and \(Self.maximumMonths), got \(months)") }
            if batchSize < 1 || batchSize > 100_000 { problems.append("the batch size must be between 1 and 100,000, got \(batchSize)") }
            return problems
        }
    }

    public struct Progress: Sendable {
        public let reports: Int
        public let totalReports: Int
        public let cases: Int
        public let seconds: Double
    }

    public struct Summary: Sendable {
        /// Rows written per table, in the order written.
        public var rows: [(table: String, count: Int)] = []
        public var agenciesCreated = 0
        public var accountsCreated = 0
        public var seconds = 0.0
        public var linked: ReportLinker.RebuildSummary?

        public func count(_ table: String) -> Int { rows.first { $0.table == table }?.count ?? 0 }
    }

    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes the data set. Refuses (before writing anything) when the options are invalid, or
    /// when the database already holds reports and `append` is not set.
    public static func generate(_ options: Options, into services: AppServices, actor: AuditActor,
                                progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        let problems = options.problems
        guard problems.isEmpty else { throw Refused(description: problems.joined(separator: "; ")) }
        let started = ContinuousClock.now
        let database = services.database
        let sql = database.sql
        var existingReferences = Set<String>(), existingCodes = Set<String>()
        if try await sql.select().column("id").from(Report.schema).limit(1).first() != nil {
            guard options.append else {
                throw Refused(description: "the database already holds reports; give --append to add the generated data set to them")
            }
            existingReferences = Set(try await sql.select().column("reference").from(Report.schema).all().map { try $0.decode(column: "reference", as: String.self) })
            existingCodes = Set(try await sql.select().column("code").from(SupportCase.schema).all().map { try $0.decode(column: "code", as: String.self) })
        }
        let now = options.now.wholeMilliseconds
        if database.isSQLite {
            // A bigger page cache for this connection while it loads (the server's is small on purpose).
            try await sql.raw("PRAGMA cache_size=-262144").run()
        }
        let cast = try await GenerateCast.prepare(services, seed: options.seed, now: now)
        // Appending with the seed of an earlier run must not make that run's ids again: the
        // stream also depends on how many reports were there (still the same for the same database).
        let stream = options.seed &+ UInt64(existingReferences.count) &* 0x9E37_79B9_7F4A_7C15
        var maker = ReportMaker(random: GenerateRandom(seed: stream), cast: cast, service: services.reports,
                                catalogue: try await services.reports.catalogue(), now: now, references: existingReferences, caseCodes: existingCodes)
        let months = GenerateMonths(count: options.months, reports: options.reports, now: now)
        let caseReports = caseIndices(options.cases, among: options.reports, random: &maker.random)

        // Small data sets are written in smaller batches, so progress still shows every 5%.
        let batchSize = min(options.batchSize, max(1, options.reports / 20))
        var totals = GenerateBatch.Table.allCases.map { _ in 0 }
        var batch = GenerateBatch()
        var writing: Task<Void, any Error>?
        var made = 0, cases = 0, nextCase = 0, reported = 0
        func seconds() -> Double { let d = ContinuousClock.now - started; return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
        // Hands the batch to the writer once the one before is written, and reports progress.
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let steps = batch.steps
            totals = zip(totals, batch.counts).map(+)
            batch = GenerateBatch()
            try await writing?.value
            let db = database.db
            writing = Task { try await steps.run(on: db) }
            let step = max(1, options.reports / 20)
            if made / step > reported / step || made == options.reports {
                reported = made
                progress(Progress(reports: made, totalReports: options.reports, cases: cases, seconds: seconds()))
            }
        }
        do {
            for month in months.months {
                for at in GenerateMonths.instants(in: month, count: month.reports, random: &maker.random) {
                    let forCase = nextCase < caseReports.count && caseReports[nextCase] == made
                    if forCase { nextCase += 1 }
                    let report = try maker.make(at: at, forCase: forCase)
                    batch.add(report)
                    if let start = report.caseStart {
                        batch.add(maker.makeCase(from: report, start))
                        cases += 1
                    }
                    made += 1
                    if batch.reportCount >= batchSize { try await flush() }
                }
            }
            try await flush()
            try await writing?.value
        } catch {
            // Let a write in progress finish (or fail) before the error is reported.
            _ = try? await writing?.value
            throw error
        }
        var summary = Summary()
        summary.rows = GenerateBatch.Table.allCases.map { ($0.name, totals[$0.rawValue]) }
        summary.agenciesCreated = cast.agenciesCreated
        summary.accountsCreated = cast.accountsCreated
        try await services.audit.append(AuditEvent(
            actor: actor, action: "data.generated", recordType: "database", address: "cli",
            detail: "fictional data set, seed \(options.seed): \(made) reports, \(cases) cases over \(options.months) months; "
                + "\(cast.agenciesCreated) agencies and \(cast.accountsCreated) accounts created"))
        if options.link {
            summary.linked = try await services.intelligence.rebuild(actor: actor)
        }
        summary.seconds = seconds()
        return summary
    }

    /// Which reports (by their place in time order) cases are opened from: spread over the
    /// period, but not the most recent 2%, whose cases would barely have started.
    static func caseIndices(_ count: Int, among reports: Int, random: inout GenerateRandom) -> [Int] {
        guard count > 0 else { return [] }
        let limit = max(count, Int(Double(reports) * 0.98))
        // Floyd's sampling: `count` distinct numbers below `limit`.
        var chosen = Set<Int>()
        for j in (limit - count)..<limit {
            let t = random.int(0...j)
            if !chosen.insert(t).inserted { chosen.insert(j) }
        }
        return chosen.sorted()
    }
}
