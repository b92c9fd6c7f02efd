import CairnCore
import Foundation
import Linkage

/// One generated report and the rows that go with it.
struct GeneratedReport {
    let report: ReportRecord
    var events: [EventRecord] = []
    var indicators: [IndicatorRecord] = []
    var mentions: [MentionRecord] = []
    var referrals: [ReferralRecord] = []
    /// Set when a case is opened from the report (see `GenerateCases`).
    var caseStart: CaseStart?

    struct CaseStart {
        let leadAgencyID: UUID
        let opener: GenerateCast.Person
        let openedAt: Date
        let types: [ExploitationType]
        let countyLines: Bool
        let ageGroup: AgeGroup
    }
}

/// What a report is about, as a practitioner (or later the triage team) classifies it.
struct GenerateClassification {
    var types: [ExploitationType]
    var countyLines = false
    var ageGroup: AgeGroup
    var sector: LabourSector?
    var indicators: [ReportInput.IndicatorTick] = []

    var primary: ExploitationType { types.first ?? .notKnown }
}

/// A group of people behind several reports: the same phone, person, address, vehicle or
/// business turns up in each, so the linker finds them (after `cairn link rebuild`).
struct GenerateNetwork {
    let phone: String
    let person: ReportInput.Person
    let address: ReportInput.Address
    let district: String
    /// Where the network is: its reports give this postcode.
    let postcode: String
    let vehicle: String?
    let business: String?
    let classification: GenerateClassification
}

/// Makes reports one at a time, in the order they were received, as intake would have stored
/// them (`ReportService.prepare`: the same validation, triage rules, routing and deadlines),
/// then moves each through triage to its outcome (`GenerateReportHistory.swift`).
struct ReportMaker {
    var random: GenerateRandom
    let cast: GenerateCast
    let service: ReportService
    let catalogue: IndicatorCatalogue
    let now: Date
    /// Every reference in use, so none is given twice (1 in 24 million per pair, but a million
    /// reports make thousands of pairs).
    var references: Set<String>
    /// Every case code in use.
    var caseCodes: Set<String>
    var networks: [GenerateNetwork] = []
    var phonesUsed = 0
    /// The rules that fired, as stored, by their ids: encoding them each time took 5% of the time.
    var firedRulesJSON: [String: String] = [:]
    var agencyFor: [PartnerService: Agency?] = [:]

    /// Share of reports from the public form; the rest are practitioners'.
    static let publicShare = 0.35
    /// Share of reports that belong to a network of reports about the same people.
    static let networkShare = 0.12

    static let reporterTypes: [(ReporterType, Double)] = [
        (.memberOfPublic, 52), (.hotel, 8), (.landlord, 5), (.lettingAgent, 4), (.recruitmentAgency, 3), (.otherBusiness, 8),
        (.personAffected, 8), (.other, 12),
    ]

    static let languages: [(PublicLanguage, Double)] = [(.en, 88), (.ro, 3), (.pl, 2), (.sq, 2), (.vi, 2), (.ar, 2), (.ti, 1)]

    /// Which agencies' practitioners make reports, and how many.
    static let reportingAgencies: [(String, Double)] = [
        ("Westmere Constabulary", 30), ("Westmere County Council Adult Safeguarding", 11), ("Westmere County Council Children's Services", 10),
        ("Harlow Vale District Council Housing", 5), ("Westmere Integrated Care Board", 2), ("Westmere Hospitals NHS Trust", 8),
        ("Jobcentre Plus Westmere", 8), ("Gangmasters and Labour Abuse Authority (Westmere team)", 6), ("Immigration Enforcement Westmere", 4),
        ("Westmere Freedom Project", 6), ("Safe Harbour Survivor Support", 4), ("Westmere Law Centre", 1), ("Westmere Fire and Rescue Service", 3),
    ]

    static let sectors: [(LabourSector, Double)] = [
        (.agriculture, 14), (.carWash, 16), (.nailBar, 8), (.hospitality, 14), (.construction, 10), (.foodProcessing, 8),
        (.warehousingAndLogistics, 10), (.care, 6), (.cleaning, 6), (.manufacturing, 4), (.fishing, 1), (.domesticWork, 2), (.other, 1),
    ]

