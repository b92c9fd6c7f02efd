import FluentKit
import Foundation
import Synchronization

/// A report with every row worked out, waiting to be written: the writer only writes.
struct PreparedReport: Sendable {
    let report: Report
    let events: [ReportEvent]
    let indicators: [ReportIndicator]
    let mentions: [ReportMention]
    /// Shown once to a public reporter; Cairn stores only its hash.
    let passphrase: String?
    let idempotencyKey: String?
    let fingerprint: String
    let audit: AuditEvent
}

/// Group commit for report intake. Submissions that arrive while a write is in progress wait
/// and are then written together in one transaction, so many reporters share one commit (and
/// one fsync) instead of queueing for one each. Every submitter is answered only after the
/// transaction holding its report has committed. If a combined write fails, each report in it
/// is written on its own, so one bad report never fails the others.
///
/// On SQLite (`Direct`) the writer leases the connection and writes batch after batch on the
/// thread that holds it for as long as reports keep arriving (up to `maximumHold`, then it
/// gives the connection back so other work queued for it goes first), answering each batch's
/// reporters as soon as it commits: no thread hand-off between one batch and the next.
final class IntakeWriter: Sendable {
    typealias Outcome = Result<ReportService.Submitted, any Error>
    typealias Write = @Sendable ([PreparedReport]) async throws -> [Outcome]

    /// How the SQLite writer writes and answers a batch.
    struct Direct: Sendable {
        let database: any Database
        /// Writes one batch in the transaction it is given; throws to roll it back.
        let write: @Sendable ([PreparedReport], SQLiteDirect) throws -> ReportService.IntakePlan
        /// Longest the writer keeps the connection while reports keep coming.
        var maximumHold: Duration = .milliseconds(50)
    }

    private let maximumBatch: Int
    private let write: Write
    private let direct: Direct?
    /// Runs after each commit, off the answer path, with the reports that were new in it.
    private let afterCommit: (@Sendable ([PreparedReport]) async -> Void)?
    /// Told when a batch starts and finishes being written (linking gives way meanwhile).
    private let activity: IntakeActivity?

    private struct State {
        var waiting: [(PreparedReport, CheckedContinuation<ReportService.Submitted, any Error>)] = []
        var writing = false
        /// After-commit work still running, and who waits for it to finish (`settle`).
        var followUps = 0
        var settling: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    init(maximumBatch: Int = 64, write: @escaping Write, direct: Direct? = nil, activity: IntakeActivity? = nil,
         afterCommit: (@Sendable ([PreparedReport]) async -> Void)? = nil) {
        self.maximumBatch = maximumBatch
        self.write = write
        self.direct = direct
        self.activity = activity
        self.afterCommit = afterCommit
    }

