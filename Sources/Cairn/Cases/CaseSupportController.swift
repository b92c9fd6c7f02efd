import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The case team's pages for consent, the care plan, NRM and Duty to Notify, outcomes and
/// warnings; the agency task inbox; and the partnership's case figures.
struct CaseSupportController {
    let services: AppServices
    let views: Views
    var support: CaseSupportService { services.support }
    var cases: CaseService { services.cases }

    struct Tab: Sendable {
        let href: String
        let label: String
        let current: Bool
    }

    /// What every case sub-page shows at the top.
    struct Header: Sendable {
        let id: String
        let code: String
        let chosenName: String
        let interpreter: String
        let tabs: [Tab]
    }

    static func header(_ c: SupportCase, current: String) throws -> Header {
        let id = try c.requireID().uuidString
        let tabs = [("", "Summary"), ("/consent", "Consent"), ("/care-plan", "Needs and care plan"), ("/nrm", "NRM and Duty to Notify"),
                    ("/contacts", "Contacts"), ("/outcomes", "Outcomes")].map { Tab(href: "/cases/\(id)\($0.0)", label: $0.1, current: $0.0 == current) }
        return Header(id: id, code: c.code, chosenName: c.chosenName,
                      interpreter: c.contactLanguage,
                      tabs: tabs)
    }

    // MARK: Consent page

    struct ConsentRow: Sendable {
        let id: String
        let categories: [String]
        let purposes: [String]
        let agencies: [String]
        let method: String
        let period: String
        let nrmConsent: Bool
        let active: Bool
        let state: String
    }

    struct ConsentPage: Sendable, DateFieldPage {
        let header: Header
        let rows: [ConsentRow]
        let empty: Bool
        let categories: [Choice]
        let purposes: [Choice]
        let agencies: [Choice]
        let methods: [Choice]
        let interpreterLanguage: String
        let validFrom: String
        let validUntil: String
        let nrmConsent: Bool
        var dates: [String: DateField] = [:]
    }

