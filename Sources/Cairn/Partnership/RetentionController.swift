import CairnCore
import Foundation
import Hummingbird

/// Administrators set the retention schedule, see what each period would remove now, and run it
/// (after a page that says what will go). Kept through `RetentionService`.
struct RetentionController {
    let services: AppServices
    let views: Views
    var retention: RetentionService { services.retention }

    static let perPage = 50

    struct KindRow: Sendable {
        let label: String
        let href: String
        let period: String
        let reason: String
        let inForce: Bool
        let setBy: String
        let due: String
    }

    struct RunRow: Sendable {
        let started: String
        let source: String
        let actor: String
        let outcome: String
        let summary: String
    }

    struct SchedulePage: Sendable {
        let kinds: [KindRow]
        let runs: [RunRow]
        let noRuns: Bool
        let daily: Bool
    }

    struct DueRow: Sendable {
        let reference: String
        let since: String
        let kept: String
    }

    struct KindPage: Sendable {
        let label: String
        let whatHappens: String
        let clock: String
        let action: String
        let amount: String
        let units: [Choice]
        let reason: String
        let inForce: Bool
        let setBy: String
        let period: String
        let due: Int
        let kept: Int
        let records: [DueRow]
        let empty: Bool
        let sinceLabel: String
        let pagination: Pagination
    }

    struct RunPage: Sendable {
        let lines: [String]
        let removed: Int
        let nothing: Bool
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(RetentionRoute.schedule, table: table) { request, context, _ in
            try views.render("partnership/retention", try await schedulePage(), title: "Retention", request: request, context: context)
        }
        router.add(RetentionRoute.kind(.key), table: table) { request, context, identity in
            let kind = try Self.kind(context)
            let rule = try await retention.rule(kind)
            let page = try await kindPage(rule, input: nil, page: Pagination.pageNumber(request), identity: identity)
            return try views.render("partnership/retention-kind", page, title: kind.label, request: request, context: context)
        }
        router.add(RetentionRoute.saveKind(.key), table: table) { request, context, identity in
            let kind = try Self.kind(context)
            let form = try await RetentionRuleForm.read(request)
            do {
                let rule = try await retention.setRule(kind, amount: form.amount ?? "", unit: form.unit ?? "", reason: form.reason ?? "",
                                                       identity: identity, address: context.clientAddress)
                return .seeOther(RetentionRoute.schedule.path, flash: "\(kind.label): kept for \(rule.period) \(kind.clock).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let page = try await kindPage(try await retention.rule(kind), input: form, page: 1, identity: identity)
                return try views.render("partnership/retention-kind", page, title: kind.label, request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(RetentionRoute.confirmRun, table: table) { request, context, _ in
            guard case .ran(let report) = try await retention.run(.administrator, actor: .system, dryRun: true) else { throw AppError.notFound() }
            let page = RunPage(lines: report.sentences, removed: report.removed, nothing: report.removed == 0)
            return try views.render("partnership/retention-run", page, title: "Run the retention schedule now?", request: request, context: context)
        }
        router.add(RetentionRoute.run, table: table) { _, _, identity in
            switch try await retention.run(identity: identity) {
            case .ran(let report):
                let failed = report.failed ? " Some of it stopped with an error and is left for the next run." : ""
                return .seeOther(RetentionRoute.schedule.path, flash: "Retention schedule applied: \(report.removed) record\(report.removed == 1 ? "" : "s") removed or anonymised.\(failed)")
            case .busy, .notDue:
                return .seeOther(RetentionRoute.schedule.path, flash: "Another run of the schedule is under way. Try again when it has finished.")
            }
        }
    }

    /// The kind named in the path; any other value is "not found".
    static func kind(_ context: CairnRequestContext) throws -> RetentionKind {
        guard let text = try? context.text(.retentionKind), text.count <= 40, let kind = RetentionKind(rawValue: text) else {
            throw AppError.notFound("kind of record")
        }
        return kind
    }

    func schedulePage() async throws -> SchedulePage {
        var kinds: [KindRow] = []
        for rule in try await retention.schedule() {
            let count = try await retention.count(rule.kind, period: rule.period)
            kinds.append(KindRow(
                label: rule.kind.label, href: RetentionRoute.kind(.value(rule.kind.rawValue)).path,
                period: "\(rule.period) \(rule.kind.clock)", reason: rule.reason, inForce: rule.inForce,
                setBy: rule.setAt.map { "\(rule.setBy ?? "") on \(Format.date($0))" } ?? "",
                due: count.kept > 0 ? "\(count.due) (\(count.kept) kept)" : "\(count.due)"))
        }
        let runs = try await retention.runs().map { run in
            RunRow(started: Format.dateTime(run.startedAt), source: run.source?.label ?? "", actor: run.actor, outcome: run.outcome.capitalized,
                   summary: run.summary)
        }
        return SchedulePage(kinds: kinds, runs: runs, noRuns: runs.isEmpty, daily: services.config.retentionJob)
    }

    func kindPage(_ rule: RetentionService.Rule, input: RetentionRuleForm?, page: Int, identity: Identity) async throws -> KindPage {
        let kind = rule.kind
        let count = try await retention.count(kind, period: rule.period)
        let records = try await retention.due(kind, period: rule.period, page: page, perPage: Self.perPage, identity: identity)
        let unit = input?.unit ?? rule.period.unit.rawValue
        return KindPage(
            label: kind.label, whatHappens: kind.whatHappens, clock: kind.clock, action: RetentionRoute.saveKind(.value(kind.rawValue)).path,
            amount: input?.amount ?? String(rule.period.amount),
            units: RetentionUnit.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0.rawValue == unit) },
            reason: input?.reason ?? rule.reason, inForce: rule.inForce,
            setBy: rule.setAt.map { "\(rule.setBy ?? "") on \(Format.dateTime($0))" } ?? "",
            period: "\(rule.period) \(kind.clock)", due: count.due, kept: count.kept,
            records: records.map { DueRow(reference: $0.reference, since: Format.dateTime($0.since), kept: $0.keptBecause ?? "") },
            empty: records.isEmpty, sinceLabel: Self.sinceLabel(kind),
            pagination: Pagination(page: page, perPage: Self.perPage, total: RetentionService.listed(kind, count),
                                   path: RetentionRoute.kind(.value(kind.rawValue)).path, query: []))
    }

    static func sinceLabel(_ kind: RetentionKind) -> String {
        switch kind {
        case .closedReports, .reporterContacts: "Closed"
        case .closedCases: "Closed"
        case .intelligenceItems: "Last reviewed or changed"
        case .sessions: "Expired"
        case .auditEntries: "Latest written"
        }
    }
}