    /// A report received at `received`; `forCase`: a survivor-support case will be opened from it.
    mutating func make(at received: Date, forCase: Bool) throws -> GeneratedReport {
        let id = UUID.timeOrdered(milliseconds: received.milliseconds, using: &random)
        var reference = ReportReference.generate(using: &random).value
        while !references.insert(reference).inserted { reference = ReportReference.generate(using: &random).value }
        let source: ReportSource = !forCase && random.chance(Self.publicShare) ? .public : .practitioner
        let network = random.chance(Self.networkShare) ? joinNetwork() : nil
        var truth = network?.classification ?? classify(forCase: forCase)
        if forCase, truth.ageGroup == .unknown { truth.ageGroup = .adult }
        let district = network?.district ?? random.weighted(GenerateWords.districts) ?? "WM1"

        var input = ReportInput()
        var person: GenerateCast.Person?
        input.description = GenerateWords.narrative(truth.primary, &random)
        if random.chance(0.85) { input.postcode = network?.postcode ?? GenerateWords.postcode(in: district, random: &random) }
        if random.chance(0.6) {
            input.location = "\(random.pick(GenerateWords.places) ?? "a house on") \(random.pick(GenerateWords.streets) ?? "Yarrowgate"), "
                + (district.hasPrefix("HV") ? "Harlow Vale" : "Westmere")
        }
        if source == .public {
            input.language = (random.weighted(Self.languages) ?? .en).rawValue
            input.reporterType = (random.weighted(Self.reporterTypes) ?? .memberOfPublic).rawValue
            input.dangerNow = random.chance(0.05)
            if random.chance(0.45) {
                input.anonymous = false
                input.contactName = "\(random.pick(GenerateWords.givenNames) ?? "Sam") (generated)"
                input.contactPhone = GenerateWords.phone(15_000 + random.int(0...999))
                input.contactConsent = true
            }
        } else {
            let agency = cast.member(random.weighted(Self.reportingAgencies) ?? "Westmere Constabulary")
            person = agency.flatMap { random.pick($0.practitioners + $0.caseworkers) } ?? random.pick(cast.triageTeam)
            input.dangerNow = !forCase && random.chance(0.03)
            input.exploitationTypes = truth.types.map(\.rawValue)
            input.countyLines = truth.countyLines
            input.ageGroup = truth.ageGroup.rawValue
            input.labourSector = truth.sector?.rawValue ?? ""
            input.indicators = truth.indicators
        }
        mentions(into: &input, network: network, district: district)

        let valid: ValidReport
        switch ReportValidation.validate(input, source: source, catalogue: catalogue, requireFormAnswers: false, now: received) {
        case .success(let v): valid = v
        case .failure(let issues):
            throw AppError(.internalServerError, title: "Generated report refused",
                           "A generated report did not pass validation: \(issues.issues.map(\.english).joined(separator: " "))")
        }
        var generated = intake(valid, id: id, reference: reference, received: received, by: person)
        try history(&generated, truth: truth, forCase: forCase)
        return generated
    }

    // MARK: Intake, as `ReportService.prepare` stores a report

