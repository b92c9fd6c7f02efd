import CairnCore
import Disclosure
import FluentKit
import Foundation

/// Statistical releases: the only way to their tables. Coordinators define releases and have
/// them computed and checked (`manageReleases`); administrators approve them
/// (`approveReleases`), which signs and publishes them for good. Published releases are open
/// to everyone; drafts and proposals only to those two roles. Every change is audited, with
/// the attacker check's result at approval.
///
/// The parts: computing and checking in `+Compute`, approval, signing and the privacy budget
/// in `+Approval`, lists and pages' data in `+Reading`.
struct ReleaseService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let sources: ReleaseSources
    let settings: Settings
    var db: any Database { database.db }

    struct Settings: Sendable {
        let partnershipID: String
        let areas: [String]
        let measure: PrivacyMeasure
        let capMicros: Int
    }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    static func canSeeUnpublished(_ identity: Identity?) -> Bool {
        identity.map { $0.can(.manageReleases) || $0.can(.approveReleases) } ?? false
    }

    /// What a coordinator types for a release, as text.
    struct Input: Sendable {
        /// `YYYY-Qn` or `YYYY`.
        var period = ""
        var method = ReleaseMethod.suppression.rawValue
        /// Each table as `population:dimension[+dimension]`, e.g. `reports:reporter_type+area`.
        var tables: [String] = []
        var threshold = "10"
        var roundingBase = "5"
        /// ε or ρ per table, as a decimal.
        var parameter = ""
        /// An approved release this one revises, and why.
        var revises = ""
        var revisionNote = ""
    }

    /// Parses and checks an input; all problems at once (422).
    func check(_ input: Input) async throws -> (definition: ReleaseDefinition, revises: UUID?, note: String) {
        var v = Validator()
        let period = ReleasePeriod(parsing: input.period.trimmingCharacters(in: .whitespaces))
        if period == nil { v.add("period", "Choose the quarter or year the release covers.") }
        let method = ReleaseMethod(rawValue: input.method)
        if method == nil { v.add("method", "Choose how the figures are protected.") }
        var specs: [ReleaseTableSpec] = []
        for text in input.tables {
            guard let spec = Self.spec(text) else { v.add("tables", "Choose tables from the list."); break }
            specs.append(spec)
        }
        let threshold = Int(input.threshold.trimmingCharacters(in: .whitespaces)).flatMap { input.threshold.count <= 4 ? $0 : nil }
        let base = Int(input.roundingBase.trimmingCharacters(in: .whitespaces)).flatMap { input.roundingBase.count <= 3 ? $0 : nil }
        var micros = 0
        if method?.isNoise == true {
            let text = input.parameter.trimmingCharacters(in: .whitespaces)
            if text.count <= 12, let value = Double(text), value.isFinite, value > 0 { micros = Int((value * 1_000_000).rounded()) }
            else { v.add("parameter", "Enter the privacy parameter as a number, such as 0.5.") }
        } else {
            if threshold == nil { v.add("threshold", "Enter the smallest count shown as a whole number, such as 10.") }
            if base == nil { v.add("roundingBase", "Enter the rounding base as a whole number, such as 5.") }
        }
        var revises: UUID?
        let note = input.revisionNote.trimmingCharacters(in: .whitespacesAndNewlines)
        if !input.revises.isEmpty {
            if let id = UUID(uuidString: input.revises), let earlier = try await StatisticsRelease.find(id, on: db),
               earlier.releaseStatus == .approved, earlier.period == period?.description {
                revises = id
                if note.isEmpty { v.add("revisionNote", "Say what the revision corrects.") }
            } else {
                v.add("revises", "A revision revises a published release of the same period.")
            }
        }
        if note.count > 1000 { v.add("revisionNote", "Keep the note to 1,000 characters.") }
        if let period, let method, v.errors.isEmpty {
            let definition = ReleaseDefinition(period: period, tables: specs, method: method, threshold: threshold ?? 10,
                                               roundingBase: base ?? 5, parameterMicros: micros)
            for issue in definition.problems() { v.add(issue.field, issue.message) }
            if v.errors.isEmpty { return (definition, revises, note) }
        }
        throw AppError.invalid(v.errors)
    }

    /// `reports:reporter_type+area` → a table spec.
    static func spec(_ text: String) -> ReleaseTableSpec? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let population = ReleasePopulation(rawValue: String(parts[0])) else { return nil }
        let dims = parts[1].split(separator: "+", omittingEmptySubsequences: false).map { ReleaseDimension(rawValue: String($0)) }
        guard !dims.isEmpty, dims.count <= 2, dims.allSatisfy({ $0 != nil }) else { return nil }
        return ReleaseTableSpec(population: population, dimensions: dims.compactMap { $0 })
    }

    static func text(_ spec: ReleaseTableSpec) -> String {
        spec.population.rawValue + ":" + spec.dimensions.map(\.rawValue).joined(separator: "+")
    }

    /// Saves a draft. Nothing is computed yet.
    func create(_ input: Input, identity: Identity, address: String, now: Date = Date()) async throws -> UUID {
        try require(identity, .manageReleases)
        let checked = try await check(input)
        if checked.definition.method.isNoise, let cost = try? cost(checked.definition),
           try await !ledger(year: checked.definition.period.year).canSpend(cost) {
            throw AppError.conflict("This release would spend more of \(checked.definition.period.year)’s privacy budget than is left. Use fewer tables or a smaller parameter.")
        }
        let release = StatisticsRelease()
        release.id = UUID()
        release.period = checked.definition.period.description
        release.method = checked.definition.method.rawValue
        release.definition = String(decoding: try JSONEncoder().encode(checked.definition), as: UTF8.self)
        release.status = ReleaseStatus.draft.rawValue
        release.revisesID = checked.revises
        release.revisionNote = checked.note
        release.safe = false
        release.createdByID = identity.userID
        release.createdAt = now
        try await db.transaction { tx in
            try await release.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "release.created", recordType: "statistics_release",
                                              recordID: release.id?.uuidString ?? "", address: address,
                                              detail: "\(release.period); \(release.method); \(checked.definition.tables.count) tables"), on: tx)
        }
        return try release.requireID()
    }

    /// Withdraws a draft or a proposal (an approved release is never withdrawn: publish a
    /// revision instead).
    func withdraw(_ id: UUID, identity: Identity, address: String) async throws {
        try require(identity, .manageReleases)
        try await db.transaction { tx in
            guard let release = try await StatisticsRelease.find(id, on: tx) else { throw AppError.notFound("release") }
            guard [.draft, .proposed].contains(release.releaseStatus) else {
                throw AppError.conflict("Only a draft or a proposal can be withdrawn; a published release stays, and a revision corrects it.")
            }
            release.status = ReleaseStatus.withdrawn.rawValue
            try await release.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "release.withdrawn", recordType: "statistics_release",
                                              recordID: id.uuidString, address: address, detail: release.period), on: tx)
        }
    }

    static func definition(of release: StatisticsRelease) throws -> ReleaseDefinition {
        guard let definition = try? JSONDecoder().decode(ReleaseDefinition.self, from: Data(release.definition.utf8)) else {
            throw AppError(.internalServerError, "A stored release definition could not be read.")
        }
        return definition
    }
}

