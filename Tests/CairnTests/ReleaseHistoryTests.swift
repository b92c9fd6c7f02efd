import CairnCore
import Disclosure
import Foundation
import Testing

@testable import Cairn

/// The attacker check at the service level, over a random release history on a real database:
/// random reports over eight quarters of two years, eight quarterly releases, the two annual
/// ones, then late reports and two revisions, all through `ReleaseService`. After every
/// approval the test reads back everything published (the signed releases, as the API gives
/// them) and attacks it on its own: its own atoms, its own intervals for rounded figures, the
/// true counts from the reports it made, and the counts of a revised period after late reports
/// as new unknowns (the attacker is told the period, not where the reports went). No hidden
/// count in 1..k−1 may be narrowed to exclude 0 or to stay below k; wherever small-count
/// suppression alone would have let a cell be worked out, the service must have hidden more;
/// a proposal the check finds unsafe is refused, and so is one whose figures the records have
/// changed since. Eight seeds; each run is deterministic.
@Suite struct ReleaseHistoryTests {
    static let areas = ["WM1", "WM2"]
    static let years = [2021, 2022]
    static let k = 5
    static let base = 5
    /// Reports are made with these exploitation types (the other categories stay zero) in these
    /// postcode districts (WM7 is outside the release areas: "other").
    static let types: [ExploitationType] = [.labour, .sexual, .criminal]
    static let districts = ["WM1", "WM2", "WM7"]
    static let tableChoices = ["reports:exploitation_type", "reports:area", "reports:exploitation_type+area"]

    /// One report as the test made it: its quarter, categories, and the epoch it was added in
    /// (0 before any release; 1 and 2 the late reports behind each revision).
    struct Made {
        let quarter: ReleasePeriod
        let exploitation: String
        let area: String
        let epoch: Int
    }

    /// A published release as read back, with the epoch of the records it was computed on.
    struct Read {
        let period: ReleasePeriod
        let tables: [PublishedTable]
        let epoch: Int
    }

