import FluentKit
import Foundation

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
actor IntakeWriter {
    typealias Outcome = Result<ReportService.Submitted, any Error>
    typealias Write = @Sendable ([PreparedReport]) async throws -> [Outcome]

    private let maximumBatch: Int
    private let write: Write
    /// Runs after each commit, off the answer path, with the reports that were new in it.
    private let afterCommit: (@Sendable ([PreparedReport]) async -> Void)?
    private var waiting: [(PreparedReport, CheckedContinuation<ReportService.Submitted, any Error>)] = []
    private var writing = false
    /// After-commit work still running, and who waits for it to finish (`settle`).
    private var followUps = 0
    private var settling: [CheckedContinuation<Void, Never>] = []

    init(maximumBatch: Int = 64, write: @escaping Write, afterCommit: (@Sendable ([PreparedReport]) async -> Void)? = nil) {
        self.maximumBatch = maximumBatch
        self.write = write
        self.afterCommit = afterCommit
    }

    func store(_ report: PreparedReport) async throws -> ReportService.Submitted {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((report, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(maximumBatch))
            waiting.removeFirst(batch.count)
            let outcomes = await writeSeparatingFailures(batch.map(\.0))
            var created: [PreparedReport] = []
            for ((report, continuation), outcome) in zip(batch, outcomes) {
                if case .success(let submitted) = outcome, !submitted.replayed { created.append(report) }
                continuation.resume(with: outcome)
            }
            if let afterCommit, !created.isEmpty {
                followUps += 1
                let stored = created
                Task {
                    await afterCommit(stored)
                    self.followUpFinished()
                }
            }
        }
        writing = false
    }

    private func followUpFinished() {
        followUps -= 1
        if followUps == 0 {
            for waiter in settling { waiter.resume() }
            settling = []
        }
    }

    /// Returns once the after-commit work of every report stored so far has finished (the
    /// demo loader and tests use it to see links and warnings without polling).
    func settle() async {
        guard followUps > 0 else { return }
        await withCheckedContinuation { settling.append($0) }
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
