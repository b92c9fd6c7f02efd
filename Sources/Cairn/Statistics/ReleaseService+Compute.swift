import CairnCore
import Disclosure
import FluentKit
import Foundation

extension ReleaseService {
    /// A suppression release computed and checked: the tables as they would be published, the
    /// true count behind each cell, the attacker check's result for every hidden cell.
    struct Computed: Sendable {
        let tables: [PublishedTable]
        let truth: [[Int]]
        let checks: [HiddenCellCheck]
        let safe: Bool
    }

    /// Every approved release, oldest first, as the check reads it.
    func publishedHistory(excluding: UUID? = nil) async throws -> [PublishedHistory] {
        let rows = try await StatisticsRelease.query(on: db).filter(\.$status == ReleaseStatus.approved.rawValue).sort(\.$sequence).all()
        return try rows.compactMap { row in
            guard row.id != excluding, let id = row.id, let signed = row.signed,
                  let release = try? JSONDecoder().decode(SignedRelease.self, from: Data(signed.utf8)) else { return nil }
            let truth = row.truth.flatMap { try? JSONDecoder().decode([[Int]].self, from: Data($0.utf8)) } ?? []
            return PublishedHistory(id: id, definition: try Self.definition(of: row), tables: release.tables, truth: truth)
        }
    }

    /// Computes a suppression release against everything published before: small cells hidden,
    /// more hidden until none can be narrowed, the rest rounded.
    /// The most pieces (one combination of categories in one quarter) a check takes on: the
    /// exact attacker check grows fast with them, and a request must not run for minutes.
    static let maximumAtoms = 400

