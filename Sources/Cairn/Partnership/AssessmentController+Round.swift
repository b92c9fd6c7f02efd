import CairnCore
import Foundation

/// The rounds' pages: the list, the form to open one, a round with its progress and heat map,
/// and the page that confirms closing it.
extension AssessmentController {
    struct RoundRow: Sendable {
        let href: String
        let name: String
        let opensOn: String
        let closesBy: String
        let status: String
        let open: Bool
        let agenciesRated: Int
    }

    struct ListPage: Sendable {
        let rows: [RoundRow]
        let empty: Bool
        let canOpen: Bool
        /// The round open now, if any: its page and whether the reader rates in it.
        let current: RoundRow?
        let rateHref: String?
    }

    static func listPage(_ rounds: [AssessmentService.RoundSummary], identity: Identity) -> ListPage {
        let rows = rounds.compactMap { summary -> RoundRow? in
            guard let id = summary.round.id else { return nil }
            let r = summary.round
            return RoundRow(href: AssessmentRoute.round(.value(id)).path, name: r.name, opensOn: Format.day(r.opensOn), closesBy: Format.day(r.closesBy),
                            status: r.closedAt.map { "Closed \(Format.date($0))" } ?? "Open", open: !r.isClosed, agenciesRated: summary.agenciesRated)
        }
        let current = zip(rounds, rows).first { $0.0.round.isClosed == false }
        return ListPage(rows: rows, empty: rows.isEmpty, canOpen: identity.can(.editPartnership) && current == nil, current: current?.1,
                        rateHref: current.flatMap { pair in
                            identity.can(.rateSelfAssessment) && pair.0.round.takesRatings(now: Date())
                                ? pair.0.round.id.map { AssessmentRoute.rate(.value($0)).path } : nil
                        })
    }

    struct NewPage: Sendable, DateFieldPage {
        let name: String
        var dates: [String: DateField]
    }

    /// The form to open a round: as typed, or (`fresh`) with today and six weeks ahead offered.
    static func newPage(_ input: AssessmentService.RoundInput, now: Date, fresh: Bool = false) -> NewPage {
        let today = AssessmentService.today(now)
        let example = DateField.example(today)
        return NewPage(
            name: input.name,
            dates: [
                "opensOn": DateField("opensOn", legend: "Opening date", hint: "Agencies can rate from this day. \(example)",
                                     value: fresh ? today.description : input.opensOn),
                "closesBy": DateField("closesBy", legend: "Closing date", hint: "When agencies are asked to have rated by. \(example)",
                                      value: fresh ? today.adding(days: 42).description : input.closesBy),
            ])
    }

    struct ProgressRow: Sendable {
        let name: String
        let href: String
        let rated: Int
        let total: Int
        let complete: Bool
        let none: Bool
        let lastSaved: String
    }

    struct HeatCell: Sendable {
        /// "1"–"4", or nil where the agency did not rate the factor.
        let level: String?
        let label: String
    }

    struct HeatRow: Sendable {
        let key: String
        let name: String
        let cells: [HeatCell]
        let median: String?
        let medianClass: String
        let change: String?
        let changeWord: String
        let changeArrow: String
        let changeRest: String
        let gap: Bool
        /// The plan's new-action form, prefilled with this factor (shown to planners for a gap
        /// no action answers yet).
        let planHref: String?
        /// The plan's actions made from this round for this factor.
        let planned: [PlannedAction]
    }

    struct PlannedAction: Sendable {
        let title: String
        let href: String
    }

    struct HeatGroup: Sendable {
        let label: String
        let span: Int
        let first: HeatRow?
        let rest: [HeatRow]
    }

    struct RoundPage: Sendable {
        let id: String
        let name: String
        let lines: [Line]
        let open: Bool
        let rateHref: String?
        let ownRated: String
        let closeHref: String?
        let progress: [ProgressRow]
        let agenciesRated: Int
        let agencies: Int
        let columns: [ProgressRow]
        let groups: [HeatGroup]
        let empty: Bool
        let previousName: String?
        let previousHref: String?
        let canPlan: Bool
        let gaps: Int
        let levels: [Choice]
    }

