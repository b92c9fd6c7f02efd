import CairnCore
import FluentKit
import Foundation
import Logging
import SQLKit

/// What started a run of the schedule.
public enum RetentionSource: String, Sendable {
    case daily
    case administrator
    case commandLine = "command_line"

    var label: String {
        switch self {
        case .daily: "Daily run"
        case .administrator: "Run by an administrator"
        case .commandLine: "cairn retention run"
        }
    }
}

/// What a run removed (or, in a dry run, would remove), kind by kind, in counts only.
public struct RetentionReport: Sendable {
    public struct Line: Sendable {
        public let kind: RetentionKind
        /// The period applied; nil when no administrator has set one, so nothing was done.
        public let period: RetentionPeriod?
        /// Records anonymised or deleted (or that would be).
        public let removed: Int
        /// Records due but kept all the same (reports a case was opened from).
        public let kept: Int
        /// Set when this kind could not be finished (what it had done by then is in `removed`).
        public let failed: Bool
    }

    public let dryRun: Bool
    public let at: Date
    public let lines: [Line]

    public var removed: Int { lines.reduce(0) { $0 + $1.removed } }
    public var failed: Bool { lines.contains(where: \.failed) }

    /// One line per kind, for people: "Reports closed with no further action: 3 anonymised (1 kept …)".
    public var sentences: [String] {
        lines.map { line in
            guard let period = line.period else { return "\(line.kind.label): not set by an administrator, so nothing was done" }
            let verb = dryRun ? "would be \(line.kind.action.label)" : line.kind.action.label
            var text = "\(line.kind.label) (\(period) \(line.kind.clock)): \(line.removed) \(verb)"
            if line.kept > 0 { text += "; \(line.kept) kept because a case was opened from them" }
            if line.failed { text += "; stopped by an error, the rest is left for the next run" }
            return text
        }
    }

    /// The run's counts as the audit log and the run history keep them: kinds and numbers only.
    public var summary: String {
        lines.map { line in
            guard line.period != nil else { return "\(line.kind.rawValue) not set" }
            return "\(line.kind.rawValue) \(line.removed)" + (line.kept > 0 ? " (\(line.kept) kept)" : "") + (line.failed ? " failed" : "")
        }.joined(separator: "; ")
    }
}

extension RetentionService {
    /// How a request to run ended.
    public enum Outcome: Sendable {
        case ran(RetentionReport)
        /// Another run is under way (here or on another instance).
        case busy
        /// The daily run found one had finished within the day.
        case notDue
    }

    /// A run, or (`dryRun`) what one would do now, changing nothing. Only kinds an administrator
    /// has set are applied. A real run is the only one on the database while it lasts
    /// (`exclusively`), is recorded in `retention_runs`, and is audited with its counts; every
    /// record it changes is audited by its capability.
    public func run(_ source: RetentionSource, actor: AuditActor, dryRun: Bool = false, now: Date = Date()) async throws -> Outcome {
        let rules = try await schedule()
        if dryRun {
            var lines: [RetentionReport.Line] = []
            for rule in rules {
                guard rule.inForce else {
                    lines.append(.init(kind: rule.kind, period: nil, removed: 0, kept: 0, failed: false))
                    continue
                }
                let count = try await count(rule.kind, period: rule.period, now: now)
                lines.append(.init(kind: rule.kind, period: rule.period, removed: count.removed, kept: count.kept, failed: false))
            }
            return .ran(RetentionReport(dryRun: true, at: now, lines: lines))
        }
        let idleSince = source == .daily ? now.addingTimeInterval(-Self.dailyGap) : nil
        return try await exclusively(source: source, actor: actor, now: now, idleSince: idleSince) {
            try await apply(rules, source: source, actor: actor, now: now)
        }
    }

    /// "Run now", by an administrator.
    func run(identity: Identity) async throws -> Outcome {
        guard identity.can(.manageRetention) else { throw AppError.forbidden }
        return try await run(.administrator, actor: identity.auditActor)
    }

    /// A daily run waits this long after the last run that finished.
    static let dailyGap: TimeInterval = 23 * 3600

