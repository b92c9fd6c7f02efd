import CairnCore
import Foundation
import Testing

@testable import Cairn

/// Which reports an identifier links, as pure functions: what pairs a group of mentions sharing
/// a value makes (every pair up to `fullPairLimit` reports, then each to the first and to the
/// one before), and how mentions are grouped by the value they share.
@Suite struct LinkPairingTests {
    typealias Facts = ReportLinker.ReportFacts
    typealias Mention = ReportLinker.MentionFacts
    typealias PairKey = ReportLinker.PairKey

    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// Reports received a second apart, in order.
    static func reports(_ count: Int) -> [Facts] {
        (0..<count).map { n in
            Facts(id: UUID(), reference: "R\(n)", receivedAt: start.addingTimeInterval(Double(n)), source: "public", postcode: nil)
        }
    }

    static func mention(_ report: Facts, kind: MentionKind = .phone, value: String = "07700 900300", normalised: String? = "+447700900300",
                        postcode: String? = nil) -> Mention {
        Mention(LinkableMention(id: UUID(), reportID: report.id, kind: kind.rawValue, value: value, normalised: normalised, dateOfBirth: "",
                                postcode: postcode))
    }

    static func pairs(_ group: [(Mention, Facts)], involving: Set<UUID>? = nil) -> [PairKey: [LinkReason]] {
        var pairs: [PairKey: [LinkReason]] = [:]
        ReportLinker.keyPairs(group, involving: involving, into: &pairs)
        return pairs
    }

    static func key(_ a: Facts, _ b: Facts) -> PairKey { PairKey(earlier: a.id, later: b.id) }

    @Test func aSmallGroupPairsEveryReportWithEveryOtherEarlierFirst() throws {
        let reports = Self.reports(4)
        let group = reports.map { (Self.mention($0), $0) }
        // Given latest first: the pairs still put the earlier report first.
        let pairs = Self.pairs(group.reversed())
        var expected = Set<PairKey>()
        for i in 0..<4 { for j in (i + 1)..<4 { expected.insert(Self.key(reports[i], reports[j])) } }
        #expect(Set(pairs.keys) == expected)
        let reason = try #require(pairs[Self.key(reports[0], reports[3])]?.first)
        #expect(reason.kind == "phone" && reason.phrase == "same phone" && reason.probability == 1 && reason.explanation == nil)
        #expect(reason.earlierMentionID == group[0].0.id && reason.laterMentionID == group[3].0.id)
        #expect(reason.earlierValue == "07700 900300" && reason.laterValue == "07700 900300")
        #expect(pairs.values.allSatisfy { $0.count == 1 })
    }

    @Test func oneReportMakesNoPairsAndARepeatedValueInOneReportCountsOnce() {
        let reports = Self.reports(2)
        #expect(Self.pairs([(Self.mention(reports[0]), reports[0])]).isEmpty)
        #expect(Self.pairs([]).isEmpty)
        // The same phone twice in one report, and once in another: one pair, one reason.
        let twice = [(Self.mention(reports[0]), reports[0]), (Self.mention(reports[0], value: "07700900300"), reports[0]),
                     (Self.mention(reports[1]), reports[1])]
        let pairs = Self.pairs(twice)
        #expect(Array(pairs.keys) == [Self.key(reports[0], reports[1])])
        #expect(pairs.values.first?.count == 1)
        #expect(Self.pairs(Array(twice.prefix(2))).isEmpty, "a report is never linked to itself")
    }

    @Test func upToTheLimitEveryPairAboveItEachToTheFirstAndTheOneBefore() {
        let limit = ReportLinker.fullPairLimit
        #expect(limit == 30)
        let atLimit = Self.reports(limit)
        #expect(Self.pairs(atLimit.map { (Self.mention($0), $0) }).count == limit * (limit - 1) / 2)

        let above = Self.reports(limit + 1)
        let pairs = Self.pairs(above.map { (Self.mention($0), $0) })
        var expected = Set<PairKey>()
        for j in 1..<above.count {
            expected.insert(Self.key(above[0], above[j]))
            if j > 1 { expected.insert(Self.key(above[j - 1], above[j])) }
        }
        #expect(Set(pairs.keys) == expected)
        #expect(pairs.count == 2 * above.count - 3)
    }