    @Test(arguments: [UInt64(2026), 7, 4_242, 11, 99, 31_337, 112, 115])
    func randomHistoriesPublishNoRecoverableSmallCount(seed: UInt64) async throws {
        try await withServices(demo: true, configure: { $0.releaseAreas = Self.areas }) { services, _ in
            let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
            let admin = try await DemoReports.identity("admin@demo.invalid", services)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            var random = SeededGenerator(seed: seed)
            var made: [Made] = []
            var epoch = 0
            /// The period each later epoch's revision corrects: what an attacker is told.
            var late: [Int: ReleasePeriod] = [:]

            func add(_ quarter: ReleasePeriod, count: Int, type fixed: ExploitationType? = nil) async throws {
                for _ in 0..<count {
                    let type = fixed ?? Self.types[Int.random(in: 0..<Self.types.count, using: &random)]
                    let district = Self.districts[Int.random(in: 0..<Self.districts.count, using: &random)]
                    var input = ReportInput()
                    input.description = "Fictional report for the release history test."
                    input.exploitationTypes = [type.rawValue]
                    input.ageGroup = AgeGroup.adult.rawValue
                    input.postcode = "\(district) 1AA"
                    let day = quarter.firstDay.adding(days: Int.random(in: 0...80, using: &random))
                    let at = Date(timeIntervalSince1970: Double(day.dayNumber) * 86_400 + 12 * 3_600)
                    _ = try await services.reports.submit(input, source: .practitioner, identity: analyst, address: "test", idempotencyKey: nil,
                                                          requireFormAnswers: false, now: at)
                    made.append(Made(quarter: quarter, exploitation: ExploitationCategory.of([type]).rawValue,
                                     area: Self.areas.contains(district) ? district : ReleaseDimension.otherArea, epoch: epoch))
                }
            }
            let quarters = Self.years.flatMap { ReleasePeriod.year($0).quarters }
            // The first quarter holds one large category and one small one only: small-count
            // suppression alone would let the small one be worked out from the total.
            try await add(quarters[0], count: 12, type: .labour)
            try await add(quarters[0], count: 2, type: .sexual)
            for quarter in quarters.dropFirst() { try await add(quarter, count: Int.random(in: 4...14, using: &random)) }
            await services.reports.settle()

            var published: [Read] = []
            var hiddenSmall = 0, secondaryNeeded = 0
            var refused = 0
            /// Defines, proposes and approves a release; nil when the check finds the proposal
            /// unsafe, which approval must then refuse.
            func release(_ period: ReleasePeriod, tables: [String], revises: UUID? = nil, note: String = "") async throws -> UUID? {
                let id = try await services.releases.create(
                    .init(period: period.description, tables: tables, threshold: "\(Self.k)", roundingBase: "\(Self.base)",
                          revises: revises?.uuidString ?? "", revisionNote: note), identity: coordinator, address: "test")
                try await services.releases.propose(id, identity: coordinator, address: "test")
                let proposal = try await services.releases.detail(id, identity: coordinator)
                if !proposal.safe {
                    // Only late reports (changed counts behind earlier figures) can make a
                    // proposal impossible to protect; before any, every proposal is made safe.
                    #expect(epoch > 0, "\(period) \(tables): \(proposal.checks.filter { !$0.protected })")
                    #expect(proposal.checks.contains { !$0.protected })
                    do {
                        try await services.releases.approve(id, identity: admin, address: "test")
                        Issue.record("\(period): a proposal the check finds unsafe was approved")
                    } catch let error as AppError {
                        #expect(error.status == .conflict)
                    }
                    #expect(try await services.releases.detail(id, identity: coordinator).summary.status == .proposed)
                    try await services.releases.withdraw(id, identity: coordinator, address: "test")
                    refused += 1
                    return nil
                }
                // Small-count suppression alone, attacked with everything published before: when
                // that would leak, the service's proposal must hide more than the small counts.
                let naive = proposal.tables.map { table in
                    PublishedTable(name: table.name, dimensions: table.dimensions, cells: table.cells.map { cell in
                        let truth = Self.truth(made, period: period, key: cell.key, epoch: epoch)
                        return PublishedCell(key: cell.key, value: truth >= 1 && truth < Self.k ? nil : roundCount(truth, base: Self.base), error95: nil)
                    })
                }
                if !Self.unprotected(published + [Read(period: period, tables: naive, epoch: epoch)], made: made, now: epoch, late: late, monotone: false).isEmpty {
                    secondaryNeeded += 1
                    let hidden = proposal.tables.flatMap(\.cells).filter { $0.value == nil }.count
                    #expect(hidden > naive.flatMap(\.cells).filter { $0.value == nil }.count, "\(period): small counts alone leak, and nothing more was hidden")
                }
                try await services.releases.approve(id, identity: admin, address: "test")
                // Read back as published, and attack everything published so far.
                let signed = try await services.releases.published(id)
                #expect(signed.period == period.description)
                published.append(Read(period: period, tables: signed.tables, epoch: epoch))
                let leaks = Self.unprotected(published, made: made, now: epoch, late: late, monotone: false)
                #expect(leaks.isEmpty, "after \(period): \(leaks)")
                // An attacker who also knows that late reports only ever add (the revisions say
                // so) can link a quarter's figures before and after them more tightly than the
                // service's check does (it widens each earlier figure by how far that figure's
                // own count moved). A known gap: with seeds 2026 and 115 a revision publishing a
                // category as 0 shows, with the first release's totals, that another hidden
                // category of that quarter is not 0. (Before any late report both attackers are one.)
                if epoch > 0 {
                    let monotoneLeaks = Self.unprotected(published, made: made, now: epoch, late: late, monotone: true)
                    withKnownIssue("an attacker who knows late reports only add links a quarter's figures before and after them", isIntermittent: true) {
                        #expect(monotoneLeaks.isEmpty, "after \(period): \(monotoneLeaks)")
                    }
                }
                return id
            }

            var quarterly: [ReleasePeriod: UUID] = [:]
            var annual: [Int: UUID] = [:]
            for year in Self.years {
                for quarter in ReleasePeriod.year(year).quarters {
                    let count = Int.random(in: 1...2, using: &random)
                    var tables = Array(Self.tableChoices.shuffled(using: &random).prefix(count))
                    if quarter == quarters[0] && !tables.contains("reports:exploitation_type") { tables.append("reports:exploitation_type") }
                    quarterly[quarter] = try await release(quarter, tables: tables)
                }
                annual[year] = try await release(.year(year), tables: ["reports:exploitation_type", "reports:area"])
            }

            // Late reports in a quarter of the first year, then a revision of that quarter.
            let lateQuarter = ReleasePeriod.quarter(year: Self.years[0], quarter: Int.random(in: 1...4, using: &random))
            epoch = 1
            late[1] = lateQuarter
            try await add(lateQuarter, count: 3)
            await services.reports.settle()
            let first = try #require(quarterly[lateQuarter])
            _ = try await release(lateQuarter, tables: ["reports:exploitation_type", "reports:area"], revises: first,
                                  note: "Three reports received in the quarter were recorded late.")

            // A revision of the second year's annual release waits for approval while late
            // reports arrive that change its figures: approval (which computes it again) refuses
            // the stale proposal; it is withdrawn and made again.
            let second = ReleasePeriod.year(Self.years[1])
            let annualID = try #require(annual[Self.years[1]])
            let waiting = try await services.releases.create(
                .init(period: second.description, tables: ["reports:exploitation_type", "reports:area"], threshold: "\(Self.k)",
                      roundingBase: "\(Self.base)", revises: annualID.uuidString, revisionNote: "Late reports."),
                identity: coordinator, address: "test")
            try await services.releases.propose(waiting, identity: coordinator, address: "test")
            epoch = 2
            late[2] = second
            // Five more reports move the annual total's published figure by exactly five.
            try await add(.quarter(year: Self.years[1], quarter: Int.random(in: 1...4, using: &random)), count: 5)
            await services.reports.settle()
            do {
                try await services.releases.approve(waiting, identity: admin, address: "test")
                Issue.record("a proposal computed on records that have changed since was approved")
            } catch let error as AppError {
                #expect(error.status == .conflict)
            }
            #expect(try await services.releases.detail(waiting, identity: coordinator).summary.status == .proposed)
            try await services.releases.withdraw(waiting, identity: coordinator, address: "test")
            _ = try await release(second, tables: ["reports:exploitation_type", "reports:area"], revises: annualID,
                                  note: "Five reports received in the year were recorded late.")

            // Every quarterly and annual release was approved; a revision only if its check passed.
            #expect(quarterly.count == 8 && annual.count == 2)
            #expect(published.count == 12 - refused)
            // The test can fail: small counts were hidden, and some needed more than their own hiding.
            for read in published {
                for table in read.tables {
                    for cell in table.cells where cell.value == nil {
                        let truth = Self.truth(made, period: read.period, key: cell.key, epoch: epoch)
                        if truth >= 1 && truth < Self.k { hiddenSmall += 1 }
                    }
                }
            }
            #expect(hiddenSmall > 20, "\(hiddenSmall) small counts hidden")
            #expect(secondaryNeeded > 0, "no release needed more than small-count suppression")
        }
    }