    mutating func intake(_ valid: ValidReport, id: UUID, reference: String, received now: Date, by person: GenerateCast.Person?) -> GeneratedReport {
        let report = ReportRecord(id: id, receivedAt: now)
        report.reference = reference
        if valid.source == .public {
            // A public report keeps a hash of the passphrase its reporter was given. Nobody holds
            // one for a generated report, so this is a hash no passphrase is known to match.
            report.passphraseHash = Secrets.sha256Hex("\(reference)|\(random.next())")
        }
        report.take(valid, by: person?.id, of: person?.agencyID, at: now)
        report.idempotencyKey = nil
        report.requestFingerprint = nil
        let answers = valid.triageAnswers(catalogue: catalogue)
        let result = service.triage.assess(answers)
        report.urgency = result.urgency.rawValue
        report.triageRules = storedRules(result)
        report.dueAt = service.deadlines.deadline(for: result.urgency, from: now)
        report.status = ReportStatus.new.rawValue
        report.routingExplanation = ""
        var generated = GeneratedReport(report: report)
        generated.events.append(event(report, at: now, person: person, name: person?.name ?? "Public reporter", action: "received", from: "",
                                      to: .new, note: valid.source == .public ? "Received through the public form." : "Recorded by a practitioner."))
        if valid.classified || result.urgency == .emergency {
            report.status = ReportStatus.triaged.rawValue
            generated.events.append(event(report, at: now.addingTimeInterval(0.001), person: nil, name: "Triage rules", action: "triage", from: "new",
                                          to: .triaged, note: "Urgency \(result.urgency.label.lowercased()). " + ReportService.ruleSummary(result)))
            let decision = service.routing.route(answers, urgency: result.urgency)
            if let holder = agency(for: decision.destination) {
                report.assignedAgencyID = holder.id
                report.status = ReportStatus.assigned.rawValue
                report.routingExplanation = decision.explanation
                generated.events.append(event(report, at: now.addingTimeInterval(0.002), person: nil, agency: holder.id, name: "Routing rules",
                                              action: "assign", from: "triaged", to: .assigned, note: "\(decision.explanation) Assigned to \(holder.name)."))
            } else {
                report.routingExplanation = "\(decision.explanation) No agency provides \(decision.destination.label.lowercased()), so the triage team must assign it."
            }
        }
        if report.reportStatus == .new { report.dueAt = service.triageDeadline(from: now) }
        generated.indicators = valid.indicators.map { tick in
            IndicatorRecord(id: UUID.timeOrdered(milliseconds: now.milliseconds, using: &random), reportID: id, indicatorID: tick.indicator.id,
                            indicatorVersion: tick.indicator.version, knowledge: tick.knowledge.rawValue)
        }
        generated.mentions = valid.mentions.map { m in
            MentionRecord(id: UUID.timeOrdered(milliseconds: now.milliseconds, using: &random), reportID: id, kind: m.kind.rawValue, value: m.value,
                          normalised: m.normalised, aliases: m.aliases, dateOfBirth: m.dateOfBirth, age: m.age, nationality: m.nationality,
                          postcode: m.postcode)
        }
        return generated
    }

    /// `ReportService.agency(for:among:)`, once for each service (an agency's services are read from text).
    mutating func agency(for service: PartnerService) -> Agency? {
        if let known = agencyFor[service] { return known }
        let found = ReportService.agency(for: service, among: cast.agencies)
        agencyFor[service] = .some(found)
        return found
    }

    /// `ReportService.json(result.firedRules)`, once for each set of rules.
    mutating func storedRules(_ result: TriageResult) -> String {
        let key = result.firedRules.map(\.id).joined(separator: ",")
        if let json = firedRulesJSON[key] { return json }
        let json = ReportService.json(result.firedRules)
        firedRulesJSON[key] = json
        return json
    }

    /// A history entry; its id is ordered by the report's receipt, so a batch's rows go to the
    /// end of the table's index together.
    mutating func event(_ report: ReportRecord, at: Date, person: GenerateCast.Person?, agency: UUID? = nil, name: String, action: String,
                        from: String, to: ReportStatus, note: String) -> EventRecord {
        EventRecord(id: UUID.timeOrdered(milliseconds: report.receivedAt.milliseconds, using: &random), reportID: report.id, at: at,
                    actorID: person?.id, actorName: name, agencyID: agency ?? person?.agencyID, action: action, fromStatus: from,
                    toStatus: to.rawValue, note: note)
    }

    // MARK: What reports are about

