import CairnCore
import Foundation

/// What happens to a generated report after intake, step by step as the workflow allows
/// (`ReportWorkflow`, `ReportService.perform`): triage by hand for a public report, the agency's
/// answer (most accept, some reject or pass it on), work, and an outcome; referrals to other
/// agencies and their replies. Each step's time follows the one before; a step that would fall
/// after "today" does not happen, so recent reports are still waiting. About one report in five
/// is answered after its urgency's deadline, and some public reports wait past the triage deadline.
extension ReportMaker {
    static let outcomes: [(ReportOutcome, Double)] = [
        (.noIndicatorsFound, 14), (.safeguardingReferralMade, 18), (.nrmReferralMade, 10), (.dutyToNotifyMade, 3), (.intelligenceRecorded, 20),
        (.premisesVisited, 10), (.policeInvestigationOpened, 12), (.supportOfferedAndAccepted, 8), (.supportOfferedAndDeclined, 4),
        (.duplicateOfAnotherReport, 1),
    ]
    static let caseOutcomes: [(ReportOutcome, Double)] = [
        (.supportOfferedAndAccepted, 45), (.nrmReferralMade, 30), (.safeguardingReferralMade, 20), (.dutyToNotifyMade, 5),
    ]
    /// Median days from acceptance to an outcome, by urgency.
    static func medianDaysToOutcome(_ urgency: Urgency) -> Double {
        switch urgency {
        case .emergency: 4
        case .high: 9
        case .medium: 18
        case .low: 30
        }
    }

    mutating func history(_ g: inout GeneratedReport, truth: GenerateClassification, forCase: Bool) throws {
        let report = g.report
        let received = report.receivedAt
        // A case source's history is squeezed, if need be, so its case opens before today.
        let scale = forCase ? min(1, 0.9 * now.timeIntervalSince(received) / (24 * 86_400)) : 1
        var clock = received
        var routed: Agency?
        func after(_ seconds: TimeInterval) -> Date { clock.addingTimeInterval(max(0.001, seconds * scale)).wholeMilliseconds }

        // Triage by hand: a public report waits for the triage team.
        if report.reportStatus == .new {
            let wait = random.weighted([(random.double(1_800...72_000), 80.0), (random.double(72_000...172_800), 15), (random.double(172_800...432_000), 5)]) ?? 3600
            let at = after(wait)
            guard at <= now, let analyst = random.pick(cast.triageTeam) else { return finish(&g) }
            routed = reclassify(&g, truth, by: analyst, at: at)
            clock = at
            if !forCase, random.chance(0.08) {
                let outcome: ReportOutcome = random.chance(0.6) ? .noIndicatorsFound : .duplicateOfAnotherReport
                close(&g, outcome: outcome, by: analyst, at: after(random.double(300...7_200)))
                return finish(&g)
            }
        }
        if report.reportStatus == .triaged {
            // Assigned by hand: after triage, or when the rules named a service no agency provides.
            guard let analyst = random.pick(cast.triageTeam) else { return finish(&g) }
            let at = after(random.double(120...10_800))
            guard at <= now, let agency = routed ?? routedAgency(report) else { return finish(&g) }
            assign(&g, to: agency, by: analyst, at: at)
            clock = at
        }
        guard var holder = report.assignedAgencyID else { return finish(&g) }

        // The agency's answer, against the urgency's deadline.
        let window = max(report.dueAt.timeIntervalSince(clock), 600)
        let late = !forCase && random.chance(0.22)
        let answer = window * (forCase ? random.double(0.02...0.5) : late ? random.double(1.05...2.5) : random.double(0.05...0.95))
        let path = forCase ? 0 : random.weighted([(0, 92.0), (1, 5), (2, 3)]) ?? 0
        if path == 1 {
            let at = after(answer)
            guard at <= now, let person = cast.actor(in: holder, &random) else { return finish(&g) }
            step(&g, "reject", to: .rejected, by: person, at: at, note: "Not for this agency: outside our remit (generated).")
            clock = at
            let again = after(random.double(3_600...86_400))
            guard again <= now, let analyst = random.pick(cast.triageTeam), let other = otherAgency(than: holder) else { return finish(&g) }
            assign(&g, to: other, by: analyst, at: again)
            clock = again
            holder = other.id
        } else if path == 2 {
            let at = after(answer / 2)
            guard at <= now, let person = cast.actor(in: holder, &random), let other = otherAgency(than: holder) else { return finish(&g) }
            report.assignedAgencyID = other.id
            step(&g, "re-route", to: .rerouted, by: person, at: at, note: "To \(other.name): better placed to act (generated).")
            clock = at
            holder = other.id
        }
        let acceptAt = after(path == 0 ? answer : random.double(3_600...172_800))
        guard acceptAt <= now, let acceptor = cast.actor(in: holder, &random) else { return finish(&g) }
        step(&g, "accept", to: .accepted, by: acceptor, at: acceptAt, note: "")
        if report.respondedAt == nil { report.respondedAt = acceptAt }
        clock = acceptAt

        if random.chance(0.55) {
            let at = after(random.double(600...259_200))
            if at <= now, let person = cast.actor(in: holder, &random) {
                step(&g, "start work on", to: .inProgress, by: person, at: at, note: "")
                clock = at
            }
        }
        if random.chance(forCase ? 0.8 : 0.93) {
            let days = min(400, random.logNormal(median: Self.medianDaysToOutcome(report.reportUrgency), spread: 0.9))
            let at = max(clock.addingTimeInterval(60), acceptAt.addingTimeInterval(days * 86_400 * scale)).wholeMilliseconds
            if at <= now, let person = cast.actor(in: holder, &random) {
                close(&g, outcome: random.weighted(forCase ? Self.caseOutcomes : Self.outcomes) ?? .intelligenceRecorded, by: person, at: at)
            }
        }
        if forCase { openCase(&g, truth: truth, holder: holder, accepted: acceptAt, scale: scale) }
        referrals(&g, from: holder, after: acceptAt, scale: scale)
        finish(&g)
    }

