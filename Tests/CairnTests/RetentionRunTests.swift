import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// A run of the schedule: exactly what is due is anonymised or deleted, nothing else changes,
/// figures over past periods stay the same, and the audit log holds the counts, never the data.
@Suite struct RetentionRunTests {
    /// Reports received and closed per month (with the outcome), as an indicator counts them.
    static func monthlyReportFigures(_ services: AppServices) async throws -> [String: Int] {
        var figures: [String: Int] = [:]
        for row in try await services.database.sql.select().columns("received_at", "closed_at", "outcome", "reporter_type", "urgency")
            .from(Report.schema).all() {
            let received = IntelligenceService.month(try row.decode(column: "received_at", as: Date.self))
            figures["received \(received)", default: 0] += 1
            figures["received \(received) by \(try row.decode(column: "reporter_type", as: String.self))", default: 0] += 1
            figures["received \(received) \(try row.decode(column: "urgency", as: String.self))", default: 0] += 1
            if let closed = try row.decode(column: "closed_at", as: Date?.self) {
                figures["closed \(IntelligenceService.month(closed)) \(try row.decode(column: "outcome", as: String?.self) ?? "")", default: 0] += 1
            }
        }
        return figures
    }

    /// The partnership's case figures, NRM decisions per month and hotspots, as shown.
    static func otherFigures(_ services: AppServices) async throws -> [String] {
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
        let figures = try await services.support.figures(identity: coordinator, address: "test")
        var decisions: [String: Int] = [:]
        for nrm in try await CaseNRM.query(on: services.database.db).all() {
            decisions["\(nrm.rgDecision ?? "none") \(String((nrm.rgDate ?? "").prefix(7)))", default: 0] += 1
        }
        let hotspots = try await services.intelligence.hotspots(type: nil, months: 120, identity: analyst, address: "test", via: "test")
        return [String(describing: figures.total), String(describing: figures.byStatus), String(describing: figures.byStage),
                String(describing: figures.byRisk), String(describing: figures.movement), decisions.sorted { $0.key < $1.key }.description,
                hotspots.months.description, String(describing: hotspots.rows), String(hotspots.total)]
    }

    /// Every computed indicator of the plan, month by month over three years to last month,
    /// from the records (not the kept figures).
    static func indicatorFigures(_ services: AppServices) async throws -> [String: [IndicatorFigure]] {
        let current = MonthPeriod(CalendarDate(Date(), in: .london))
        let window = MonthWindow(MonthPeriod.range(current.adding(months: -36), current.adding(months: -1)))
        // As at the start of this month, so the clock moving during the test changes nothing.
        let asAt = MonthWindow([current]).start
        var figures: [String: [IndicatorFigure]] = [:]
        for key in ComputedIndicator.allCases { figures[key.key] = try await services.indicators.compute(key, window, now: asAt) }
        return figures
    }