    func compute(_ definition: ReleaseDefinition) async throws -> Computed {
        // Releases cover a quarter or a calendar year, so figures of other years sum other
        // records and cannot narrow this year's cells: the check reads the same year only.
        let history = try await publishedHistory().filter { $0.definition.period.year == definition.period.year }
        var records: [ReleasePopulation: [ReleaseRecord]] = [:]
        var quartersByPopulation: [ReleasePopulation: [ReleasePeriod]] = [:]
        for population in ReleasePopulation.allCases where definition.tables.contains(where: { $0.population == population }) {
            var quarters = Set(definition.period.quarters)
            for release in history where release.definition.method == .suppression
                && release.definition.tables.contains(where: { $0.population == population }) {
                quarters.formUnion(release.definition.period.quarters)
            }
            let ordered = quarters.sorted()
            quartersByPopulation[population] = ordered
            var all: [ReleaseRecord] = []
            for quarter in ordered { all += try await sources.records(population, quarter, areas: settings.areas) }
            records[population] = all
        }
        let tabulation = ReleaseTabulation(areas: settings.areas, records: records)
        var published = Array(repeating: PublishedTable(name: "", dimensions: [], cells: []), count: definition.tables.count)
        var truth = Array(repeating: [Int](), count: definition.tables.count)
        var checks: [HiddenCellCheck] = []
        var safe = true
        for (population, quarters) in quartersByPopulation.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let indices = definition.tables.indices.filter { definition.tables[$0].population == population }
            let specs = history.filter { $0.definition.method == .suppression }.flatMap(\.definition.tables) + definition.tables
            let space = try tabulation.space(population, specs: specs, quarters: quarters.map(\.description))
            guard space.count <= Self.maximumAtoms else {
                throw AppError.conflict("These tables, with the \(definition.period.year) releases before them, cut the records into \(space.count) pieces: "
                    + "more than the \(Self.maximumAtoms) the check can take on while you wait. Use fewer dimensions, or a quarter instead of the year.")
            }
            let (figures, hidden) = tabulation.history(population, releases: history, space: space)
            let candidate = indices.map { tabulation.table(definition.tables[$0], period: definition.period) }
            let result = Suppression.protect(candidate: candidate, history: figures, space: space, k: definition.threshold,
                                             roundingBase: definition.roundingBase, previouslyHidden: hidden)
            safe = safe && result.isSafe && !result.unprotectable
            for (position, index) in indices.enumerated() where position < result.tables.count {
                let table = result.tables[position]
                let spec = definition.tables[index]
                published[index] = PublishedTable(name: spec.name, dimensions: spec.dimensions.map(\.rawValue),
                                                  cells: table.cells.map { PublishedCell(key: $0.key.values, value: $0.published, error95: nil) })
                truth[index] = table.cells.map(\.trueValue)
                for cell in table.cells where cell.published == nil {
                    let sensitive = cell.trueValue >= 1 && cell.trueValue < definition.threshold
                    let interval = cell.interval
                    checks.append(HiddenCellCheck(
                        table: spec.name, cell: Self.label(cell.key.values, areas: settings.areas), reason: cell.reason.rawValue,
                        interval: interval?.text ?? "not checked",
                        protected: !sensitive || (interval?.protects(k: definition.threshold) ?? false), explanation: interval?.reason))
                }
            }
            for earlier in result.previouslyHidden where earlier.trueValue >= 1 && earlier.trueValue < definition.threshold
                && !(earlier.interval?.protects(k: definition.threshold) ?? false) {
                checks.append(HiddenCellCheck(table: "An earlier release", cell: "a cell hidden before", reason: "earlier",
                                              interval: earlier.interval?.text ?? "not checked", protected: false, explanation: earlier.interval?.reason))
            }
        }
        return Computed(tables: published, truth: truth, checks: checks, safe: safe && checks.allSatisfy(\.protected))
    }

    /// "Labour, WM1" from a cell's key; "Total" for the grand total.
    static func label(_ key: [String: String], areas: [String]) -> String {
        let parts = ReleaseDimension.allCases.compactMap { d in
            key[d.rawValue].map { d.label(of: $0, areas: areas) }
        }
        return parts.isEmpty ? "Total" : parts.joined(separator: ", ")
    }

    /// Computes (suppression) or prices (noise) a draft and proposes it for approval. A
    /// proposal can be computed again while it waits, e.g. after late records arrive.
    func propose(_ id: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        try require(identity, .manageReleases)
        guard let release = try await StatisticsRelease.find(id, on: db) else { throw AppError.notFound("release") }
        guard [.draft, .proposed].contains(release.releaseStatus) else { throw AppError.conflict("This release is already \(release.releaseStatus.label.lowercased()).") }
        let definition = try Self.definition(of: release)
        let detail: String
        if definition.method.isNoise {
            let cost = try cost(definition)
            guard try await ledger(year: definition.period.year).canSpend(cost) else {
                throw AppError.conflict("This release would spend more of \(definition.period.year)’s privacy budget than is left.")
            }
            release.cells = nil
            release.truth = nil
            release.checkResult = nil
            release.safe = true
            detail = "noise; cost \(Micros.text(cost.micros(in: settings.measure) ?? 0)) \(settings.measure.rawValue)"
        } else {
            let computed = try await compute(definition)
            release.cells = String(decoding: try JSONEncoder().encode(computed.tables), as: UTF8.self)
            release.truth = String(decoding: try JSONEncoder().encode(computed.truth), as: UTF8.self)
            release.checkResult = String(decoding: try JSONEncoder().encode(computed.checks), as: UTF8.self)
            release.safe = computed.safe
            detail = "\(computed.checks.count) hidden cells; " + (computed.safe ? "none can be narrowed" : "\(computed.checks.filter { !$0.protected }.count) could be narrowed")
        }
        release.status = ReleaseStatus.proposed.rawValue
        release.proposedAt = now
        try await db.transaction { tx in
            guard let current = try await StatisticsRelease.find(id, on: tx), [.draft, .proposed].contains(current.releaseStatus) else {
                throw AppError.conflict("This release changed while it was being computed; open it again.")
            }
            try await release.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "release.proposed", recordType: "statistics_release",
                                              recordID: id.uuidString, address: address, detail: detail), on: tx)
        }
    }
}