    /// Events in time order (ties keep the order they were made in); the report's last change.
    func finish(_ g: inout GeneratedReport) {
        g.events = g.events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        g.report.updatedAt = g.events.last?.at ?? g.report.receivedAt
    }

    // MARK: Steps

    mutating func step(_ g: inout GeneratedReport, _ action: String, to status: ReportStatus, by person: GenerateCast.Person, at: Date, note: String) {
        let from = g.report.status
        g.events.append(event(g.report, at: at, person: person, name: person.name, action: action, from: from, to: status, note: note))
        g.report.status = status.rawValue
    }

    /// The triage team classifies a public report, as `ReportService.reclassify` does, and is
    /// shown the agency the routing rules suggest.
    mutating func reclassify(_ g: inout GeneratedReport, _ truth: GenerateClassification, by analyst: GenerateCast.Person, at: Date) -> Agency? {
        let report = g.report
        let answers = TriageAnswers(dangerNow: report.dangerNow, ageGroup: truth.ageGroup,
                                    exploitation: ExploitationSummary(types: Set(truth.types), countyLines: truth.countyLines),
                                    labourSector: truth.sector,
                                    indicators: truth.indicators.compactMap { t in IndicatorKnowledge(rawValue: t.knowledge).map { IndicatorObservation(t.id, $0) } },
                                    catalogue: catalogue, area: report.postcodeDistrict)
        let result = service.triage.assess(answers)
        report.exploitationTypes = ReportService.storage(Set(truth.types))
        report.countyLines = truth.countyLines
        report.ageGroup = truth.ageGroup.rawValue
        report.labourSector = truth.sector?.rawValue
        report.classified = true
        report.urgency = result.urgency.rawValue
        report.triageRules = storedRules(result)
        report.dueAt = service.deadlines.deadline(for: result.urgency, from: report.receivedAt)
        let decision = service.routing.route(answers, urgency: result.urgency)
        report.routingExplanation = decision.explanation
        g.indicators = truth.indicators.compactMap { tick in
            guard let item = catalogue.indicator(id: tick.id), let knowledge = IndicatorKnowledge(rawValue: tick.knowledge) else { return nil }
            return IndicatorRecord(id: UUID.timeOrdered(milliseconds: report.receivedAt.milliseconds, using: &random), reportID: report.id,
                                   indicatorID: item.id, indicatorVersion: item.version, knowledge: knowledge.rawValue)
        }
        step(&g, "triage", to: .triaged, by: analyst, at: at,
             note: "Classified. Urgency \(result.urgency.label.lowercased()). " + ReportService.ruleSummary(result))
        return agency(for: decision.destination)
    }

