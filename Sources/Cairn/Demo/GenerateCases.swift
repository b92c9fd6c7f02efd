import CairnCore
import Foundation

/// One generated survivor-support case and its rows.
struct GeneratedCase {
    let id: UUID
    let record: SupportCase
    let identity: CaseIdentityRecord
    var team: [CaseTeamMember] = []
    var consents: [CaseConsent] = []
    var nrm: CaseNRM?
    var dutyToNotify: CaseDutyToNotify?
    var reviews: [CaseOutcomeReview] = []
    var warnings: [CaseWarning] = []
}

/// Cases opened from generated reports, as `CaseService.open` and the support pages record
/// them: the case and who the survivor is (invented, marked "(fictional)"), its team, the NRM
/// route its age and consent decide (a referral with reasonable- and conclusive-grounds
/// decisions, some still awaited, a few reconsidered; or an anonymous Duty to Notify),
/// MSCOS outcome reviews from intake on (most improving by the six-month review, some not),
/// re-exploitation warning signs and the risk they add up to, and closure for most older cases.
extension ReportMaker {
    static let closureReasons: [(ClosureReason, Double)] = [
        (.goalsMet, 45), (.survivorChoseToEndSupport, 12), (.transferredToAnotherService, 12), (.movedAway, 8), (.returnedToHomeCountry, 8),
        (.lostContact, 12), (.other, 3),
    ]
    static let signs: [(WarningSign, Double)] = [
        (.missedContacts, 30), (.lossOfAccommodation, 15), (.contactFromExploiter, 20), (.newDebt, 15), (.goingMissing, 15), (.newLinkedReport, 5),
    ]

    var today: CalendarDate { CalendarDate(now, in: TimeZone.london) }