    @Test func onlyPairsInvolvingTheGivenReportsWhenAsked() {
        let reports = Self.reports(5)
        let group = reports.map { (Self.mention($0), $0) }
        let newest = reports[4].id
        let pairs = Self.pairs(group, involving: [newest])
        #expect(Set(pairs.keys) == Set(reports.prefix(4).map { Self.key($0, reports[4]) }))
        // Above the limit the same rule applies to the pairs it makes: the first and the one before.
        let many = Self.reports(ReportLinker.fullPairLimit + 5)
        let last = many[many.count - 1]
        let fewer = Self.pairs(many.map { (Self.mention($0), $0) }, involving: [last.id])
        #expect(Set(fewer.keys) == [Self.key(many[0], last), Self.key(many[many.count - 2], last)])
    }

    @Test func reportsReceivedInTheSameMillisecondAreOrderedByID() {
        let ids = [UUID(), UUID()].sorted { $0.sortsBefore($1) }
        let a = Facts(id: ids[1], reference: "A", receivedAt: Self.start, source: "public", postcode: nil)
        let b = Facts(id: ids[0], reference: "B", receivedAt: Self.start.addingTimeInterval(0.000_000_4), source: "public", postcode: nil)
        let pairs = Self.pairs([(Self.mention(a), a), (Self.mention(b), b)])
        #expect(Array(pairs.keys) == [Self.key(b, a)])
    }

    @Test func mentionsAreGroupedByTheValueTheyShareOneReportEachInTimeOrder() {
        let reports = Self.reports(3)
        let known = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0) })
        let stranger = Self.reports(1)[0]
        let phones = [Self.mention(reports[2]), Self.mention(reports[0]), Self.mention(reports[0], value: "+44 7700 900300"), Self.mention(reports[1])]
        let others = [
            // People are compared by the engine, not by value.
            Self.mention(reports[0], kind: .person, value: "Ana Pop", normalised: "ana pop"),
            Self.mention(reports[1], kind: .person, value: "Ana Pop", normalised: "ana pop"),
            // Too short to mean anything; no normalised form at all.
            Self.mention(reports[0], kind: .vehicle, value: "AB", normalised: "AB"),
            Self.mention(reports[1], kind: .vehicle, value: "AB", normalised: "AB"),
            Self.mention(reports[1], kind: .url, value: "?", normalised: nil),
            // A postcode alone is many homes; a street without a postcode could be anywhere.
            Self.mention(reports[0], kind: .address, value: "WM5 1AB", normalised: "WM5 1AB", postcode: "WM5 1AB"),
            Self.mention(reports[1], kind: .address, value: "WM5 1AB", normalised: "WM5 1AB", postcode: "WM5 1AB"),
            Self.mention(reports[0], kind: .address, value: "5 Tannery Row", normalised: "5 TANNERY ROW", postcode: nil),
            Self.mention(reports[1], kind: .address, value: "5 Tannery Row", normalised: "5 TANNERY ROW", postcode: nil),
            // A report the caller does not know drops out.
            Self.mention(stranger),
        ]
        let home = [Self.mention(reports[1], kind: .address, value: "5 Tannery Row", normalised: "5 TANNERY ROW", postcode: "WM5 1AB"),
                    Self.mention(reports[2], kind: .address, value: "5 tannery row", normalised: "5 TANNERY ROW", postcode: "WM5 1AB")]
        let groups = ReportLinker.keyGroups(phones + others + home, reports: known)
        #expect(Set(groups.keys) == ["phone|+447700900300", "address|WM5 1AB|5 TANNERY ROW"])
        #expect(groups["phone|+447700900300"]?.map(\.1.id) == reports.map(\.id))
        #expect(groups["address|WM5 1AB|5 TANNERY ROW"]?.map(\.1.id) == [reports[1].id, reports[2].id])
    }
}