    /// The agency the routing rules name for the report as classified, or the police's.
    mutating func routedAgency(_ report: ReportRecord) -> Agency? {
        let answers = TriageAnswers(dangerNow: report.dangerNow, ageGroup: report.age,
                                    exploitation: ExploitationSummary(types: report.types, countyLines: report.countyLines),
                                    labourSector: report.sector, indicatorDimensions: [], area: report.postcodeDistrict)
        let decision = service.routing.route(answers, urgency: report.reportUrgency)
        return agency(for: decision.destination)
            ?? cast.agencies.first { $0.agencyType == .police } ?? cast.agencies.first
    }

    /// Another Westmere agency that takes reports on: the police, or adult safeguarding for the police.
    func otherAgency(than holder: UUID) -> (id: UUID, name: String)? {
        let names = ["Westmere Constabulary", "Westmere County Council Adult Safeguarding", "Safe Harbour Survivor Support"]
        return names.compactMap { cast.member($0) }.first { $0.id != holder }.map { ($0.id, $0.name) }
    }

    mutating func assign(_ g: inout GeneratedReport, to agency: Agency, by analyst: GenerateCast.Person, at: Date) {
        guard let id = agency.id else { return }
        assign(&g, to: (id, agency.name), by: analyst, at: at)
    }

    mutating func assign(_ g: inout GeneratedReport, to agency: (id: UUID, name: String), by analyst: GenerateCast.Person, at: Date) {
        g.report.assignedAgencyID = agency.id
        g.report.routingExplanation = "Assigned by \(analyst.name)."
        step(&g, "assign", to: .assigned, by: analyst, at: at, note: "To \(agency.name).")
    }

    mutating func close(_ g: inout GeneratedReport, outcome: ReportOutcome, by person: GenerateCast.Person, at: Date) {
        let report = g.report
        let day = CalendarDate(at, in: TimeZone.london)
        let note = "Closed after enquiries (fictional generated record)."
        report.outcome = outcome.rawValue
        report.outcomeDate = day.description
        report.outcomeNote = note
        report.closedAt = at
        if report.respondedAt == nil { report.respondedAt = at }
        step(&g, "close", to: .closed, by: person, at: at, note: "\(outcome.label) (\(Format.day(day))). \(note)")
    }

    // MARK: Referrals

    static let referralTargets: [(String, Double)] = [
        ("Westmere County Council Adult Safeguarding", 28), ("Westmere County Council Children's Services", 14), ("Safe Harbour Survivor Support", 24),
        ("Harlow Vale District Council Housing", 9), ("Westmere Freedom Project", 10), ("Westmere Constabulary", 10), ("Jobcentre Plus Westmere", 5),
    ]

    /// About one accepted report in five is referred to another agency for action (a few to two);
    /// most referrals are answered within days, a few never.
    mutating func referrals(_ g: inout GeneratedReport, from holder: UUID, after accepted: Date, scale: Double) {
        guard random.chance(0.22) else { return }
        var targets = g.referrals.map(\.toAgencyID)
        for _ in 0..<(random.chance(0.06) ? 2 : 1) {
            guard let name = random.weighted(Self.referralTargets), let target = cast.member(name), target.id != holder, !targets.contains(target.id) else { continue }
            targets.append(target.id)
            let created = accepted.addingTimeInterval(random.double(3_600...864_000) * scale).wholeMilliseconds
            guard created <= now else { continue }
            let answered = created.addingTimeInterval(random.logNormal(median: 30 * 3_600, spread: 1.1) * scale).wholeMilliseconds
            // A few are never answered.
            let outcome: ReferralStatus = answered > now ? .pending
                : random.weighted([(.accepted, 66.0), (.rejected, 16), (.completed, 14), (.pending, 4)]) ?? .accepted
            refer(&g, from: holder, to: target, created: created, answered: answered, outcome: outcome)
        }
    }