    func store(_ report: PreparedReport) async throws -> ReportService.Submitted {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state in
                state.waiting.append((report, continuation))
                if state.writing { return false }
                state.writing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    /// The next batch, or nil (and the writer marked idle) when nothing waits.
    private func nextBatch() -> [(PreparedReport, CheckedContinuation<ReportService.Submitted, any Error>)]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.writing = false
                return nil
            }
            let batch = Array(state.waiting.prefix(maximumBatch))
            state.waiting.removeFirst(batch.count)
            return batch
        }
    }

    private func drain() async {
        if let direct, await drainDirect(direct) { return }
        while let batch = nextBatch() {
            activity?.writeStarted()
            let outcomes = await writeSeparatingFailures(batch.map(\.0))
            activity?.writeFinished()
            deliver(batch, outcomes)
        }
    }

    /// Writes on SQLite's connection until nothing waits. False if the connection could not
    /// be used that way (the caller then writes through `write`).
    private func drainDirect(_ direct: Direct) async -> Bool {
        while true {
            do {
                let result = try await SQLiteDirect.withConnection(on: direct.database) { connection -> Bool in
                    let held = ContinuousClock.now
                    while ContinuousClock.now - held < direct.maximumHold {
                        guard let batch = self.nextBatch() else { return true }
                        self.activity?.writeStarted()
                        let plans = Self.writeSeparatingFailures(batch.map(\.0), connection, direct.write)
                        self.activity?.writeFinished()
                        self.answer(batch, plans, on: direct.database)
                    }
                    return false
                }
                guard let finished = result else { return false }
                if finished { return true }
                // Held long enough: give the connection back, then carry on.
            } catch {
                // The connection could not be leased (e.g. shutting down): the ordinary path
                // answers what waits, each with its own error if it fails too.
                return false
            }
        }
    }

    /// One transaction for the batch; if it fails, one per report.
    private static func writeSeparatingFailures(_ batch: [PreparedReport], _ connection: SQLiteDirect,
                                                _ write: (@Sendable ([PreparedReport], SQLiteDirect) throws -> ReportService.IntakePlan))
        -> [Result<ReportService.IntakePlan, any Error>] {
        do {
            return [.success(try connection.transaction { try write(batch, $0) })]
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
        }
        return batch.map { report in Result { try connection.transaction { try write([report], $0) } } }
    }

    /// Answers a directly written batch (`plans` holds one plan for the batch or one per
    /// report); a repeat of an earlier report is read first, off this thread.
    private func answer(_ batch: [(PreparedReport, CheckedContinuation<ReportService.Submitted, any Error>)],
                        _ plans: [Result<ReportService.IntakePlan, any Error>], on db: any Database) {
        let needsRead = plans.contains { (try? $0.get().earlierRepeats.isEmpty) == false }
        if !needsRead {
            deliver(batch, plans.flatMap { plan -> [Outcome] in
                switch plan {
                case .success(let plan): ReportService.answers(plan, stored: [:])
                case .failure(let error): [.failure(error)]
                }
            })
            return
        }
        Task {
            var outcomes: [Outcome] = []
            for plan in plans {
                switch plan {
                case .success(let plan):
                    do { outcomes += try await ReportService.answers(plan, on: db) } catch {
                        outcomes += Array(repeating: .failure(error), count: plan.answers.count)
                    }
                case .failure(let error): outcomes.append(.failure(error))
                }
            }
            self.deliver(batch, outcomes)
        }
    }

    /// Answers each submitter and hands the new reports to the after-commit work.
    private func deliver(_ batch: [(PreparedReport, CheckedContinuation<ReportService.Submitted, any Error>)], _ outcomes: [Outcome]) {
        precondition(batch.count == outcomes.count, "one answer per report")
        var created: [PreparedReport] = []
        for ((report, _), outcome) in zip(batch, outcomes) {
            if case .success(let submitted) = outcome, !submitted.replayed { created.append(report) }
        }
        // Counted before anyone is answered, so a submitter's `settle` waits for its report.
        if let afterCommit, !created.isEmpty {
            state.withLock { $0.followUps += 1 }
            Task {
                await afterCommit(created)
                self.followUpFinished()
            }
        }
        for ((_, continuation), outcome) in zip(batch, outcomes) { continuation.resume(with: outcome) }
    }

    private func followUpFinished() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.followUps -= 1
            guard state.followUps == 0 else { return [] }
            defer { state.settling = [] }
            return state.settling
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the after-commit work of every report stored so far has finished (the
    /// demo loader and tests use it to see links and warnings without polling).
    func settle() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.followUps == 0 { return true }
                state.settling.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func writeSeparatingFailures(_ batch: [PreparedReport]) async -> [Outcome] {
        do {
            return try await write(batch)
        } catch {
            guard batch.count > 1 else { return [.failure(error)] }
        }
        var outcomes: [Outcome] = []
        for report in batch {
            do { outcomes.append(contentsOf: try await write([report])) } catch { outcomes.append(.failure(error)) }
        }
        return outcomes
    }
}