/// What releases read from other capabilities: records, and agency types by name (for an NRM
/// first responder). Injected, so Statistics never touches their tables.
struct ReleaseSources: Sendable {
    let reports: ReportDirectory
    let cases: CaseStatistics
    let agencyTypes: @Sendable () async throws -> [String: AgencyType]

    /// Records of one population over a period's quarters.
    func records(_ population: ReleasePopulation, _ period: ReleasePeriod, areas: [String]) async throws -> [ReleaseRecord] {
        let areaSet = Set(areas)
        switch population {
        case .reports:
            return try await reports.releaseRecords(period, areas: areaSet)
        case .referrals:
            let facts = try await cases.referralFacts(period, asOf: period.lastDay)
            let reported = try await reports.releaseFacts(Array(Set(facts.compactMap(\.reportID))))
            let types = try await agencyTypes()
            var counts: [ReleaseRecord: Int] = [:]
            for fact in facts {
                let fromReport = fact.reportID.flatMap { reported[$0] }
                let route: ReferralRoute = fact.firstResponder.map { name in
                    types[name.lowercased()].map(ReferralRoute.nrm) ?? .otherFirstResponder
                } ?? .dutyToNotify
                let values: [ReleaseDimension: String] = [
                    .exploitationType: (fact.exploitation ?? fromReport?.exploitation ?? .notKnown).rawValue,
                    .ageGroup: fact.age.rawValue, .gender: fact.gender.rawValue, .nationalityGroup: fact.nationality.rawValue,
                    .referralRoute: route.rawValue, .outcome: fact.outcome.rawValue,
                    .area: ReleaseRecord.area(fromReport?.district, in: areaSet),
                ]
                counts[ReleaseRecord(quarter: fact.quarter, values: values, count: 0), default: 0] += 1
            }
            return counts.map { ReleaseRecord(quarter: $0.key.quarter, values: $0.key.values, count: $0.value) }
        }
    }
}