    /// A referral and its replies, as `ReportService.refer` and `respond` record them.
    mutating func refer(_ g: inout GeneratedReport, from holder: UUID, to target: GenerateCast.Member, created: Date, answered: Date,
                        outcome: ReferralStatus) {
        guard let referrer = cast.actor(in: holder, &random) else { return }
        var shared: Set<ShareCategory> = [.summary]
        if random.chance(0.7) { shared.insert(.location) }
        if random.chance(0.4) { shared.insert(.mentions) }
        if random.chance(0.3) { shared.insert(.indicators) }
        var referral = ReferralRecord(id: UUID.timeOrdered(milliseconds: g.report.receivedAt.milliseconds, using: &random), reportID: g.report.id,
                                      fromAgencyID: holder, toAgencyID: target.id, status: ReferralStatus.pending.rawValue,
                                      shared: ShareCategory.allCases.filter(shared.contains).map(\.rawValue).joined(separator: ","),
                                      request: "Please assess and offer support to the person concerned (generated).", response: "",
                                      createdByID: referrer.id, createdAt: created, updatedAt: created)
        let labels = ShareCategory.allCases.filter(shared.contains).map(\.label).sorted().joined(separator: "; ")
        let status = statusAt(g, created)
        g.events.append(event(g.report, at: created, person: referrer, name: referrer.name, action: "refer", from: status, to: ReportStatus(rawValue: status) ?? .new,
                              note: "Referred to \(target.name) for action. Shared: \(labels)."))
        var replies: [(ReferralStatus, Date, String)] = []
        switch outcome {
        case .pending: break
        case .accepted: replies = [(.accepted, answered, "")]
        case .rejected: replies = [(.rejected, answered, "Outside our remit; please refer to adult safeguarding (generated).")]
        case .completed:
            replies = [(.accepted, answered, "")]
            let done = answered.addingTimeInterval(random.double(172_800...2_592_000)).wholeMilliseconds
            if done <= now { replies.append((.completed, done, "Support provided (generated).")) }
        }
        for (next, at, response) in replies {
            let responder = random.pick(target.practitioners + target.caseworkers) ?? referrer
            referral.status = next.rawValue
            if !response.isEmpty { referral.response = response }
            referral.updatedAt = at
            let current = statusAt(g, at)
            g.events.append(event(g.report, at: at, person: responder, agency: target.id, name: responder.name, action: "referral \(next.rawValue)",
                                  from: current, to: ReportStatus(rawValue: current) ?? .new,
                                  note: "\(target.name) \(next.label.lowercased()) the referral." + (response.isEmpty ? "" : " \(response)")))
        }
        g.referrals.append(referral)
    }

    /// The report's status at `time`, from its history so far.
    func statusAt(_ g: GeneratedReport, _ time: Date) -> String {
        var latest: (Date, String)?
        for e in g.events where e.at <= time && !e.action.hasPrefix("refer") {
            if latest.map({ e.at >= $0.0 }) ?? true { latest = (e.at, e.toStatus) }
        }
        return latest?.1 ?? ReportStatus.new.rawValue
    }

    // MARK: A case opened from the report

    /// The support agency that leads the case, a referral to it if it does not hold the report
    /// already (so its caseworker may see the report), and when the case is opened.
    mutating func openCase(_ g: inout GeneratedReport, truth: GenerateClassification, holder: UUID, accepted: Date, scale: Double) {
        let leads: [(String, Double)] = truth.ageGroup.isTreatedAsChild
            ? [("Westmere County Council Children's Services", 70), ("Safe Harbour Survivor Support", 30)]
            : [("Safe Harbour Survivor Support", 60), ("Westmere Freedom Project", 25), ("Westmere County Council Adult Safeguarding", 15)]
        guard let lead = cast.member(random.weighted(leads) ?? "Safe Harbour Survivor Support") ?? cast.members.first(where: { !$0.caseworkers.isEmpty }),
              let opener = random.pick(lead.caseworkers) ?? cast.members.flatMap(\.caseworkers).first else { return }
        var opened = accepted.addingTimeInterval(random.double(3_600...432_000) * scale)
        if holder != lead.id, g.report.reportingAgencyID != lead.id {
            let created = accepted.addingTimeInterval(random.double(3_600...259_200) * scale).wholeMilliseconds
            let answered = created.addingTimeInterval(random.double(3_600...172_800) * scale).wholeMilliseconds
            refer(&g, from: holder, to: lead, created: created, answered: answered, outcome: .accepted)
            opened = answered.addingTimeInterval(random.double(3_600...432_000) * scale)
        }
        g.caseStart = .init(leadAgencyID: lead.id, opener: opener, openedAt: min(opened, now).wholeMilliseconds, types: truth.types,
                            countyLines: truth.countyLines, ageGroup: truth.ageGroup == .unknown ? .adult : truth.ageGroup)
    }
}