    /// The order kinds are applied in: a case anonymised releases the report it was opened
    /// from, so cases come before reports; the audit log comes last.
    static let order: [RetentionKind] = [.sessions, .reporterContacts, .closedCases, .closedReports, .intelligenceItems, .auditEntries]

    private func apply(_ rules: [Rule], source: RetentionSource, actor: AuditActor, now: Date) async throws -> RetentionReport {
        var lines: [RetentionKind: RetentionReport.Line] = [:]
        for kind in Self.order {
            guard let rule = rules.first(where: { $0.kind == kind }), rule.inForce else {
                lines[kind] = .init(kind: kind, period: nil, removed: 0, kept: 0, failed: false)
                continue
            }
            let cutoff = rule.period.cutoff(at: now)
            let detail = "retention: \(kind.rawValue), \(rule.period) \(kind.clock)"
            var progress = Progress()
            var failed = false
            do {
                try await erase(kind, before: cutoff, actor: actor, detail: detail, now: now, progress: &progress)
            } catch {
                failed = true
                database.logger.error("the retention schedule could not finish a kind of record; the rest is left for the next run",
                                      metadata: ["kind": "\(kind.rawValue)", "error": "\(String(describing: type(of: error)))"])
            }
            lines[kind] = .init(kind: kind, period: rule.period, removed: progress.removed, kept: progress.kept, failed: failed)
        }
        let report = RetentionReport(dryRun: false, at: now, lines: RetentionKind.allCases.compactMap { lines[$0] })
        try await audit.append(AuditEvent(actor: actor, action: report.failed ? "retention.run.failed" : "retention.run", recordType: "retention",
                                          address: source.rawValue, detail: "\(source.rawValue): \(report.summary)"))
        return report
    }

    private struct Progress {
        var removed = 0
        var kept = 0
    }

    /// Removes what of `kind` is due before `cutoff`, counting as it goes (so a failure part-way
    /// still reports what was done).
    private func erase(_ kind: RetentionKind, before cutoff: Date, actor: AuditActor, detail: String, now: Date,
                       progress: inout Progress) async throws {
        switch kind {
        case .sessions: progress.removed = try await auth.eraseSessions(before: cutoff)
        case .reporterContacts: progress.removed = try await reports.eraseReporterContacts(closedBefore: cutoff, actor: actor, detail: detail)
        case .closedCases: progress.removed = try await cases.anonymiseClosed(before: cutoff, actor: actor, reason: detail, now: now)
        case .intelligenceItems: progress.removed = try await intelligence.deleteItems(unchangedSince: cutoff, actor: actor, detail: detail)
        case .auditEntries: progress.removed = try await audit.prune(before: cutoff, actor: actor)
        case .closedReports:
            do {
                try await anonymiseReports(before: cutoff, actor: actor, detail: detail, now: now, progress: &progress)
            } catch {
                if progress.removed > 0 { try? await intelligence.forgetReportsEverywhere() }
                throw error
            }
            // Every instance's linking index is built again without them, so their people leave
            // memory as well (until then they are out of every cluster and link to nothing).
            if progress.removed > 0 { try await intelligence.forgetReportsEverywhere() }
        }
    }

    /// Anonymises the reports closed with no further action before `cutoff`, in batches in the
    /// order they were closed, passing over those a case keeps; each batch is one transaction,
    /// in which linking forgets them.
    private func anonymiseReports(before cutoff: Date, actor: AuditActor, detail: String, now: Date, progress: inout Progress) async throws {
        var cursor: ReportService.RetentionCursor?
        let reports = self.reports
        repeat {
            // A server stopping ends the run between batches; the rest is left for the next.
            try Task.checkCancellation()
            let batch = try await reports.retentionBatch(closedWithoutActionBefore: cutoff, after: cursor)
            cursor = batch.next
            guard !batch.due.isEmpty else { continue }
            let held = try await cases.reportsHeld(among: batch.due)
            progress.kept += held.count
            let ids = batch.due.filter { !held.contains($0) }
            let done = try await intelligence.forgetReports(ids) { db in
                try await reports.anonymise(ids, closedBefore: cutoff, actor: actor, detail: detail, now: now, on: db)
            }
            progress.removed += done.count
        } while cursor != nil
    }
}
