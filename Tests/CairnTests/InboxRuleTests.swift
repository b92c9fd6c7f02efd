import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Which reports an agency holds is written once (`ReportRule`) and read two ways: in Swift
/// (access, the work queue, who may act) and in SQL (the inboxes, counts, filters, search).
/// On the demo partnership plus reports in every state that matters (referrals live and
/// rejected, a report rejected back to triage), both readings pick the same reports.
@Suite("One inbox rule, read in Swift and in SQL")
struct InboxRuleTests {
    @Test func eachInboxListsWhatItsRuleHolds() async throws {
        try await withServices(demo: true) { services, _ in
            let state = try await Self.reportsInEveryState(services)
            let reports = services.reports, db = services.database.db
            let all = try await Report.query(on: db).all()
            let referrals = Dictionary(grouping: try await Referral.query(on: db).all(), by: \.reportID)
            func holding(_ rule: ReportRule) -> Set<UUID> {
                Set(all.filter { rule.holds($0, referrals: $0.id.flatMap { referrals[$0] } ?? []) }.compactMap(\.id))
            }
            for person in state.agencies {
                for inbox in [ReportService.Inbox.assigned, .made, .referred] {
                    let rule = try #require(inbox.rule(for: person.agencyID))
                    let listed = try await reports.list(.init(inbox: inbox, perPage: 10_000), identity: person).reports
                    #expect(Set(listed.compactMap(\.id)) == holding(rule), "\(person.email): \(inbox.rawValue)")
                }
            }
            // The rule picks what the fixture made, so the comparisons above are not of empty sets.
            #expect(!holding(.referredTo(state.practitioner.agencyID, sharing: nil)).contains(state.madeByPractitioner), "a rejected referral is not live")
            #expect(holding(.referredTo(state.caseworker.agencyID, sharing: nil)).contains(state.sharedReport))
            #expect(holding(.madeBy(state.practitioner.agencyID)).contains(state.madeByPractitioner))
            #expect(holding(.assignedTo(state.caseworker.agencyID)).contains(state.madeByPractitioner))

            let waiting = holding(.waitingForTriage)
            let triage = try await reports.list(.init(inbox: .triage, perPage: 10_000), identity: state.analyst).reports
            #expect(Set(triage.compactMap(\.id)) == waiting)
            #expect(waiting.contains(state.rejected) && waiting.contains(state.unclassified))
            #expect(!waiting.contains(state.madeByPractitioner))
            #expect(try await reports.counts(identity: state.analyst).triage == waiting.count)

            // The work queue asks the same rule: the rejected report waits for the triage team.
            let work = try await reports.work(for: state.analyst, context: WorkContext(now: Date(), staffedAgencies: try await services.accounts.staffedAgencies()))
            #expect(work.contains { $0.kind == .triage && $0.href == "/reports/\(state.rejected.uuidString)" })
        }
    }

    @Test func whatAnAgencyMayReadIsTheSameInSwiftAndInSQL() async throws {
        try await withServices(demo: true) { services, _ in
            let state = try await Self.reportsInEveryState(services)
            let db = services.database.db
            let all = try await Report.query(on: db).all()
            for person in state.agencies {
                let levels = try await services.reports.reportAccess.levels(all, identity: person)
                for section in ShareCategory.allCases {
                    let inSQL = try await Report.query(on: db).filter(ReportRule.readable(section, by: person.agencyID).filter).all()
                    let inSwift = Set(levels.filter { $0.value.allows(section) }.keys)
                    #expect(Set(inSQL.compactMap(\.id)) == inSwift, "\(person.email): \(section.rawValue)")
                }
            }
            // Through its referral Safe Harbour reads the place of the shared report, the council only its summary.
            let place = try await Report.query(on: db).filter(ReportRule.readable(.location, by: state.caseworker.agencyID).filter).all()
            #expect(place.contains { $0.id == state.sharedReport })
            let council = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let councilPlace = try await Report.query(on: db).filter(ReportRule.readable(.location, by: council.agencyID).filter).all()
            #expect(!councilPlace.contains { $0.id == state.sharedReport })
        }
    }

    struct State {
        let analyst: Identity
        let practitioner: Identity
        let caseworker: Identity
        /// People of agencies that are not the triage team.
        let agencies: [Identity]
        /// Referred to Safe Harbour (place and people) and to the council (summary): `SharingFixture`.
        let sharedReport: UUID
        /// Made by the practitioner's agency, assigned to Safe Harbour.
        let madeByPractitioner: UUID
        /// Assigned to Safe Harbour, which rejected it back to the triage team.
        let rejected: UUID
        /// A public report nobody has classified yet.
        let unclassified: UUID
    }

    static func reportsInEveryState(_ services: AppServices) async throws -> State {
        let reports = services.reports
        let shared = try await SharingFixture.make(services)
        let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
        let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let council = try await DemoReports.identity("caseworker2@demo.invalid", services)
        func submit(_ description: String, as person: Identity?) async throws -> UUID {
            var input = ReportInput()
            input.description = description
            if person != nil {
                input.exploitationTypes = ["labour"]
                input.ageGroup = "adult"
            }
            let submitted = try await reports.submit(input, source: person == nil ? .public : .practitioner, identity: person, address: "test",
                                                     idempotencyKey: nil, requireFormAnswers: false)
            return try #require(submitted.report.id)
        }
        let made = try await submit("Men picked up at dawn from the car park on Mill Road", as: practitioner)
        // The routing rules may have assigned it already; either way it goes to Safe Harbour.
        let (routed, _) = try await reports.visibleReport(made, identity: analyst)
        let toSafeHarbour: ReportService.Command = routed.reportStatus == .assigned
            ? .reroute(agencyID: caseworker.agencyID, reason: "Safe Harbour has beds") : .assign(agencyID: caseworker.agencyID, note: "")
        if routed.assignedAgencyID != caseworker.agencyID { try await reports.perform(toSafeHarbour, on: made, identity: analyst, address: "test") }
        // A referral the practitioner's agency rejected no longer puts the report in its inbox.
        let referral = try await reports.refer(made, to: practitioner.agencyID, shared: ["location"], request: "Please look", identity: analyst, address: "test")
        _ = try await reports.respond(toReferral: try #require(referral.id), status: "rejected", response: "Not ours", identity: practitioner, address: "test")
        let rejected = try await submit("A woman living in the back of a nail bar", as: nil)
        try await reports.perform(.assign(agencyID: caseworker.agencyID, note: ""), on: rejected, identity: analyst, address: "test")
        try await reports.perform(.reject(reason: "This is for the police"), on: rejected, identity: caseworker, address: "test")
        let unclassified = try await submit("Someone sleeping at the car wash", as: nil)
        await reports.settle()
        return State(analyst: analyst, practitioner: practitioner, caseworker: caseworker, agencies: [practitioner, caseworker, council],
                     sharedReport: shared.reportID, madeByPractitioner: made, rejected: rejected, unclassified: unclassified)
    }
}