    /// The true count of a cell over a period's quarters, counting reports made up to `epoch`.
    static func truth(_ made: [Made], period: ReleasePeriod, key: [String: String], epoch: Int) -> Int {
        let quarters = Set(period.quarters)
        return made.filter { record in
            record.epoch <= epoch && quarters.contains(record.quarter)
                && key.allSatisfy { name, value in
                    (name == ReleaseDimension.exploitationType.rawValue && record.exploitation == value)
                        || (name == ReleaseDimension.area.rawValue && record.area == value)
                }
        }.count
    }

    /// Every hidden cell of `releases` whose true count now (epoch `now`) is in 1..k−1 and that
    /// an attacker holding all their published cells can narrow to exclude 0 or stay below k.
    ///
    /// The attacker's unknowns: one count per quarter, exploitation category and area as the
    /// reports stood before any release (epoch 0), and for each later epoch one more per
    /// category and area of each quarter of the period that epoch's revision corrects (the
    /// attacker is told the period, not where in it the reports went). `monotone`: those are
    /// non-negative additions, and a release of epoch e published sums over epochs 0…e.
    /// Otherwise they are the quarter's counts afresh, unrelated to the earlier ones except
    /// through the other quarters' figures, and a release of epoch e published the latest
    /// version up to e. A hidden cell is the people in it now (epoch `now`), as the service
    /// checks earlier hidden cells. (The count
    /// a cell had when first published is not a target: a revision showing the cell at k or
    /// more, with the total of late reports bounded, can show that some of its people were
    /// recorded on time, which says nothing more about who they are.)
    static func unprotected(_ releases: [Read], made: [Made], now: Int, late: [Int: ReleasePeriod], monotone: Bool) -> [String] {
        let exploitation = ReleaseDimension.exploitationType.categories(areas: areas).map(\.key)
        let area = ReleaseDimension.area.categories(areas: areas).map(\.key)
        let quarters = years.flatMap { ReleasePeriod.year($0).quarters }
        // Atom numbering: for each (epoch, quarter) that has unknowns, exploitation × area.
        var blocks: [Int: [ReleasePeriod: Int]] = [0: [:]]
        var next = 0
        for quarter in quarters { blocks[0]?[quarter] = next; next += exploitation.count * area.count }
        for epoch in 1...2 {
            for quarter in late[epoch]?.quarters ?? [] {
                blocks[epoch, default: [:]][quarter] = next
                next += exploitation.count * area.count
            }
        }
        func atoms(_ period: ReleasePeriod, _ key: [String: String], epoch: Int) -> [Int] {
            var result: [Int] = []
            for e in 0...epoch {
                for quarter in period.quarters {
                    guard let start = blocks[e]?[quarter] else { continue }
                    // Not monotone: only the quarter's latest version up to `epoch` counts.
                    if !monotone, stride(from: e + 1, through: epoch, by: 1).contains(where: { blocks[$0]?[quarter] != nil }) { continue }
                    for (i, x) in exploitation.enumerated() where key["exploitation_type"].map({ $0 == x }) ?? true {
                        for (j, a) in area.enumerated() where key["area"].map({ $0 == a }) ?? true {
                            result.append(start + i * area.count + j)
                        }
                    }
                }
            }
            return result
        }
        var figures: [Figure] = []
        var targets: [(atoms: [Int], label: String)] = []
        for release in releases {
            for table in release.tables {
                for cell in table.cells {
                    let cellAtoms = atoms(release.period, cell.key, epoch: release.epoch)
                    if let value = cell.value {
                        // Every count consistent with what is shown: it rounds to the value, and
                        // a count in 1..k−1 is never shown.
                        let possible = (0...(value + base + k)).filter { ($0 == 0 || $0 >= k) && roundCount($0, base: base) == value }
                        if let low = possible.min(), let high = possible.max() {
                            figures.append(Figure(atoms: cellAtoms, low: low, high: high))
                        } else {
                            figures.append(Figure(atoms: cellAtoms, low: 1, high: 0))  // impossible: makes the check fail loudly
                        }
                    } else {
                        let truth = truth(made, period: release.period, key: cell.key, epoch: now)
                        if truth >= 1 && truth < k {
                            targets.append((atoms(release.period, cell.key, epoch: now), "\(release.period) \(table.name) \(cell.key) = \(truth)"))
                        }
                    }
                }
            }
        }
        let intervals = Attacker.intervals(figures: figures, targets: targets.map(\.atoms), atomCount: next, nodeLimit: 4_000)
        return zip(targets, intervals).compactMap { target, interval in
            interval.exact && interval.low <= 0 && (interval.high.map { $0 >= k } ?? true) ? nil : "\(target.label): \(interval.text)\(interval.exact ? "" : " (not exact)")"
        }
    }
}
