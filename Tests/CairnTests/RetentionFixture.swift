import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// Records on both sides of every period of the default schedule, made through the services as
/// people would have made them at the time (`now:` in the past), on top of the demo partnership.
/// Names and numbers are fictional.
struct RetentionFixture {
    let now: Date
    /// Reports closed with no further action 26 months ago (due), one of which a case (open)
    /// was opened from (kept), and one closed 23 months ago (not due).
    let nfaDue: Report
    let nfaKept: Report
    let nfaRecent: Report
    /// Closed after action 30 months ago: never due as "no further action".
    let actedOld: Report
    /// Public reports with the reporter's contact details, closed 14 and 10 months ago.
    let contactDue: Report
    let contactRecent: Report
    /// A report linked to `nfaDue` by the same phone and the same person, still open.
    let linkedOpen: Report
    /// A case closed 7 years ago (due) and one closed 5 years ago (not due).
    let caseDue: UUID
    let caseRecent: UUID
    /// The open case opened from `nfaKept`.
    let caseHolding: UUID
    /// Intelligence items last changed 7 years ago (due) and now.
    let itemDue: UUID
    let itemRecent: UUID
    /// Sessions that ended 31 and 29 days ago.
    let sessionDue: String
    let sessionRecent: String

    static let person = "Dorota Kowalska"
    static let phone = "07700 900501"
    static let contactName = "Marek Nowicki"
    static let weaver = "Flat 2, 14 Weaver Street, Westmere"