    static func roundPage(_ r: AssessmentService.RoundResults, identity: Identity) throws -> RoundPage {
        let round = r.round
        let id = try round.requireID()
        let canPlan = identity.can(.editPartnership)
        func progressRow(_ p: AssessmentService.AgencyProgress) -> ProgressRow {
            ProgressRow(name: p.name, href: AssessmentRoute.agency(.value(id), agency: .value(p.id)).path, rated: p.rated, total: Assessment.total,
                        complete: p.rated == Assessment.total, none: p.rated == 0, lastSaved: p.lastSaved.map(Format.dateTime) ?? "")
        }
        let groups = r.map.groups.map { group in
            let rows = group.rows.map { row in heatRow(row, round: round, roundID: id, canPlan: canPlan, planned: r.answeredBy[row.factor.key] ?? []) }
            return HeatGroup(label: group.group.label, span: rows.count, first: rows.first, rest: Array(rows.dropFirst()))
        }
        var lines = [Line(label: "Opened", value: Format.day(round.opensOn)), Line(label: "Closes by", value: Format.day(round.closesBy))]
        let takes = round.takesRatings(now: Date())
        lines.append(Line(label: "Status", value: round.closedAt.map { "Closed on \(Format.date($0)): the results are final" }
                          ?? (takes ? "Open: agencies can rate and change their ratings until the round is closed"
                                    : "Open from \(Format.day(round.opensOn)): agencies can rate from then")))
        let own = r.progress.first { $0.id == identity.agencyID }
        return RoundPage(
            id: id.uuidString, name: round.name, lines: lines, open: !round.isClosed,
            rateHref: takes && identity.can(.rateSelfAssessment) ? AssessmentRoute.rate(.value(id)).path : nil,
            ownRated: "\(own?.rated ?? 0) of \(Assessment.total)",
            closeHref: !round.isClosed && identity.can(.editPartnership) ? AssessmentRoute.confirmClose(.value(id)).path : nil,
            progress: r.progress.map(progressRow), agenciesRated: r.columns.count, agencies: r.progress.count,
            columns: r.columns.map(progressRow), groups: groups, empty: r.columns.isEmpty,
            previousName: r.previous?.name, previousHref: r.previous?.id.map { AssessmentRoute.round(.value($0)).path },
            canPlan: canPlan, gaps: r.map.gaps.count,
            levels: MaturityLevel.allCases.map { Choice(value: String($0.rawValue), label: $0.label, selected: false, hint: $0.hint) })
    }

    static func heatRow(_ row: Assessment.Row, round: AssessmentRound, roundID: UUID, canPlan: Bool,
                        planned: [AssessmentService.PlannedAction]) -> HeatRow {
        let change = row.change
        return HeatRow(
            key: row.factor.key, name: row.factor.name,
            cells: row.cells.map { level in HeatCell(level: level.map { String($0.rawValue) }, label: level?.label ?? "Not rated") },
            median: row.median.map(Assessment.format), medianClass: row.median.map { "maturity-\(max(1, min(4, Int($0.rounded(.down)))))" } ?? "",
            change: change?.text, changeWord: change?.direction.word ?? "", changeArrow: change?.direction.arrow ?? "",
            changeRest: change.map { "\(Assessment.format($0.current)) (was \(Assessment.format($0.previous)))" } ?? "",
            gap: row.isGap,
            planHref: row.isGap && canPlan && planned.isEmpty ? planActionLink(row, round: round, roundID: roundID) : nil,
            planned: planned.map { PlannedAction(title: $0.title, href: PlanRoute.action(.value($0.id)).path) })
    }

    /// The plan's new-action form prefilled with a low-rated factor, naming the round it came
    /// from (`assessment`), so the action can record the gap it answers.
    static func planActionLink(_ row: Assessment.Row, round: AssessmentRound, roundID: UUID) -> String {
        let median = row.median.map(Assessment.format) ?? ""
        return PlanRoute.newAction.path(query: [
            ("factor", row.factor.key),
            ("title", "Improve “\(row.factor.name)” (self-assessment \(round.name): median \(median) of 4)"),
            ("assessment", roundID.uuidString),
        ])
    }

    struct ClosePage: Sendable {
        let name: String
        let action: String
        let cancel: String
        let agenciesRated: Int
        let agencies: Int
        /// "Westmere Law Centre (12 of 28)", for each agency part-way.
        let partial: [String]
        /// How many agencies have not started (nil for none).
        let notStarted: Int?
        let notStartedWord: String
        let anyMissing: Bool
    }

    static func closePage(_ r: AssessmentService.RoundResults) throws -> ClosePage {
        let id = try r.round.requireID()
        let notStarted = r.progress.filter { $0.rated == 0 }.count
        let partial = r.progress.filter { $0.rated > 0 && $0.rated < Assessment.total }.map { "\($0.name) (\($0.rated) of \(Assessment.total))" }
        return ClosePage(name: r.round.name, action: AssessmentRoute.close(.value(id)).path, cancel: AssessmentRoute.round(.value(id)).path,
                         agenciesRated: r.columns.count, agencies: r.progress.count, partial: partial,
                         notStarted: notStarted == 0 ? nil : notStarted, notStartedWord: notStarted == 1 ? "agency has" : "agencies have",
                         anyMissing: !partial.isEmpty || notStarted > 0)
    }
}