    /// An instant on `day` at `hour`, London time, never after "today".
    func instant(_ day: CalendarDate, hour: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.london
        let at = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour)) ?? now
        return min(at, now).wholeMilliseconds
    }

    mutating func makeCase(from g: GeneratedReport, _ start: GeneratedReport.CaseStart) -> GeneratedCase {
        let opened = start.openedAt
        let openedDay = CalendarDate(opened, in: TimeZone.london)
        let id = UUID.timeOrdered(milliseconds: opened.milliseconds, using: &random)
        let child = start.ageGroup.isTreatedAsChild
        let nationality = (child && start.countyLines ? GenerateWords.nationalities.first : nil)
            ?? random.weighted(GenerateWords.nationalities.map { ($0, $0.weight) }) ?? GenerateWords.nationalities[0]
        let chosen = random.pick(GenerateWords.givenNames) ?? "Sam"
        let interpreter = random.chance(nationality.interpreter)

        let record = SupportCase()
        record.id = id
        var code = "SC-" + ReportReference.generate(using: &random).value.dropFirst("CRN-".count)
        while !caseCodes.insert(code).inserted { code = "SC-" + ReportReference.generate(using: &random).value.dropFirst("CRN-".count) }
        record.code = code
        record.chosenName = chosen
        record.status = CaseStatus.open.rawValue
        record.interpreterNeeded = interpreter
        record.language = nationality.language
        record.account = GenerateWords.survivorAccounts[start.types.first ?? .notKnown] ?? ""
        record.leadAgencyID = start.leadAgencyID
        record.reportID = g.report.id
        record.openedAt = opened
        record.openedByID = start.opener.id
        record.ageGroup = start.ageGroup.rawValue
        record.updatedAt = opened

        // Support ends for most cases after a year or so; some stay in follow-up.
        let age = openedDay.days(to: today)
        let closing = age > 30 && random.chance(age > 425 ? 0.8 : age > 180 ? 0.4 : 0.1)
        var closedDay: CalendarDate?
        if closing {
            let days = age >= 60 ? random.int(60...min(age, 540)) : random.int(max(1, age / 2)...age)
            let day = openedDay.adding(days: days)
            closedDay = day
            let at = instant(day, hour: 15)
            record.status = CaseStatus.closed.rawValue
            record.closedAt = at
            record.closureReason = (random.weighted(Self.closureReasons) ?? .goalsMet).rawValue
            record.followUpPlan = "Monthly call from the caseworker for six months; they have the helpline number (generated)."
            record.updatedAt = at
        } else if age > 180, random.chance(0.1) {
            record.status = CaseStatus.followUp.rawValue
        }

        let person = CaseIdentityRecord()
        person.id = UUID.timeOrdered(milliseconds: opened.milliseconds, using: &random)
        person.caseID = id
        person.legalName = "\(chosen) \(random.pick(GenerateWords.familyNames) ?? "Quexwick") (fictional)"
        let years = child ? random.int(13...17) : random.int(18...52)
        person.dateOfBirth = openedDay.adding(days: -(years * 365 + random.int(0...364))).description
        person.nationality = nationality.name
        person.languages = interpreter ? "\(nationality.language), some English" : nationality.language
        person.contact = ""

        var made = GeneratedCase(id: id, record: record, identity: person)
        let team = [start.opener] + (random.chance(0.35) ? [cast.member(id: start.leadAgencyID).flatMap { random.pick($0.caseworkers) }].compactMap { $0 } : [])
        for (n, member) in team.enumerated() where !made.team.contains(where: { $0.userID == member.id }) {
            let at = n == 0 ? opened : instant(openedDay.adding(days: random.int(1...20)), hour: 11)
            let row = CaseTeamMember(caseID: id, userID: member.id, addedBy: start.opener.id, at: max(at, opened))
            row.id = UUID.timeOrdered(milliseconds: opened.milliseconds, using: &random)
            made.team.append(row)
        }
        route(&made, start, openedDay: openedDay, nationality: nationality)
        reviews(&made, start, openedDay: openedDay, closedDay: closedDay)
        warnings(&made, start, openedDay: openedDay, closedDay: closedDay, team: team)
        return made
    }

    // MARK: NRM or Duty to Notify

    mutating func route(_ made: inout GeneratedCase, _ start: GeneratedReport.CaseStart, openedDay: CalendarDate,
                        nationality: GenerateWords.Nationality) {
        let id = made.id
        let child = start.ageGroup.isTreatedAsChild
        let opened = made.record.openedAt
        var referralFrom = openedDay
        if !child {
            guard random.chance(0.7) else {
                // No consent to a referral: an anonymous Duty to Notify, most of the time.
                if random.chance(0.8) { dutyToNotify(&made, start, on: min(openedDay.adding(days: random.int(0...14)), today), nationality: nationality) }
                return
            }
            let consent = CaseConsent()
            consent.id = UUID.timeOrdered(milliseconds: opened.milliseconds, using: &random)
            consent.caseID = id
            var categories: [ConsentDataCategory] = [.account, .needsAndCarePlan, .nrmDetails]
            if random.chance(0.5) { categories.append(.identityDetails) }
            var purposes: [ConsentPurpose] = [.supportAndCarePlanning, .nrmReferral]
            if random.chance(0.4) { purposes.append(.housing) }
            consent.categories = ConsentDataCategory.allCases.filter(categories.contains).map(\.rawValue).joined(separator: ",")
            consent.purposes = ConsentPurpose.allCases.filter(purposes.contains).map(\.rawValue).joined(separator: ",")
            var agencies = [start.leadAgencyID]
            if let police = cast.member("Westmere Constabulary"), police.id != start.leadAgencyID { agencies.append(police.id) }
            consent.agencies = agencies.map(\.uuidString).sorted().joined(separator: ",")
            let interpreted = made.record.interpreterNeeded
            consent.method = (interpreted ? (random.chance(0.5) ? ConsentMethod.verbalWithInterpreter : .writtenWithInterpreter)
                : (random.chance(0.5) ? ConsentMethod.written : .verbal)).rawValue
            consent.interpreterLanguage = interpreted ? made.record.language : nil
            let from = min(openedDay.adding(days: random.int(0...3)), today)
            consent.validFrom = from.description
            consent.validUntil = nil
            consent.nrmConsent = true
            // About six in ten agree to anonymised sharing (HTCDS): decided without a new draw,
            // so a seed gives the same data set as before.
            consent.anonymisedSharing = !purposes.contains(.housing)
            consent.recordedByID = start.opener.id
            consent.recordedAt = max(opened, instant(from, hour: 12))
            made.consents.append(consent)
            referralFrom = from
        } else if !random.chance(0.92) {
            return
        }
        let referral = referralFrom.adding(days: random.int(0...10))
        guard referral <= today else { return }
        let row = CaseNRM()
        row.id = UUID.timeOrdered(milliseconds: opened.milliseconds, using: &random)
        row.caseID = id
        row.referralDate = referral.description
        let lead = cast.member(id: start.leadAgencyID)
        row.firstResponder = lead.map { $0.firstResponder ? $0.name : "Westmere Constabulary" } ?? "Westmere Constabulary"
        row.reference = "NRM-GEN-" + made.record.code.dropFirst("SC-".count)
        let authorities: [(CompetentAuthority, Double)] = child ? [(.singleCompetentAuthority, 70), (.devolvedChildDecisionPanel, 30)]
            : [(.singleCompetentAuthority, 80), (.immigrationEnforcement, 20)]
        row.competentAuthority = random.weighted(authorities)?.rawValue
        var nrm = NRMReferral(referralDate: referral, firstResponderOrganisation: row.firstResponder)
        // Reasonable grounds: a third within the five-working-day target, the rest weeks later.
        let rgDay = referral.adding(days: random.chance(0.35) ? random.int(1...7) : Int(min(200, random.logNormal(median: 25, spread: 0.8))))
        if rgDay <= today {
            let rg = NRMDecisionRecord(random.chance(0.88) ? .positive : .negative, on: rgDay)
            nrm.reasonableGrounds = rg
            if rg.decision == .positive {
                let cgDay = rgDay.adding(days: Int(min(900, random.logNormal(median: 420, spread: 0.45))))
                if cgDay <= today { nrm.conclusiveGrounds = NRMDecisionRecord(random.chance(0.82) ? .positive : .negative, on: cgDay) }
            } else if random.chance(0.3) {
                let asked = rgDay.adding(days: random.int(5...30))
                if asked <= today {
                    let answered = asked.adding(days: random.int(20...90))
                    let outcome = answered <= today ? NRMDecisionRecord(random.chance(0.55) ? .positive : .negative, on: answered) : nil
                    nrm.reconsiderations = [ReconsiderationRequest(of: .reasonableGrounds, requestedOn: asked, outcome: outcome)]
                }
            }
        }
        if !nrm.validate(today: today).isEmpty {
            nrm.conclusiveGrounds = nil
            nrm.reconsiderations = []
        }
        row.rgDecision = nrm.reasonableGrounds?.decision.rawValue
        row.rgDate = nrm.reasonableGrounds?.date.description
        row.cgDecision = nrm.conclusiveGrounds?.decision.rawValue
        row.cgDate = nrm.conclusiveGrounds?.date.description
        row.reconsiderations = Self.encoded(nrm.reconsiderations) ?? "[]"
        row.updatedByID = start.opener.id
        let latest = [referral, nrm.reasonableGrounds?.date, nrm.conclusiveGrounds?.date, nrm.reconsiderations.first?.outcome?.date].compactMap { $0 }.max() ?? referral
        row.updatedAt = max(opened, instant(latest, hour: 16))
        made.nrm = row
    }

    mutating func dutyToNotify(_ made: inout GeneratedCase, _ start: GeneratedReport.CaseStart, on day: CalendarDate,
                               nationality: GenerateWords.Nationality) {
        let type = start.types.first ?? .notKnown
        let bands: [(AgeBand, Double)] = [(.age18to24, 30), (.age25to34, 35), (.age35to44, 20), (.age45to54, 10), (.unknown, 5)]
        guard let notice = try? DutyToNotifyRecord(
            notifyingAgencyType: cast.member(id: start.leadAgencyID)?.type ?? .ngo, notifiedOn: day, exploitationTypes: [type],
            countyLines: type == .criminal && start.countyLines, location: random.weighted([(ExploitationLocation.uk, 85.0), (.both, 10), (.overseas, 5)]) ?? .uk,
            gender: random.weighted([(NotifiedGender.female, 45.0), (.male, 50), (.unknown, 5)]) ?? .unknown,
            ageBand: random.weighted(bands) ?? .unknown, nationality: nationality.code,
            // No free text: screening it for identifiers is the slowest part of the record, and it is optional.
            account: "", namesToExclude: [made.record.chosenName]),
              let json = Self.encoded(notice) else { return }
        let row = CaseDutyToNotify()
        row.id = UUID.timeOrdered(milliseconds: made.record.openedAt.milliseconds, using: &random)
        row.caseID = made.id
        row.record = json
        row.recordedByID = start.opener.id
        row.recordedAt = max(made.record.openedAt, instant(day, hour: 14))
        made.dutyToNotify = row
    }

    static func encoded(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Outcome reviews and warning signs

    mutating func reviews(_ made: inout GeneratedCase, _ start: GeneratedReport.CaseStart, openedDay: CalendarDate, closedDay: CalendarDate?) {
        let id = made.id
        var rated = CoreOutcome.allCases.filter { _ in random.chance(0.85) }
        if rated.count < 3 { rated = Array(CoreOutcome.allCases.prefix(3)) }
        var scores = rated.map { _ in random.weighted([(1, 20.0), (2, 35), (3, 30), (4, 12), (5, 3)]) ?? 2 }
        // How this survivor's outcomes move: most improve, some stay, some get worse.
        let course = random.weighted([(1, 55.0), (0, 25), (-1, 20)]) ?? 1
        var points: [(ReviewPoint, CalendarDate)] = [(.intake, openedDay.adding(days: random.int(0...7)))]
        for (point, share) in [(ReviewPoint.oneMonth, 0.3), (.threeMonths, 0.5), (.sixMonths, 0.85), (.twelveMonths, 0.65)] where random.chance(share) {
            if let due = point.dueDate(caseOpened: openedDay) { points.append((point, due.adding(days: random.int(-3...14)))) }
        }
        if let closedDay, random.chance(0.5) { points.append((.exit, closedDay)) }
        for (index, (point, day)) in points.enumerated() {
            guard day <= today, day >= openedDay, closedDay.map({ day <= $0 }) ?? true, index == 0 || day >= points[0].1 else { continue }
            if index > 0 {
                scores = scores.map { score in
                    switch course {
                    case 1: random.chance(0.45) ? min(5, score + 1) : score
                    case -1: random.chance(0.3) ? max(1, score - 1) : score
                    default: random.chance(0.1) ? max(1, min(5, score + (random.chance(0.5) ? 1 : -1))) : score
                    }
                }
            }
            var ratings: [String: String] = [:]
            for (outcome, score) in zip(rated, scores) { ratings[outcome.rawValue] = OutcomeRating.allCases[max(0, min(4, score - 1))].rawValue }
            let row = CaseOutcomeReview()
            row.id = UUID.timeOrdered(milliseconds: made.record.openedAt.milliseconds, using: &random)
            row.caseID = id
            row.point = point.rawValue
            row.reviewDate = day.description
            row.ratings = Self.encoded(ratings) ?? "{}"
            row.note = ""
            row.recordedByID = start.opener.id
            row.recordedAt = max(made.record.openedAt, instant(day, hour: 10))
            made.reviews.append(row)
        }
    }

    mutating func warnings(_ made: inout GeneratedCase, _ start: GeneratedReport.CaseStart, openedDay: CalendarDate, closedDay: CalendarDate?,
                           team: [GenerateCast.Person]) {
        let count = random.weighted([(0, 62.0), (1, 20), (2, 11), (3, 7)]) ?? 0
        let span = max(0, openedDay.days(to: min(closedDay ?? today, today)))
        var recorded: [RecordedWarningSign] = []
        for _ in 0..<count {
            guard let sign = random.weighted(Self.signs) else { continue }
            let day = openedDay.adding(days: random.int(0...span))
            let row = CaseWarning()
            row.id = UUID.timeOrdered(milliseconds: made.record.openedAt.milliseconds, using: &random)
            row.caseID = made.id
            row.sign = sign.rawValue
            row.observedOn = day.description
            row.note = ""
            row.recordedByID = (random.pick(team) ?? start.opener).id
            row.recordedAt = max(made.record.openedAt, instant(day, hour: 14))
            made.warnings.append(row)
            recorded.append(RecordedWarningSign(sign, on: day))
        }
        made.record.riskLevel = ReexploitationRisk.assess(recorded, on: today).level.rawValue
    }
}