    mutating func classify(forCase: Bool) -> GenerateClassification {
        let weights: [(ExploitationType, Double)] = [(.labour, 30), (.sexual, 22), (.criminal, 28), (.domesticServitude, 7), (.organHarvesting, 0.3),
                                                     (.notKnown, forCase ? 0 : 12.7)]
        let primary = random.weighted(weights) ?? .labour
        var types = [primary]
        if primary == .sexual, random.chance(0.15) { types.append(.criminal) }
        if primary == .labour, random.chance(0.05) { types.append(.domesticServitude) }
        let countyLines = types.contains(.criminal) && random.chance(0.45)
        let ages: [(AgeGroup, Double)] = countyLines ? [(.child, 55), (.possibleChild, 15), (.adult, 30)]
            : primary == .sexual ? [(.adult, 75), (.child, 15), (.possibleChild, 5), (.unknown, 5)]
            : [(.adult, 80), (.child, 8), (.possibleChild, 4), (.unknown, 8)]
        var c = GenerateClassification(types: types.sorted { $0.declarationIndex < $1.declarationIndex }, countyLines: countyLines,
                                       ageGroup: random.weighted(ages) ?? .adult)
        if types.contains(.labour) { c.sector = random.weighted(Self.sectors) }
        // Signs ticked: from the lists that fit the type, observed or disclosed.
        let lists: [IndicatorList] = countyLines ? [.countyLines, .ukGeneral]
            : types.contains(.labour) ? [.iloForcedLabour, .ukGeneral]
            : types.contains(.criminal) && random.chance(0.2) ? [.cuckooing, .ukGeneral] : [.ukGeneral]
        let offered = catalogue.items.filter { !$0.retired && lists.contains($0.list) }
        let count = random.weighted([(0, 30.0), (1, 25), (2, 20), (3, 15), (4, 10)]) ?? 0
        var chosen: [String] = []
        for _ in 0..<count {
            if let item = random.pick(offered), !chosen.contains(item.id) { chosen.append(item.id) }
        }
        c.indicators = chosen.map { .init(id: $0, knowledge: random.chance(0.6) ? IndicatorKnowledge.observed.rawValue : IndicatorKnowledge.disclosed.rawValue) }
        return c
    }

    /// Joins a network of reports (or starts one, for about one report in seven of those in a
    /// network): the most recent 200 stay active. Each has its own phone and business, so
    /// networks meet only now and then (through a person's name and date of birth, an address).
    mutating func joinNetwork() -> GenerateNetwork? {
        if networks.isEmpty || random.chance(0.15) {
            let nationality = random.weighted(GenerateWords.nationalities.map { ($0, $0.weight) })
            let year = random.int(1965...2002)
            let district = random.weighted(GenerateWords.districts) ?? "WM1"
            let network = GenerateNetwork(
                phone: GenerateWords.phone(phonesUsed),
                person: .init(name: GenerateWords.personName(&random), dateOfBirth: "\(year)", nationality: nationality?.name ?? "British"),
                address: .init(line: "\(random.int(1...180)) \(random.pick(GenerateWords.streets) ?? "Yarrowgate")", postcode: ""),
                district: district, postcode: GenerateWords.postcode(in: district, random: &random),
                vehicle: random.chance(0.5) ? GenerateWords.vehicle(&random) : nil,
                business: random.chance(0.4) ? GenerateWords.business(phonesUsed) : nil,
                classification: classify(forCase: true))
            phonesUsed += 1
            networks.append(network)
            if networks.count > 200 { networks.removeFirst() }
            return network
        }
        return random.pick(networks)
    }

    /// The people, places, phones, vehicles and businesses a report mentions: a network's
    /// shared ones, or now and then a person of its own.
    mutating func mentions(into input: inout ReportInput, network: GenerateNetwork?, district: String) {
        guard let network else {
            if random.chance(0.15) {
                let nationality = random.weighted(GenerateWords.nationalities.map { ($0, $0.weight) })
                let year = random.int(1970...2008), month = random.int(1...12), day = random.int(1...28)
                func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
                input.persons = [.init(name: GenerateWords.personName(&random), dateOfBirth: "\(two(day))/\(two(month))/\(year)",
                                       nationality: nationality?.name ?? "British")]
            }
            return
        }
        if random.chance(0.8) { input.phones = network.phone }
        if random.chance(0.5) { input.persons = [network.person] }
        if random.chance(0.4) {
            input.addresses = [.init(line: network.address.line, postcode: network.postcode)]
        }
        if let vehicle = network.vehicle, random.chance(0.3) { input.vehicles = vehicle }
        if let business = network.business, random.chance(0.3) { input.businesses = business }
    }
}