    static func ago(_ now: Date, months: Int = 0, years: Int = 0, days: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: DateComponents(year: -years, month: -months, day: -days), to: now)!
    }

    static func make(_ services: AppServices, now: Date = Date()) async throws -> RetentionFixture {
        let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let reports = services.reports

        func report(by identity: Identity?, at received: Date, text: String, person: String = "", phone: String = "",
                    contact: Bool = false, location: String = "") async throws -> Report {
            var input = ReportInput()
            input.description = text
            input.location = location
            input.postcode = "WM7 3QP"
            input.phones = phone
            if !person.isEmpty { input.persons = [.init(name: person, dateOfBirth: "1990", nationality: "Polish")] }
            if identity != nil {
                input.exploitationTypes = [ExploitationType.labour.rawValue]
                input.ageGroup = AgeGroup.adult.rawValue
            } else {
                input.reporterType = ReporterType.memberOfPublic.rawValue
            }
            if contact {
                input.anonymous = false
                input.contactName = contactName
                input.contactPhone = "07700 900777"
                input.contactEmail = "marek@example.invalid"
                input.contactConsent = true
            }
            let stored = try await reports.submit(input, source: identity == nil ? .public : .practitioner, identity: identity, address: "test",
                                                  idempotencyKey: nil, requireFormAnswers: false, now: received).report
            await reports.settle()
            return stored
        }
        func close(_ report: Report, _ outcome: ReportOutcome, at closed: Date) async throws -> Report {
            try await Self.close(report.requireID(), outcome, at: closed, services)
        }

        let nfaDue = try await close(try await report(by: analyst, at: ago(now, months: 27), text: "Woman seen collected at dawn.",
                                                      person: person, phone: phone, location: weaver), .noIndicatorsFound, at: ago(now, months: 26))
        let nfaKept = try await close(try await report(by: caseworker, at: ago(now, months: 27), text: "Client says a cousin keeps her wages."),
                                      .duplicateOfAnotherReport, at: ago(now, months: 26))
        let nfaRecent = try await close(try await report(by: analyst, at: ago(now, months: 24), text: "Van at the car wash every night."),
                                        .noIndicatorsFound, at: ago(now, months: 23))
        let actedOld = try await close(try await report(by: analyst, at: ago(now, months: 31), text: "Workers locked in at night."),
                                       .policeInvestigationOpened, at: ago(now, months: 30))
        let contactDue = try await close(try await report(by: nil, at: ago(now, months: 15), text: "Men sleeping at the takeaway.", contact: true),
                                         .premisesVisited, at: ago(now, months: 14))
        let contactRecent = try await close(try await report(by: nil, at: ago(now, months: 11), text: "Girls driven to the hotel.", contact: true),
                                            .safeguardingReferralMade, at: ago(now, months: 10))
        let linkedOpen = try await report(by: analyst, at: ago(now, months: 3), text: "The same woman again, same phone.", person: person, phone: phone,
                                          location: weaver)

        // Cases: opened, worked and closed years ago; one open, from the kept report.
        func openCase(_ name: String, at opened: Date, from reportReference: String = "") async throws -> UUID {
            var input = CaseService.Input()
            input.chosenName = name
            input.legalName = "\(name) Popescu (fictional)"
            input.dateOfBirth = "2009-05-14"
            input.nationality = "Romanian"
            input.contact = "07700 900888"
            input.account = "\(name) was made to work in a nail bar."
            input.ageGroup = AgeGroup.possibleChild.rawValue
            input.reportReference = reportReference
            let id = try await services.cases.open(input, identity: caseworker, address: "test", now: opened).requireID()
            let team = try await services.cases.authorise(id, identity: caseworker)
            _ = try await services.support.saveNRM(team, .init(referralDate: DemoReports.day(opened.addingTimeInterval(86_400)),
                                                               firstResponder: "Westmere Council", reference: "NRM-\(name)-77",
                                                               rgDecision: "positive", rgDate: DemoReports.day(opened.addingTimeInterval(5 * 86_400))),
                                                   address: "test", now: opened.addingTimeInterval(6 * 86_400))
            for (point, rating, days) in [("intake", "a_little", 1.0), ("1_month", "mostly", 31.0)] {
                _ = try await services.support.recordReview(team, point: point, date: "", ratings: ["secure_suitable_housing": rating],
                                                            note: "\(name) talked about her family.", address: "test",
                                                            now: opened.addingTimeInterval(days * 86_400))
            }
            _ = try await services.support.recordWarning(team, sign: "missed_contacts", observedOn: "", note: "\(name) missed two visits.",
                                                         address: "test", now: opened.addingTimeInterval(40 * 86_400))
            return id
        }
        func closeCase(_ id: UUID, at closed: Date) async throws {
            let team = try await services.cases.authorise(id, identity: caseworker)
            _ = try await services.cases.move(team, to: .closed, reason: ClosureReason.goalsMet.rawValue, plan: "Call Elena monthly.",
                                              address: "test", now: closed)
        }
        let caseDue = try await openCase("Elena", at: ago(now, years: 8))
        try await closeCase(caseDue, at: ago(now, years: 7))
        let caseRecent = try await openCase("Ioana", at: ago(now, years: 6))
        try await closeCase(caseRecent, at: ago(now, years: 5))
        let caseHolding = try await openCase("Maria", at: ago(now, months: 20), from: nfaKept.reference)

        // Intelligence items: one last changed seven years ago.
        func item(_ title: String) async throws -> UUID {
            try await services.intelligence.createItem(
                .init(title: title, content: "\(person) drives the van.", sanitised: "A woman drives the van.", sourceEvaluation: "1",
                      assessment: "A", handling: "P"), identity: analyst, address: "test").requireID()
        }
        let itemDue = try await item("Old van")
        let itemRecent = try await item("New van")
        try await services.database.sql.update(IntelligenceItem.schema).set("updated_at", to: SQLBind(ago(now, years: 7)))
            .set("created_at", to: SQLBind(ago(now, years: 8))).where("id", .equal, SQLBind(itemDue)).run()

        // Sessions: one ended 31 days ago, one 29 days ago (idle and absolute both past then).
        let user = try #require(try await services.accounts.user(email: "analyst@demo.invalid"))
        func session(endedDaysAgo days: Int) async throws -> String {
            let token = try await services.auth.createSession(userID: try user.requireID(), stage: .complete, address: "192.0.2.7", replacing: nil)
            let hash = Secrets.sha256Hex(token)
            let ended = ago(now, days: days)
            try await services.database.sql.update(SessionRecord.schema).set("expires_at", to: SQLBind(ended))
                .set("last_seen_at", to: SQLBind(ended.addingTimeInterval(-600))).set("created_at", to: SQLBind(ended.addingTimeInterval(-3600)))
                .where("token_hash", .equal, SQLBind(hash)).run()
            return hash
        }
        let sessionDue = try await session(endedDaysAgo: 31)
        let sessionRecent = try await session(endedDaysAgo: 29)

        return RetentionFixture(now: now, nfaDue: nfaDue, nfaKept: nfaKept, nfaRecent: nfaRecent, actedOld: actedOld, contactDue: contactDue,
                                contactRecent: contactRecent, linkedOpen: linkedOpen, caseDue: caseDue, caseRecent: caseRecent,
                                caseHolding: caseHolding, itemDue: itemDue, itemRecent: itemRecent, sessionDue: sessionDue, sessionRecent: sessionRecent)
    }

    /// Closes a report as the triage team would, with a note naming the person.
    static func close(_ id: UUID, _ outcome: ReportOutcome, at closed: Date, _ services: AppServices) async throws -> Report {
        let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
        let reports = services.reports
        var current = try await reports.visibleReport(id, identity: analyst).0
        if current.reportStatus == .new {
            current = try await reports.perform(.assign(agencyID: analyst.agencyID, note: ""), on: id, identity: analyst, address: "test",
                                                now: closed.addingTimeInterval(-7200))
        }
        if [.assigned, .rerouted].contains(current.reportStatus) {
            current = try await reports.perform(.accept, on: id, identity: analyst, address: "test", now: closed.addingTimeInterval(-3600))
        }
        return try await reports.perform(.close(outcome: outcome.rawValue, date: DemoReports.day(closed), note: "Visited \(person); nothing found."),
                                         on: id, identity: analyst, address: "test", now: closed)
    }

    /// Sets every kind to its default, as an administrator.
    static func setDefaults(_ services: AppServices) async throws {
        let admin = try await DemoReports.identity("admin@demo.invalid", services)
        for kind in RetentionKind.allCases {
            let rule = kind.defaultRule
            _ = try await services.retention.setRule(kind, amount: String(rule.period.amount), unit: rule.period.unit.rawValue,
                                                     reason: rule.reason, identity: admin, address: "test")
        }
    }

    /// Every row of a model's table as JSON (sorted keys), by id: what "untouched" is compared on.
    static func rows<M: Model>(_ type: M.Type, _ db: any Database) async throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        var found: [String: String] = [:]
        for row in try await M.query(on: db).all() {
            found["\(row.id.map { "\($0)" } ?? "")"] = String(decoding: try encoder.encode(row), as: UTF8.self)
        }
        return found
    }
}
