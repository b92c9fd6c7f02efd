import CairnCore
import FluentKit
import Foundation
import Linkage
import Logging
import SQLKit
import Synchronization

/// Links reports through what they mention. Identifiers (phones, vehicles, emails,
/// usernames, web addresses, business names, addresses with a postcode) link when they are
/// the same after normalising; people link when the `Linkage` engine judges two mentions to
/// be the same person and its clustering keeps them together. Reports joined by links form
/// networks, named by their earliest report.
///
/// One per server. It holds the engine's index of every person mentioned, built on first
/// use from the database, so a new report is linked without a batch re-run; `rebuild` re-links
/// everything (the `cairn link rebuild` command). Several instances on one PostgreSQL database
/// link one at a time and each keeps its index up to date with the others' work; a report
/// stored but not linked when a server stopped is linked by the next sweep (`LinkCoordination`).
public actor ReportLinker {
    let database: CairnDatabase
    /// How the linker reads reports and their mentions (Reports' read interface).
    let directory: ReportDirectory
    let alertSize: Int
    /// Told which earlier reports each new report links to (Cases warns their teams).
    let reportsLinked: ReportsLinked
    /// The engine's index of every person in a linked report, built from the database on the
    /// first pass and kept up to date with what every instance links (see `LinkCoordination`).
    var index: LinkageIndex?
    /// Which report each person mention in the index came from.
    var reportOfMention: [String: UUID] = [:]
    /// How far through `link_log` the index is: every change up to here is in it.
    var logPosition: Int64 = 0

    /// The last operation queued. Linking awaits the database, and an actor lets another call
    /// in at every await, so each operation waits for the one before it to finish.
    private var last: Task<Void, Never>?

    func serially<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = last
        let task = Task<T, any Error> {
            await previous?.value
            return try await body()
        }
        last = Task { _ = try? await task.value }
        return try await task.value
    }

    init(database: CairnDatabase, directory: ReportDirectory, alertSize: Int, reportsLinked: @escaping ReportsLinked) {
        self.database = database
        self.directory = directory
        self.alertSize = alertSize
        self.reportsLinked = reportsLinked
    }

    var db: any Database { database.db }

    // MARK: Incremental

    /// Links newly committed reports against everything held, stores the links, joins or
    /// merges networks, updates person clusters, raises analysts' alerts and tells the case
    /// teams of linked reports. Runs after intake commits; a failure is logged and the reports
    /// stay marked as waiting, so the next sweep links them.
    ///
    /// Reports wait in `pending` and each pass links everything waiting (up to
    /// `maximumPass` at a time), so when intake outpaces linking the passes grow instead of
    /// the queue: the work per report falls as load rises. Returns once these reports are linked.
    func link(_ reports: [ReceivedReport]) async {
        enqueue(reports.map { (Self.facts($0.report), $0.mentions.map(MentionFacts.init)) })
        await runPending()
    }

    /// What intake owes the linker (`IntakeFollowUp`): a row in `link_pending` inside the intake
    /// transaction (see `LinkCoordination`), then the new reports once they are committed.
    nonisolated var intakeFollowUp: IntakeFollowUp {
        IntakeFollowUp(activity: intake, queue: { reports, steps in
            steps.insert(into: LinkPendingRow.schema, columns: ["report_id", "received_at"],
                         rows: reports.map { [SQLValue($0.id), SQLValue($0.receivedAt)] })
        }, afterCommit: { reports in await self.link(reports) })
    }

    /// Values held by at most `fullPairLimit` reports, with every report's mention of each, as
    /// the last pass left them: the next report with one of them links to all, and reading them
    /// again each time was most of linking's reads. An entry is used only while `link_keys`
    /// still counts as many reports (another instance may have added one).
    var fewGroups: [String: [(MentionFacts, ReportFacts)]] = [:]
    static let fewGroupsLimit = 100_000

    /// Reports stored but not linked yet, with their mentions, in the order they were committed.
    var pending: [(report: ReportFacts, mentions: [MentionFacts])] = []
    /// The reports in `pending` and in the pass running, so a sweep does not queue them twice.
    var queued = Set<UUID>()
    /// Reports stored and not linked yet, waiting or in the pass running (for `/metrics`).
    private let backlog = Mutex(0)
    nonisolated var unlinkedReports: Int { backlog.withLock { $0 } }
    static let maximumPass = 16
    static let maximumIdlePass = 128
    /// Intake counts as busy while writing and for this long after a write.
    static let intakeBusyWindow = Duration.milliseconds(20)

    /// Whether intake is writing, so linking can give way to it (see `linkPending`).
    nonisolated let intake = IntakeActivity()

    private func enqueue(_ reports: [(ReportFacts, [MentionFacts])]) {
        let fresh = reports.filter { queued.insert($0.0.id).inserted }
        pending += fresh.map { (report: $0.0, mentions: $0.1) }
        backlog.withLock { $0 += fresh.count }
    }

    private func runPending() async {
        do {
            try await serially { try await self.linkPending() }
        } catch {
            database.logger.error("linking new reports failed; they stay waiting for the next sweep",
                                  metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }

    /// Links what was waiting when it started (an earlier pass may already have taken it).
    ///
    /// Intake comes first: while reports are being written (or were within `intakeBusyWindow`),
    /// linking pauses after each pass for three times as long as the pass took, so it holds
    /// SQLite's one connection and the cores at most a quarter of the time and a reporter is
    /// answered without waiting behind it. What waits meanwhile is linked in bigger passes (up to
    /// `maximumIdlePass`) once intake is quiet. `/metrics` shows the backlog.
    private func linkPending() async throws {
        var remaining = pending.count
        var failure: (any Error)?
        while remaining > 0, !pending.isEmpty {
            let busy = intake.busy(within: Self.intakeBusyWindow)
            let pass = Array(pending.prefix(busy ? Self.maximumPass : Self.maximumIdlePass))
            pending.removeFirst(pass.count)
            remaining -= pass.count
            let started = ContinuousClock.now
            do {
                defer {
                    backlog.withLock { $0 -= pass.count }
                    for item in pass { queued.remove(item.report.id) }
                }
                try await linkPass(pass.map(\.report).sorted(by: ReportFacts.before), mentions: pass.flatMap(\.mentions))
            } catch {
                // The pass's reports stay marked as waiting in the database; the rest go on.
                failure = error
            }
            if remaining > 0, intake.busy(within: Self.intakeBusyWindow) {
                let took = ContinuousClock.now - started
                try? await Task.sleep(for: min(took * 3, .milliseconds(200)))
            }
        }
        if let failure { throw failure }
    }

    /// One pass, as the only linking work on the database (`LinkSession.exclusive`): first the
    /// index catches up with what other instances linked, then the reports still waiting are
    /// linked and stored, and the case teams of linked reports are told once it has committed.
    private func linkPass(_ reports: [ReportFacts], mentions: [MentionFacts]) async throws {
        do {
            let caseLinks = try await LinkSession.exclusive(database) { session in
                try await self.linkLocked(reports, mentions: mentions, session: session)
            }
            await reportsLinked(caseLinks, Date())
        } catch {
            // The index may hold people whose links were not stored: build it again next time.
            forget()
            throw error
        }
    }

    private func linkLocked(_ reports: [ReportFacts], mentions: [MentionFacts], session: LinkSession) async throws -> [CaseLink] {
        try await catchUp(session)
        // Another instance's sweep may have linked some meanwhile: they are in the index now.
        let waiting = try await session.stillPending(reports.map(\.id))
        let reports = reports.filter { waiting.contains($0.id) }
        guard !reports.isEmpty else { return [] }
        return try await linkNew(reports, mentions: mentions.filter { waiting.contains($0.reportID) }, session: session)
    }

    // MARK: Sweeping

    /// Reports a sweep takes at a time.
    static let sweepPage = 256

    /// Links every report left waiting for longer than `grace` — stored just before a server
    /// stopped, or whose pass failed — wherever it was stored. Whichever instance gets there
    /// first links it; the others find it linked. Returns how many it queued.
    @discardableResult
    func sweep(grace: Duration = .zero) async -> Int {
        var total = 0
        do {
            while true {
                let cutoff = Date().addingTimeInterval(-Double(grace.components.seconds) - Double(grace.components.attoseconds) / 1e18)
                let ids = try await LinkSession.pendingIDs(database, before: cutoff, limit: Self.sweepPage)
                let fresh = ids.filter { !queued.contains($0) }
                guard !fresh.isEmpty else { break }
                let facts = try await reportFacts(fresh, on: database.reader)
                let mentions = try await self.mentions(of: fresh, on: database.reader)
                let found = fresh.compactMap { id in facts[id].map { ($0, mentions[id] ?? []) } }.sorted { ReportFacts.before($0.0, $1.0) }
                enqueue(found)
                total += found.count
                await runPending()
                if ids.count < Self.sweepPage { break }
            }
        } catch {
            database.logger.error("sweeping for reports left unlinked failed", metadata: ["error": "\(String(describing: type(of: error)))"])
        }
        return total
    }

    private var sweeper: Task<Void, Never>?
    /// How long `link_log` rows are kept: an instance that has not linked for longer builds its
    /// index again from the database instead of replaying.
    static let logKept: TimeInterval = 24 * 3600

    /// Sweeps now (for what a stopped server left) and then every `interval`, for reports left
    /// waiting longer than `interval`. `stopSweeping` ends it.
    func startSweeping(every interval: Duration = .seconds(30)) {
        guard sweeper == nil else { return }
        sweeper = Task { [weak self] in
            var grace = Duration.zero
            while !Task.isCancelled {
                guard let self else { return }
                let swept = await self.sweep(grace: grace)
                if swept > 0 { self.database.logger.notice("linked reports left waiting", metadata: ["reports": "\(swept)"]) }
                do {
                    try await LinkSession.pruneLog(self.database, before: Date().addingTimeInterval(-Self.logKept))
                } catch {
                    self.database.logger.warning("pruning the link log failed", metadata: ["error": "\(String(describing: type(of: error)))"])
                }
                grace = interval
                try? await Task.sleep(for: interval)
            }
        }
    }

    func stopSweeping() async {
        let task = sweeper
        sweeper = nil
        task?.cancel()
        await task?.value
    }

    /// Drops the in-memory index (tests; after a restore; after a failed pass): the next pass
    /// builds it again from the database.
    func forget() {
        index = nil
        reportOfMention = [:]
        fewGroups = [:]
        logPosition = 0
    }
}