    @Test func aRunRemovesExactlyWhatIsDueAndTheFiguresStayTheSame() async throws {
        try await withServices(demo: true) { services, _ in
            let f = try await RetentionFixture.make(services)
            let db = services.database.db
            // Before anything is set, a run does nothing.
            guard case .ran(let idle) = try await services.retention.run(.administrator, actor: .system) else { Issue.record("no run"); return }
            #expect(idle.removed == 0 && idle.lines.allSatisfy { $0.period == nil })
            try await RetentionFixture.setDefaults(services)

            let reportsBefore = try await RetentionFixture.rows(Report.self, db)
            let mentionsBefore = try await RetentionFixture.rows(ReportMention.self, db)
            let eventsBefore = try await RetentionFixture.rows(ReportEvent.self, db)
            let referralsBefore = try await RetentionFixture.rows(Referral.self, db)
            let casesBefore = try await RetentionFixture.rows(SupportCase.self, db)
            let identitiesBefore = try await RetentionFixture.rows(CaseIdentityRecord.self, db)
            let reviewsBefore = try await RetentionFixture.rows(CaseOutcomeReview.self, db)
            let nrmBefore = try await RetentionFixture.rows(CaseNRM.self, db)
            let itemsBefore = try await RetentionFixture.rows(IntelligenceItem.self, db)
            let sessionsBefore = try await RetentionFixture.rows(SessionRecord.self, db)
            let monthly = try await Self.monthlyReportFigures(services)
            let others = try await Self.otherFigures(services)
            let indicators = try await Self.indicatorFigures(services)
            let auditBefore = try await AuditEntry.query(on: db).count()

            let dry = try await services.retention.run(.commandLine, actor: .commandLine("test"), dryRun: true)
            guard case .ran(let preview) = dry else { Issue.record("no dry run"); return }
            #expect(try await RetentionFixture.rows(Report.self, db) == reportsBefore)
            #expect(try await AuditEntry.query(on: db).count() == auditBefore)

            guard case .ran(let report) = try await services.retention.run(.administrator, actor: .system) else { Issue.record("busy"); return }
            func line(_ kind: RetentionKind) -> RetentionReport.Line? { report.lines.first { $0.kind == kind } }
            #expect(line(.closedReports)?.removed == 1 && line(.closedReports)?.kept == 1)
            #expect(line(.reporterContacts)?.removed == 1)
            #expect(line(.closedCases)?.removed == 1)
            #expect(line(.intelligenceItems)?.removed == 1)
            #expect(line(.sessions)?.removed == 1)
            #expect(line(.auditEntries)?.removed == 0)
            #expect(!report.failed)
            // The dry run said the same.
            #expect(preview.lines.map(\.removed) == report.lines.map(\.removed))

            // The due report: anonymised, its reference, dates and categories kept.
            let due = try #require(try await Report.find(f.nfaDue.id, on: db))
            #expect(due.narrative.isEmpty && due.location.isEmpty && due.postcode == nil && due.peopleText.isEmpty && due.phonesText.isEmpty)
            #expect(due.outcomeNote == nil && due.passphraseHash == nil)
            #expect(due.reference == f.nfaDue.reference)
            #expect(abs(due.receivedAt.timeIntervalSince(f.nfaDue.receivedAt)) < 0.001)
            #expect(abs((due.closedAt ?? .distantPast).timeIntervalSince(f.nfaDue.closedAt ?? .distantFuture)) < 0.001)
            #expect(due.outcome == ReportOutcome.noIndicatorsFound.rawValue && due.postcodeDistrict == "WM7" && due.exploitationTypes == "labour")
            #expect(try await ReportMention.query(on: db).filter(\.$reportID == f.nfaDue.id!).count() == 0)
            #expect(try await ReportEvent.query(on: db).filter(\.$reportID == f.nfaDue.id!).all().allSatisfy { $0.note.isEmpty })
            let anonymisedAt = try await services.database.sql.select().column("anonymised_at").from(Report.schema)
                .where("id", .equal, SQLBind(f.nfaDue.id!)).first()?.decode(column: "anonymised_at", as: Date?.self)
            #expect(anonymisedAt != nil)
            // The reporter's contact details: gone from the report closed 14 months ago only.
            let contact = try #require(try await Report.find(f.contactDue.id, on: db))
            #expect(contact.contactName == nil && contact.contactPhone == nil && contact.contactEmail == nil && contact.contactBestTime == nil)
            #expect(contact.narrative == "Men sleeping at the takeaway.")
            // The due case: who it was about is gone; what the figures count stays.
            let closedCase = try #require(try await SupportCase.find(f.caseDue, on: db))
            #expect(closedCase.chosenName.isEmpty && closedCase.account.isEmpty && closedCase.followUpPlan == nil)
            #expect(closedCase.caseStatus == .closed && closedCase.closureReason == ClosureReason.goalsMet.rawValue && closedCase.age == .possibleChild)
            #expect(try await CaseIdentityRecord.query(on: db).filter(\.$caseID == f.caseDue).count() == 0)
            #expect(try await CaseTeamMember.query(on: db).filter(\.$caseID == f.caseDue).count() == 0)
            let nrm = try #require(try await CaseNRM.query(on: db).filter(\.$caseID == f.caseDue).first())
            #expect(nrm.reference == nil && nrm.rgDecision == "positive" && nrm.rgDate != nil)
            let reviews = try await CaseOutcomeReview.query(on: db).filter(\.$caseID == f.caseDue).all()
            #expect(reviews.count == 2 && reviews.allSatisfy { $0.note.isEmpty && $0.review != nil })
            #expect(try await CaseWarning.query(on: db).filter(\.$caseID == f.caseDue).all().allSatisfy { $0.note.isEmpty && $0.recorded != nil })
            #expect(try await IntelligenceItem.find(f.itemDue, on: db) == nil)
            #expect(try await SessionRecord.find(f.sessionDue, on: db) == nil)

            // Nothing else changed, row for row.
            func same(_ before: [String: String], _ after: [String: String], except changed: Set<String>, _ what: String) {
                #expect(Set(before.keys).subtracting(changed) == Set(after.keys).subtracting(changed), "\(what): rows appeared or went")
                for (id, row) in before where !changed.contains(id) { #expect(after[id] == row, "\(what) \(id) changed") }
            }
            let changedReports: Set<String> = [f.nfaDue.id!.uuidString, f.contactDue.id!.uuidString]
            same(reportsBefore, try await RetentionFixture.rows(Report.self, db), except: changedReports, "report")
            // The due report's mentions (the person and the phone) are gone; every other is as it was.
            let dueMentions = Set(mentionsBefore.filter { $0.value.contains(f.nfaDue.id!.uuidString) }.keys)
            #expect(dueMentions.count >= 2)
            let mentionsAfter = try await RetentionFixture.rows(ReportMention.self, db)
            #expect(Set(mentionsAfter.keys) == Set(mentionsBefore.keys).subtracting(dueMentions))
            for (id, row) in mentionsAfter { #expect(mentionsBefore[id] == row) }
            let dueEvents = Set(eventsBefore.filter { $0.value.contains(f.nfaDue.id!.uuidString) }.keys)
            same(eventsBefore, try await RetentionFixture.rows(ReportEvent.self, db), except: dueEvents, "history")
            same(referralsBefore, try await RetentionFixture.rows(Referral.self, db), except: [], "referral")
            same(casesBefore, try await RetentionFixture.rows(SupportCase.self, db), except: [f.caseDue.uuidString], "case")
            let identitiesAfter = try await RetentionFixture.rows(CaseIdentityRecord.self, db)
            #expect(identitiesAfter.count == identitiesBefore.count - 1)
            for (id, row) in identitiesAfter { #expect(identitiesBefore[id] == row) }
            let dueReviews = Set(reviewsBefore.filter { $0.value.contains(f.caseDue.uuidString) }.keys)
            same(reviewsBefore, try await RetentionFixture.rows(CaseOutcomeReview.self, db), except: dueReviews, "review")
            let dueNRM = Set(nrmBefore.filter { $0.value.contains(f.caseDue.uuidString) }.keys)
            same(nrmBefore, try await RetentionFixture.rows(CaseNRM.self, db), except: dueNRM, "NRM")
            same(itemsBefore, try await RetentionFixture.rows(IntelligenceItem.self, db), except: [f.itemDue.uuidString], "item")
            same(sessionsBefore, try await RetentionFixture.rows(SessionRecord.self, db), except: [f.sessionDue], "session")
            #expect(try await Report.find(f.nfaKept.id, on: db)?.narrative == "Client says a cousin keeps her wages.")
            #expect(try await CaseIdentityRecord.query(on: db).filter(\.$caseID == f.caseRecent).count() == 1)

            // The figures over past periods are the same.
            #expect(try await Self.monthlyReportFigures(services) == monthly)
            #expect(try await Self.otherFigures(services) == others)
            #expect(try await Self.indicatorFigures(services) == indicators, "the plan's indicators over past months are unchanged")

            // Audited: one entry per record changed and one for the run, with counts and never
            // the data.
            #expect(try await RetentionTests.audits("report.anonymised", services).map(\.recordID) == [f.nfaDue.id!.uuidString])
            #expect(try await RetentionTests.audits("report.reporter_contact.deleted", services).map(\.recordID) == [f.contactDue.id!.uuidString])
            #expect(try await RetentionTests.audits("case.anonymised", services).map(\.recordID) == [f.caseDue.uuidString])
            #expect(try await RetentionTests.audits("intelligence.deleted", services).map(\.recordID) == [f.itemDue.uuidString])
            let runs = try await RetentionTests.audits("retention.run", services)
            #expect(runs.count == 2)
            let detail = try #require(runs.last?.detail)
            #expect(detail == "administrator: closed_reports 1 (1 kept); closed_cases 1; intelligence_items 1; reporter_contacts 1; sessions 1; audit_entries 0")
            let written = try await AuditEntry.query(on: db).filter(\.$id > auditBefore).all()
            for entry in written {
                for secret in [RetentionFixture.person, RetentionFixture.phone, RetentionFixture.contactName, "Elena", "Weaver", "192.0.2.7", f.sessionDue] {
                    #expect(!entry.detail.contains(secret) && !entry.recordID.contains(secret), "\(entry.action): \(entry.detail)")
                }
            }
            #expect(try await services.audit.verify().isIntact)
            // The history lists it.
            #expect(try await services.retention.runs().first?.outcome == "completed")

            // A second run finds nothing more: anonymised records are not due twice.
            guard case .ran(let again) = try await services.retention.run(.administrator, actor: .system) else { Issue.record("busy"); return }
            #expect(again.removed == 0)
            #expect(try await RetentionTests.audits("report.anonymised", services).count == 1)
        }
    }
}