    func consentPage(_ c: SupportCase, identity: Identity, address: String, input: CaseSupportService.ConsentInput? = nil) async throws -> ConsentPage {
        let rows = try await support.consents(try c.requireID(), identity: identity, address: address, via: "web")
        let agencies = try await services.accounts.agencies()
        let names = Dictionary(uniqueKeysWithValues: try agencies.map { (try $0.requireID().uuidString, $0.name) })
        let today = CaseSupportService.today()
        let input = input ?? CaseSupportService.ConsentInput(validFrom: today.description)
        return ConsentPage(
            header: try Self.header(c, current: "/consent"),
            rows: try rows.map { row in
                let record = row.record
                let state = row.withdrawnOn.map { "Withdrawn \(Format.day($0))" } ?? (record.isActive(on: today) ? "In force" : "Not in force")
                return ConsentRow(id: try row.requireID().uuidString, categories: record.categories.map(\.label).sorted(), purposes: record.purposes.map(\.label).sorted(),
                                  agencies: record.agencies.map { names[$0] ?? "an agency no longer listed" }.sorted(),
                                  method: record.method.label + (row.interpreterLanguage.map { " (\($0))" } ?? ""),
                                  period: "From \(Format.day(row.validFrom))" + (row.validUntil.map { " until \(Format.day($0))" } ?? ", no end date"),
                                  nrmConsent: row.nrmConsent, active: record.isActive(on: today) && row.withdrawnOn == nil, state: state)
            },
            empty: rows.isEmpty,
            categories: ConsentDataCategory.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.categories.contains($0.rawValue)) },
            purposes: ConsentPurpose.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.purposes.contains($0.rawValue)) },
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: input.agencies.contains(try $0.requireID().uuidString)) },
            methods: ConsentMethod.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.method == $0.rawValue) },
            interpreterLanguage: input.interpreterLanguage, validFrom: input.validFrom, validUntil: input.validUntil, nrmConsent: input.nrmConsent,
            dates: Self.consentDates(input, today: today))
    }

    struct WithdrawPage: Sendable {
        let header: Header
        let consentID: String
        let agencies: [String]
    }

    // MARK: Care plan page

    struct NeedRow: Sendable {
        let domain: String
        let urgency: String
        let priority: String
        let note: String
        let assessed: String
        let immediate: Bool
    }

    struct TaskRow: Sendable {
        let id: String
        let title: String
        let need: String
        let agency: String
        let due: String
        let status: String
        let overdue: Bool
        let noConsent: Bool
    }

    struct CarePlanPage: Sendable, DateFieldPage {
        let header: Header
        let needs: [NeedRow]
        let noNeeds: Bool
        let tasks: [TaskRow]
        let noTasks: Bool
        let domains: [Choice]
        let urgencies: [Choice]
        let priorities: [Choice]
        let agencies: [Choice]
        let task: CaseSupportService.TaskInput
        var dates: [String: DateField] = [:]
    }

    func carePlanPage(_ c: SupportCase, task: CaseSupportService.TaskInput = .init()) async throws -> CarePlanPage {
        let needs = try await support.needs(try c.requireID())
        let tasks = try await support.tasks(try c.requireID())
        let agencies = try await services.accounts.agencies()
        let names = Dictionary(uniqueKeysWithValues: try agencies.map { (try $0.requireID(), $0.name) })
        let today = CaseSupportService.today()
        let consents = try await support.activeConsents(try c.requireID(), on: services.database.db, today: today)
        let consented = Set(try agencies.filter { consents.permit(.needsAndCarePlan, for: .supportAndCarePlanning, to: try $0.requireID().uuidString, on: today) }.map { try $0.requireID() })
        return CarePlanPage(
            header: try Self.header(c, current: "/care-plan"),
            needs: needs.map { NeedRow(domain: $0.needDomain.label, urgency: $0.needUrgency.label, priority: $0.priority.label, note: $0.note,
                                       assessed: Format.day($0.assessedOn), immediate: $0.needUrgency == .immediate) },
            noNeeds: needs.isEmpty,
            tasks: try tasks.map { t in
                TaskRow(id: try t.requireID().uuidString, title: t.title, need: t.needDomain.label, agency: names[t.agencyID] ?? "", due: Format.day(t.dueOn),
                        status: t.taskStatus.label, overdue: t.core.isOverdue(on: today), noConsent: t.taskStatus.isOpen && !consented.contains(t.agencyID))
            },
            noTasks: tasks.isEmpty,
            domains: NeedDomain.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: task.need == $0.rawValue) },
            urgencies: NeedUrgency.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            priorities: SurvivorPriority.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            agencies: try agencies.map { a in
                Choice(value: try a.requireID().uuidString, label: a.name + (consented.contains(try a.requireID()) ? "" : " (no consent to share the care plan)"),
                       selected: task.agencyID == (try a.requireID().uuidString))
            },
            task: task, dates: Self.taskDates(task, today: today))
    }

    // MARK: NRM page

    struct NRMPage: Sendable, DateFieldPage {
        let header: Header
        let route: String
        let mayRefer: Bool
        let mayNotify: Bool
        let hasReferral: Bool
        let stage: String
        let facts: [CaseController.Line]
        let rgOverdue: Bool
        let authorities: [Choice]
        let rgChoices: [Choice]
        let cgChoices: [Choice]
        let reviewKinds: [Choice]
        let input: CaseSupportService.NRMInput
        let notices: [CaseController.Line]
        let types: [Choice]
        let locations: [Choice]
        let genders: [Choice]
        let ageBands: [Choice]
        let today: String
        var dates: [String: DateField] = [:]
    }

    func nrmPage(_ c: SupportCase, input: CaseSupportService.NRMInput? = nil) async throws -> NRMPage {
        let today = CaseSupportService.today()
        let route = try await support.route(c, today: today)
        let nrm = try await support.nrm(try c.requireID())
        var facts: [CaseController.Line] = []
        var overdue = false
        var stage = ""
        if let nrm {
            let referral = nrm.referral
            stage = referral.stage.label
            overdue = referral.isReasonableGroundsOverdue(on: today)
            facts.append(.init(label: "Referred", value: "\(Format.day(nrm.referralDate)) by \(nrm.firstResponder)"))
            if let r = nrm.reference { facts.append(.init(label: "Reference", value: r)) }
            if let a = referral.competentAuthority { facts.append(.init(label: "Competent authority", value: a.label)) }
            facts.append(.init(label: "Reasonable-grounds target", value: "\(Format.day(referral.reasonableGroundsTarget().description)) (5 working days)"))
            if let rg = referral.reasonableGrounds { facts.append(.init(label: "Reasonable grounds", value: "\(rg.decision.rawValue.capitalized), \(Format.day(rg.date.description))")) }
            if let end = referral.recoveryPeriodEarliestEnd { facts.append(.init(label: "Recovery period", value: "At least until \(Format.day(end.description))")) }
            if let cg = referral.conclusiveGrounds { facts.append(.init(label: "Conclusive grounds", value: "\(cg.decision.rawValue.capitalized), \(Format.day(cg.date.description))")) }
            for r in referral.reconsiderations {
                facts.append(.init(label: "Reconsideration", value: "Of the \(r.decision.label.lowercased()), requested \(Format.day(r.requestedOn.description))"))
            }
        }
        let input = input ?? CaseSupportService.NRMInput(
            referralDate: nrm?.referralDate ?? "", firstResponder: nrm?.firstResponder ?? "", reference: nrm?.reference ?? "",
            competentAuthority: nrm?.competentAuthority ?? "", rgDecision: nrm?.rgDecision ?? "", rgDate: nrm?.rgDate ?? "",
            cgDecision: nrm?.cgDecision ?? "", cgDate: nrm?.cgDate ?? "")
        let notices = try await support.dutyToNotify(try c.requireID()).map {
            CaseController.Line(label: Format.day($0.notifiedOn.description),
                                value: "\($0.exploitationTypes.map(\.label).sorted().joined(separator: ", ")); \($0.gender.rawValue); age \($0.ageBand.rawValue.replacingOccurrences(of: "_", with: "–"))")
        }
        return NRMPage(
            header: try Self.header(c, current: "/nrm"), route: route.explanation,
            mayRefer: route == .nrmReferralWithConsent || route == .nrmReferralWithoutConsent, mayNotify: route == .dutyToNotify,
            hasReferral: nrm != nil, stage: stage, facts: facts, rgOverdue: overdue,
            authorities: CompetentAuthority.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.competentAuthority == $0.rawValue) },
            rgChoices: NRMDecision.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: input.rgDecision == $0.rawValue) },
            cgChoices: NRMDecision.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: input.cgDecision == $0.rawValue) },
            reviewKinds: NRMDecisionKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            input: input, notices: notices,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            locations: ExploitationLocation.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue == "uk" ? "In the UK" : $0.rawValue.capitalized, selected: false) },
            genders: NotifiedGender.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: false) },
            ageBands: AgeBand.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue == "unknown" ? "Unknown" : $0.rawValue.replacingOccurrences(of: "_", with: "–"), selected: false) },
            today: today.description, dates: Self.nrmDates(input, today: today))
    }

    // MARK: Outcomes page

    struct RatingCell: Sendable {
        let value: String
    }

    struct OutcomeRow: Sendable {
        let outcome: String
        let cells: [RatingCell]
    }

    struct Series: Sendable {
        let label: String
        let points: String
        /// `series-N`: the colour comes from cairn.css, since the CSP blocks inline styles.
        let colourClass: String
        let dots: [Dot]
    }

    struct Dot: Sendable {
        let x: Int
        let y: Int
        let title: String
    }

    struct Axis: Sendable {
        let x: Int
        let label: String
    }

    struct OutcomeField: Sendable {
        let key: String
        let label: String
        let choices: [Choice]
    }

    struct OutcomesPage: Sendable, DateFieldPage {
        let header: Header
        let points: [String]
        let rows: [OutcomeRow]
        let empty: Bool
        let series: [Series]
        let axis: [Axis]
        let levels: [Axis]
        /// Where the plot starts, and where the level labels ("Not at all") end, left of it.
        let plotLeft: Int
        let labelRight: Int
        let next: String
        let pointChoices: [Choice]
        let fields: [OutcomeField]
        let today: String
        var dates: [String: DateField] = [:]
    }

    /// How many `series-N` colour classes cairn.css defines.
    static let seriesColours = 7

    func outcomesPage(_ c: SupportCase) async throws -> OutcomesPage {
        let rows = try await support.reviews(try c.requireID())
        let reviews = rows.compactMap(\.review)
        let opened = CalendarDate(c.openedAt, in: CaseSupportService.london)
        let next = ReviewPoint.next(caseOpened: opened, completed: Set(reviews.map(\.point)))
        // A line per outcome across the review points, 1 (not at all) to 5 (fully).
        // `left` leaves room for the longest level label ("Not at all", about 45 units at 9 px).
        let width = 560, left = 80, top = 10, height = 200
        let step = reviews.count > 1 ? (width - left - 20) / (reviews.count - 1) : 0
        let series = CoreOutcome.allCases.enumerated().map { index, outcome in
            var dots: [Dot] = []
            for (i, review) in reviews.enumerated() {
                guard let rating = review.ratings[outcome] else { continue }
                let x = left + 10 + i * step
                let y = top + height - (rating.score - 1) * (height / 4)
                dots.append(Dot(x: x, y: y, title: "\(outcome.label), \(review.point.label): \(rating.label)"))
            }
            return Series(label: outcome.label, points: dots.map { "\($0.x),\($0.y)" }.joined(separator: " "), colourClass: "series-\(index % Self.seriesColours)", dots: dots)
        }
        return OutcomesPage(
            header: try Self.header(c, current: "/outcomes"),
            points: reviews.map { "\($0.point.label) (\(Format.day($0.date.description)))" },
            rows: CoreOutcome.allCases.map { outcome in
                OutcomeRow(outcome: outcome.label, cells: reviews.map { RatingCell(value: $0.ratings[outcome]?.label ?? "—") })
            },
            empty: reviews.isEmpty, series: series,
            axis: reviews.enumerated().map { Axis(x: left + 10 + $0.offset * step, label: $0.element.point.label) },
            levels: OutcomeRating.allCases.map { Axis(x: top + height - ($0.score - 1) * (height / 4), label: $0.label) },
            plotLeft: left, labelRight: left - 6,
            next: next.map { "Next review: \($0.point.label), due \(Format.day($0.due.description))." } ?? "All review points are recorded.",
            pointChoices: ReviewPoint.allCases.filter { p in !reviews.contains { $0.point == p } }
                .map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == next?.point) },
            fields: CoreOutcome.allCases.map { o in
                OutcomeField(key: o.rawValue, label: o.label, choices: OutcomeRating.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) })
            },
            today: CaseSupportService.today().description,
            dates: ["reviewDate": DateField("reviewDate", legend: "Date of the review", hint: DateField.example(CaseSupportService.today()),
                                            value: CaseSupportService.today().description)])
    }

    // MARK: Inbox and task pages

    struct InboxRow: Sendable {
        let id: String
        let title: String
        let need: String
        let caseCode: String
        let chosenName: String
        let language: String
        let due: String
        let status: String
        let overdue: Bool
    }

    struct InboxPage: Sendable {
        let rows: [InboxRow]
        let empty: Bool
        let showDone: Bool
    }

    struct TaskPage: Sendable {
        let id: String
        let title: String
        let detail: String
        let need: String
        let caseCode: String
        let caseID: String
        let chosenName: String
        let interpreter: String
        let account: String
        let hasAccount: Bool
        let due: String
        let status: String
        let note: String
        let overdue: Bool
        let team: Bool
        let statuses: [Choice]
        // Strings are never false to a template: these say which parts to show.
        let hasDetail: Bool
        let hasNote: Bool
        let hasInterpreter: Bool
        /// Who set the task and how to reach them.
        let setBy: CaseService.Member?
    }

    func taskPage(_ shared: CaseSupportService.SharedTask) throws -> TaskPage {
        let t = shared.task
        return TaskPage(
            id: try t.requireID().uuidString, title: t.title, detail: t.detail, need: t.needDomain.label, caseCode: shared.caseCode, caseID: t.caseID.uuidString,
            chosenName: shared.chosenName,
            interpreter: SupportCase.contactLanguage(interpreterNeeded: shared.interpreterNeeded, language: shared.language),
            account: shared.account ?? "", hasAccount: shared.account != nil, due: Format.day(t.dueOn), status: t.taskStatus.label, note: t.updateNote,
            overdue: t.core.isOverdue(on: CaseSupportService.today()), team: shared.team,
            statuses: CarePlanTaskStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == t.taskStatus) },
            hasDetail: !t.detail.isEmpty, hasNote: !t.updateNote.isEmpty,
            hasInterpreter: !SupportCase.contactLanguage(interpreterNeeded: shared.interpreterNeeded, language: shared.language).isEmpty,
            setBy: shared.setBy)
    }

    // MARK: Partnership figures

    /// Counts from 1 to `threshold - 1` are not shown, so no one can be picked out of a
    /// small group; averages need at least `threshold` cases.
    static let threshold = 5

    static func shown(_ n: Int) -> String { n == 0 ? "0" : n < threshold ? "fewer than \(threshold)" : String(n) }

    struct CountRow: Sendable {
        let label: String
        let count: String
    }

    struct MovementRow: Sendable {
        let outcome: String
        let cases: String
        let improved: String
        let same: String
        let worse: String
        let first: String
        let latest: String
    }

    struct FiguresPage: Sendable {
        let total: String
        let status: [CountRow]
        let stages: [CountRow]
        let risk: [CountRow]
        let movement: [MovementRow]
        let threshold: Int
    }

    func figuresPage(_ f: CaseSupportService.Figures) -> FiguresPage {
        func rows(_ list: [(String, Int)]) -> [CountRow] {
            // Secondary suppression: the total is shown, so a table with one hidden small count
            // would give it away by subtraction; then the next smallest count is withheld too.
            let small = list.indices.filter { list[$0].1 > 0 && list[$0].1 < Self.threshold }
            var withheld = Set<Int>()
            if small.count == 1,
               let next = list.indices.filter({ !small.contains($0) && list[$0].1 > 0 }).min(by: { list[$0].1 < list[$1].1 }) {
                withheld.insert(next)
            }
            return list.indices.map { i in
                CountRow(label: list[i].0, count: withheld.contains(i) ? "withheld (protects a small count)" : Self.shown(list[i].1))
            }
        }
        return FiguresPage(
            total: Self.shown(f.total), status: rows(f.byStatus), stages: rows(f.byStage), risk: rows(f.byRisk),
            movement: f.movement.map { m in
                let enough = m.cases >= Self.threshold
                return MovementRow(outcome: m.outcome, cases: Self.shown(m.cases), improved: enough ? Self.shown(m.improved) : "—",
                                   same: enough ? Self.shown(m.same) : "—", worse: enough ? Self.shown(m.worse) : "—",
                                   first: enough ? String(format: "%.1f", m.first) : "—", latest: enough ? String(format: "%.1f", m.latest) : "—")
            },
            threshold: Self.threshold)
    }

    // MARK: Routes

    func teamCase(_ context: CairnRequestContext, section: String) async throws -> (Identity, SupportCase) {
        let identity = try context.requireIdentity(.workCases)
        let record = try await cases.view(try CaseController.id(context), identity: identity, address: context.clientAddress, via: "web \(section)")
        return (identity, record)
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        addContactRoutes(to: router, table: table)
        router.add(.get, "/cases/:id/consent", .workCases, table: table) { request, context in
            let (identity, c) = try await teamCase(context, section: "consent")
            return try views.render("cases/consent", try await consentPage(c, identity: identity, address: context.clientAddress),
                                    title: "Consent · \(c.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/consent", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(Self.consentDateRules)
            let input = CaseSupportService.ConsentInput(
                categories: data.all("categories"), purposes: data.all("purposes"), agencies: data.all("agencies"), method: data["method"] ?? "",
                interpreterLanguage: data["interpreterLanguage"] ?? "", validFrom: data["validFrom"] ?? "", validUntil: data["validUntil"] ?? "",
                nrmConsent: data.bool("nrmConsent"))
            do {
                try dates.check()
                _ = try await support.recordConsent(id, input, identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/consent", flash: "Consent recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/consent", try await consentPage(c, identity: identity, address: context.clientAddress, input: input),
                                        title: "Consent · \(c.code)", request: request, context: context, errors: error.fieldErrors, status: error.status,
                                        dates: dates)
            }
        }
        router.add(.get, "/cases/:id/consent/:consent/withdraw", .workCases, table: table) { request, context in
            let (_, c) = try await teamCase(context, section: "consent")
            guard let consentID = context.parameters.get("consent").flatMap(UUID.init(uuidString:)),
                  let row = try await support.consent(consentID, of: try c.requireID()),
                  row.withdrawnOn == nil else { throw AppError.notFound("consent") }
            let agencies = try await services.accounts.agencies()
            let names = try row.record.agencies.compactMap { id in try agencies.first { try $0.requireID().uuidString == id }?.name }.sorted()
            return try views.render("cases/withdraw", WithdrawPage(header: Self.header(c, current: "/consent"), consentID: consentID.uuidString, agencies: names),
                                    title: "Withdraw consent · \(c.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/consent/:consent/withdraw", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            guard let consentID = context.parameters.get("consent").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("consent") }
            let data = try await FormData.read(request)
            _ = try await support.withdrawConsent(id, consentID: consentID, note: data["note"] ?? "", identity: identity, address: context.clientAddress)
            return .seeOther("/cases/\(id.uuidString)/consent", flash: "Consent withdrawn. Shares that depended on it have stopped.")
        }

        router.add(.get, "/cases/:id/care-plan", .workCases, table: table) { request, context in
            let (_, c) = try await teamCase(context, section: "care plan")
            return try views.render("cases/care-plan", try await carePlanPage(c), title: "Care plan · \(c.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/needs", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let data = try await FormData.read(request)
            do {
                let need = try await support.assessNeed(id, domain: data["domain"] ?? "", urgency: data["urgency"] ?? "", priority: data["survivorPriority"] ?? "",
                                                        note: data["note"] ?? "", identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/care-plan", flash: "\(need.needDomain.label): need recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/care-plan", try await carePlanPage(c), title: "Care plan · \(c.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(.post, "/cases/:id/tasks", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(Self.taskDateRules)
            let input = CaseSupportService.TaskInput(need: data["need"] ?? "", title: data["title"] ?? "", detail: data["detail"] ?? "",
                                                     agencyID: data["agencyID"] ?? "", dueOn: data["dueOn"] ?? "")
            do {
                try dates.check()
                _ = try await support.addTask(id, input, identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/care-plan", flash: "Task added. The agency sees it in its task inbox.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/care-plan", try await carePlanPage(c, task: input), title: "Care plan · \(c.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }

        router.add(.get, "/cases/:id/nrm", .workCases, table: table) { request, context in
            let (_, c) = try await teamCase(context, section: "nrm")
            return try views.render("cases/nrm", try await nrmPage(c), title: "NRM · \(c.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/nrm", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let raw = try await FormData.read(request)
            let (data, dates) = raw.withDates(Self.nrmDateRules(raw))
            let input = CaseSupportService.NRMInput(
                referralDate: data["referralDate"] ?? "", firstResponder: data["firstResponder"] ?? "", reference: data["reference"] ?? "",
                competentAuthority: data["competentAuthority"] ?? "", rgDecision: data["rgDecision"] ?? "", rgDate: data["rgDate"] ?? "",
                cgDecision: data["cgDecision"] ?? "", cgDate: data["cgDate"] ?? "", reconsiderationOf: data["reconsiderationOf"] ?? "",
                reconsiderationRequested: data["reconsiderationRequested"] ?? "")
            do {
                try dates.check()
                let saved = try await support.saveNRM(id, input, identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/nrm", flash: "NRM record saved: \(saved.referral.stage.label).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/nrm", try await nrmPage(c, input: input), title: "NRM · \(c.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.get, "/cases/:id/nrm/draft", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let c = try await cases.teamCase(id, identity: identity)
            let text = try await support.nrmDraft(id, identity: identity, address: context.clientAddress)
            struct Draft: Sendable { let header: Header; let text: String }
            return try views.render("cases/nrm-draft", Draft(header: Self.header(c, current: "/nrm"), text: text), title: "NRM referral draft · \(c.code)",
                                    request: request, context: context)
        }
        router.add(.get, "/cases/:id/nrm/draft.txt", .workCases, table: table) { _, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let c = try await cases.teamCase(id, identity: identity)
            let text = try await support.nrmDraft(id, identity: identity, address: context.clientAddress)
            var response = Response(status: .ok, body: .init(byteBuffer: .init(string: text)))
            response.headers[.contentType] = "text/plain; charset=utf-8"
            response.headers[.contentDisposition] = "attachment; filename=\"nrm-draft-\(c.code).txt\""
            return response
        }
        router.add(.post, "/cases/:id/duty-to-notify", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(Self.noticeDateRules)
            let input = CaseSupportService.DutyToNotifyInput(
                notifiedOn: data["notifiedOn"] ?? "", exploitationTypes: data.all("exploitationTypes"), countyLines: data.bool("countyLines"),
                location: data["location"] ?? "", gender: data["gender"] ?? "", ageBand: data["ageBand"] ?? "", nationality: data["nationality"] ?? "",
                account: data["account"] ?? "")
            do {
                try dates.check()
                _ = try await support.recordDutyToNotify(id, input, identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/nrm", flash: "Duty to Notify recorded. It does not identify the person.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/nrm", try await nrmPage(c), title: "NRM · \(c.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }

        router.add(.get, "/cases/:id/outcomes", .workCases, table: table) { request, context in
            let (_, c) = try await teamCase(context, section: "outcomes")
            return try views.render("cases/outcomes", try await outcomesPage(c), title: "Outcomes · \(c.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/outcomes", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["reviewDate": DateInput.Rules(label: "Date of the review", timing: .todayOrPast)])
            var ratings: [String: String] = [:]
            for outcome in CoreOutcome.allCases { ratings[outcome.rawValue] = data["rating_\(outcome.rawValue)"] ?? "" }
            do {
                try dates.check()
                _ = try await support.recordReview(id, point: data["point"] ?? "", date: data["reviewDate"] ?? "", ratings: ratings, note: data["note"] ?? "",
                                                   identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/outcomes", flash: "Outcomes recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/outcomes", try await outcomesPage(c), title: "Outcomes · \(c.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.post, "/cases/:id/warnings", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["observedOn": DateInput.Rules(label: "Date seen", timing: .todayOrPast)])
            do {
                try dates.check()
                let (_, risk) = try await support.recordWarning(id, sign: data["sign"] ?? "", observedOn: data["observedOn"] ?? "", note: data["note"] ?? "",
                                                                identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)", flash: "Warning sign recorded. Re-exploitation risk: \(risk.level.rawValue). The case team has been alerted.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/show", try await CaseController(services: services, views: views).show(c, person: nil, identity: identity),
                                        title: "Case \(c.code)", request: request, context: context, errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.post, "/alerts/:alert/dismiss", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            guard let alertID = context.parameters.get("alert").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("alert") }
            try await support.dismissAlert(alertID, identity: identity, address: context.clientAddress)
            let data = try await FormData.read(request)
            let back = LocalRedirect.path(data["back"]) ?? "/"
            return .seeOther(back, flash: "Alert marked as read.")
        }

        router.add(.get, "/case-figures", .viewCaseStatistics, table: table) { request, context in
            let identity = try context.requireIdentity(.viewCaseStatistics)
            let figures = try await support.figures(identity: identity, address: context.clientAddress)
            return try views.render("cases/figures", figuresPage(figures), title: "Case figures", request: request, context: context)
        }
        router.add(.get, "/tasks", .workCareTasks, table: table) { request, context in
            let identity = try context.requireIdentity(.workCareTasks)
            let showDone = request.uri.queryParameters.get("show") == "all"
            let today = CaseSupportService.today()
            let rows = try await support.inbox(identity: identity, address: context.clientAddress, via: "web", includeDone: showDone).map { task, c in
                InboxRow(id: try task.requireID().uuidString, title: task.title, need: task.needDomain.label, caseCode: c.code, chosenName: c.chosenName,
                         language: c.interpreterNeeded ? "Interpreter: \(c.language)" : c.language, due: Format.day(task.dueOn), status: task.taskStatus.label,
                         overdue: task.core.isOverdue(on: today))
            }
            return try views.render("cases/inbox", InboxPage(rows: rows, empty: rows.isEmpty, showDone: showDone), title: "Care-plan tasks",
                                    request: request, context: context)
        }
        router.add(.get, "/tasks/:task", .workCareTasks, table: table) { request, context in
            let identity = try context.requireIdentity(.workCareTasks)
            guard let taskID = context.parameters.get("task").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("task") }
            let shared = try await support.sharedTask(taskID, identity: identity, address: context.clientAddress, via: "web")
            return try views.render("cases/task", taskPage(shared), title: shared.task.title, request: request, context: context)
        }
        router.add(.post, "/tasks/:task", .workCareTasks, table: table) { request, context in
            let identity = try context.requireIdentity(.workCareTasks)
            guard let taskID = context.parameters.get("task").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("task") }
            let data = try await FormData.read(request)
            do {
                let task = try await support.updateTask(taskID, status: data["status"] ?? "", note: data["note"] ?? "", identity: identity,
                                                        address: context.clientAddress)
                return .seeOther("/tasks/\(taskID.uuidString)", flash: "Task updated: \(task.taskStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let shared = try await support.sharedTask(taskID, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/task", taskPage(shared), title: shared.task.title, request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
