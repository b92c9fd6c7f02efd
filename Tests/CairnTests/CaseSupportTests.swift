import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// Consent the survivor controls, the multi-agency care plan, NRM and Duty to Notify,
/// outcomes and re-exploitation warnings, through the real pages on a real database.
@Suite struct CaseSupportTests {
    static func agencyID(of email: String, _ built: BuiltApplication) async throws -> String {
        try await DemoReports.identity(email, built.services).agencyID.uuidString
    }

    static func openCase(_ browser: Browser, _ fields: [(String, String)]) async throws -> String {
        try await browser.get("/cases/new")
        let opened = try await browser.post("/cases", fields)
        #expect(opened.status == .seeOther)
        return String(try #require(opened.location).dropFirst("/cases/".count))
    }

    @Test func consentDecidesWhichAgencySeesItsTasksAndWithdrawalStopsItAtOnce() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let council = try await Self.agencyID(of: "caseworker2@demo.invalid", built)
            let jobcentre = try await Self.agencyID(of: "practitioner@demo.invalid", built)
            let police = try await Self.agencyID(of: "analyst@demo.invalid", built)
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            let id = try await Self.openCase(caseworker, [("chosenName", "Tomas"), ("ageGroup", "adult"), ("language", "Lithuanian"),
                                                          ("interpreterNeeded", "on"), ("account", "Worked on a farm for no pay for a year.")])

            // Bad input changes nothing: consent ending before it starts, nothing chosen.
            try await caseworker.get("/cases/\(id)/consent")
            let bad = try await caseworker.post("/cases/\(id)/consent", [("agencies", council), ("categories", "needs_and_care_plan"),
                                                                         ("purposes", "support_and_care_planning"), ("method", "verbal"),
                                                                         ("validFrom", "2026-05-10"), ("validUntil", "2026-05-01")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("The consent cannot end before it starts."))
            let empty = try await caseworker.post("/cases/\(id)/consent", [("method", "verbal_with_interpreter")])
            #expect(empty.status == .unprocessableContent)
            for message in ["at least one kind of information", "at least one purpose", "at least one agency", "which language the interpreter"] {
                #expect(empty.text.contains(message), "\(message)")
            }
            let cid = try #require(UUID(uuidString: id))
            #expect(try await CaseConsent.query(on: db).filter(\.$caseID == cid).count() == 0)

            // Consent for the council and the Jobcentre, including the account ("tell us once").
            let given = try await caseworker.post("/cases/\(id)/consent", [
                ("agencies", council), ("agencies", jobcentre), ("categories", "needs_and_care_plan"), ("categories", "account"),
                ("purposes", "support_and_care_planning"), ("method", "verbal_with_interpreter"), ("interpreterLanguage", "Lithuanian"),
                ("validFrom", CaseSupportService.today().description),
            ])
            #expect(given.status == .seeOther)

            // A task for an agency without consent is refused; one for the council is accepted.
            try await caseworker.get("/cases/\(id)/care-plan")
            let refused = try await caseworker.post("/cases/\(id)/tasks", [("need", "accommodation"), ("title", "Find a room"), ("agencyID", police)])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("has not consented to share their care plan with this agency"))
            #expect(try await CareTask.query(on: db).filter(\.$caseID == cid).count() == 0)
            let need = try await caseworker.post("/cases/\(id)/needs", [("domain", "accommodation"), ("urgency", "immediate"), ("survivorPriority", "high")])
            #expect(need.status == .seeOther)
            let added = try await caseworker.post("/cases/\(id)/tasks", [("need", "accommodation"), ("title", "Find safe accommodation"),
                                                                          ("agencyID", council), ("dueOn", CaseSupportService.today().adding(days: 3).description)])
            #expect(added.status == .seeOther)
            let plan = try await caseworker.get("/cases/\(id)/care-plan")
            #expect(plan.text.contains("Find safe accommodation"))
            #expect(plan.text.contains("Immediate (today)"))
            let taskID = try #require(try await CareTask.query(on: db).filter(\.$caseID == cid).first()?.id).uuidString

            // The council's caseworker sees it in their inbox, with the language and the account,
            // and completes it; they still cannot open the case itself.
            let council2 = Browser(client)
            try await council2.signIn("caseworker2@demo.invalid")
            let inbox = try await council2.get("/tasks")
            #expect(inbox.text.contains("Find safe accommodation"))
            #expect(inbox.text.contains("Lithuanian"))
            let task = try await council2.get("/tasks/\(taskID)")
            #expect(task.status == .ok)
            #expect(task.text.contains("Worked on a farm for no pay for a year."))
            #expect(task.text.contains("Interpreter needed: Lithuanian"))
            let done = try await council2.post("/tasks/\(taskID)", [("status", "done"), ("note", "Room found at Brook House.")])
            #expect(done.status == .seeOther)
            #expect(try await CareTask.find(UUID(uuidString: taskID)!, on: db)?.taskStatus == .done)
            #expect(try await council2.get("/cases/\(id)").status == .notFound)
            // The Jobcentre (consented, but no task of theirs) and the police see nothing.
            let practitioner = Browser(client)
            try await practitioner.signIn("practitioner@demo.invalid")
            #expect(try await practitioner.get("/tasks/\(taskID)").status == .notFound)
            #expect(!(try await practitioner.get("/tasks")).text.contains("Find safe accommodation"))

            // Withdrawal: confirm, then the council loses access at once; the history stays.
            let consentID = try #require(try await CaseConsent.query(on: db).filter(\.$caseID == cid).first()?.id).uuidString
            let confirm = try await caseworker.get("/cases/\(id)/consent/\(consentID)/withdraw")
            #expect(confirm.text.contains("Withdraw this consent?"))
            let withdrawn = try await caseworker.post("/cases/\(id)/consent/\(consentID)/withdraw", [("note", "Told me by phone.")])
            #expect(withdrawn.status == .seeOther)
            #expect(try await council2.get("/tasks/\(taskID)").status == .notFound)
            #expect(!(try await council2.get("/tasks?show=all")).text.contains("Find safe accommodation"))
            let history = try await caseworker.get("/cases/\(id)/consent")
            #expect(history.text.contains("Withdrawn"))
            #expect(try await CaseConsent.query(on: db).filter(\.$caseID == cid).count() == 1)
            // New tasks for the council are refused again.
            try await caseworker.get("/cases/\(id)/care-plan")
            #expect(try await caseworker.post("/cases/\(id)/tasks", [("need", "family"), ("title", "Call family"), ("agencyID", council)]).status
                    == .unprocessableContent)

            for action in ["case.consent.recorded", "case.consent.withdrawn", "case.task.added"] {
                #expect(try await AuditEntry.query(on: db).filter(\.$action == action).filter(\.$recordID == id).count() >= 1, "\(action)")
            }
            for action in ["task.viewed", "task.updated"] {
                #expect(try await AuditEntry.query(on: db).filter(\.$action == action).filter(\.$recordID == taskID).count() >= 1, "\(action)")
            }
        }
    }

    @Test func nrmRouteFollowsAgeAndConsentAndDatesMustBeInOrder() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            let adult = try await Self.openCase(caseworker, [("chosenName", "Ali"), ("ageGroup", "adult"), ("legalName", "Ali Hassan (fictional)")])
            let adultID = try #require(UUID(uuidString: adult))

            // An adult without NRM consent: no NRM referral, the Duty to Notify instead.
            let page = try await caseworker.get("/cases/\(adult)/nrm")
            #expect(page.text.contains("make an anonymous Duty to Notify report instead"))
            let refused = try await caseworker.post("/cases/\(adult)/nrm", [("referralDate", "2026-11-02"), ("firstResponder", "Safe Harbour")])
            #expect(refused.status == .unprocessableContent)
            #expect(try await CaseNRM.query(on: db).filter(\.$caseID == adultID).count() == 0)
            #expect(try await caseworker.get("/cases/\(adult)/nrm/draft").status == .unprocessableContent)

            // The Duty to Notify refuses the person's names and other identifiers.
            let named = try await caseworker.post("/cases/\(adult)/duty-to-notify", [
                ("exploitationTypes", "labour"), ("location", "uk"), ("gender", "male"), ("ageBand", "25_34"),
                ("account", "Ali Hassan worked on a farm; call 07700 900123."),
            ])
            #expect(named.status == .unprocessableContent)
            #expect(named.text.contains("a name of the person"))
            #expect(named.text.contains("a phone number"))
            #expect(try await CaseDutyToNotify.query(on: db).filter(\.$caseID == adultID).count() == 0)
            let notified = try await caseworker.post("/cases/\(adult)/duty-to-notify", [
                ("exploitationTypes", "labour"), ("location", "uk"), ("gender", "male"), ("ageBand", "25_34"), ("nationality", "sy"),
                ("account", "Worked on a farm for no pay; documents held by the employer."),
            ])
            #expect(notified.status == .seeOther)
            let stored = try #require(try await CaseDutyToNotify.query(on: db).filter(\.$caseID == adultID).first()).record
            #expect(!stored.contains("Ali"))
            #expect(stored.contains("\"SY\""))

            // A possible child is always referred, without consent; dates must be in order.
            let child = try await Self.openCase(caseworker, [("chosenName", "Sami"), ("ageGroup", "possible_child"), ("legalName", "Sami R. (fictional)")])
            let childID = try #require(UUID(uuidString: child))
            try await caseworker.get("/cases/\(child)/nrm")
            let wrongOrder = try await caseworker.post("/cases/\(child)/nrm", [("referralDate", "2026-11-02"), ("firstResponder", "Westmere Council"),
                                                                               ("rgDecision", "positive"), ("rgDate", "2026-10-20")])
            #expect(wrongOrder.status == .unprocessableContent)
            #expect(wrongOrder.text.contains("before"))
            #expect(try await CaseNRM.query(on: db).filter(\.$caseID == childID).count() == 0)
            let saved = try await caseworker.post("/cases/\(child)/nrm", [("referralDate", "2026-11-02"), ("firstResponder", "Westmere Council"),
                                                                          ("competentAuthority", "sca"), ("rgDecision", "positive"), ("rgDate", "2026-11-06")])
            #expect(saved.status == .seeOther)
            let nrm = try await caseworker.get("/cases/\(child)/nrm")
            #expect(nrm.text.contains("Positive reasonable grounds – recovery period"))
            #expect(nrm.text.contains("9 November 2026"))   // 5 working days after Monday 2 November
            let draft = try await caseworker.get("/cases/\(child)/nrm/draft")
            #expect(draft.status == .ok)
            #expect(draft.text.contains("Sami R. (fictional)"))
            #expect(draft.text.contains("Not needed: they are, or may be, a child."))
            let text = try await caseworker.get("/cases/\(child)/nrm/draft.txt")
            #expect(text.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(try await AuditEntry.query(on: db).filter(\.$recordID == child).filter(\.$action == "case.nrm.drafted").count() == 2)

            // Outsiders get 404 for every new case page.
            let outsider = Browser(client)
            try await outsider.signIn("caseworker2@demo.invalid")
            for path in ["consent", "care-plan", "nrm", "nrm/draft", "nrm/draft.txt", "outcomes"] {
                #expect(try await outsider.get("/cases/\(child)/\(path)").status == .notFound, "\(path)")
            }
            try await outsider.get("/cases")
            for (path, fields) in [("consent", [("method", "written")]), ("needs", [("domain", "safety")]), ("tasks", [("title", "x")]),
                                   ("nrm", [("referralDate", "2026-11-02")]), ("duty-to-notify", [("gender", "male")]),
                                   ("outcomes", [("point", "intake")]), ("warnings", [("sign", "new_debt")])] {
                #expect(try await outsider.post("/cases/\(child)/\(path)", fields).status == .notFound, "\(path)")
            }
        }
    }

    @Test func outcomesAreRatedOverTimeAndWarningSignsRaiseRiskAndAlertTheTeam() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            let id = try await Self.openCase(caseworker, [("chosenName", "Nadia"), ("ageGroup", "adult")])
            try await caseworker.get("/cases/\(id)")
            #expect(try await caseworker.post("/cases/\(id)/team", [("email", "caseworker2@demo.invalid")]).status == .seeOther)

            try await caseworker.get("/cases/\(id)/outcomes")
            let none = try await caseworker.post("/cases/\(id)/outcomes", [("point", "intake")])
            #expect(none.status == .unprocessableContent)
            #expect(none.text.contains("Rate at least one outcome"))
            let future = try await caseworker.post("/cases/\(id)/outcomes", [("point", "intake"), ("reviewDate", "2099-01-01"),
                                                                             ("rating_secure_suitable_housing", "a_little")])
            #expect(future.status == .unprocessableContent)
            #expect(try await CaseOutcomeReview.query(on: db).filter(\.$caseID == UUID(uuidString: id)!).count() == 0)
            let intake = try await caseworker.post("/cases/\(id)/outcomes", [("point", "intake"), ("rating_secure_suitable_housing", "not_at_all"),
                                                                             ("rating_safety_from_abusers", "a_little")])
            #expect(intake.status == .seeOther)
            let again = try await caseworker.post("/cases/\(id)/outcomes", [("point", "intake"), ("rating_education", "fully")])
            #expect(again.status == .unprocessableContent)
            #expect(again.text.contains("already recorded"))
            let month = try await caseworker.post("/cases/\(id)/outcomes", [("point", "1_month"), ("rating_secure_suitable_housing", "mostly"),
                                                                            ("rating_safety_from_abusers", "partly")])
            #expect(month.status == .seeOther)
            let page = try await caseworker.get("/cases/\(id)/outcomes")
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("Secure and suitable housing, 1 month: Mostly"))
            #expect(page.text.contains("Next review: 3 months"))

            // A severe sign raises the risk and alerts the rest of the team.
            let bad = try await caseworker.post("/cases/\(id)/warnings", [("sign", "nothing")])
            #expect(bad.status == .unprocessableContent)
            let warned = try await caseworker.post("/cases/\(id)/warnings", [("sign", "contact_from_exploiter"), ("note", "Messages from the old boss.")])
            #expect(warned.status == .seeOther)
            _ = try await caseworker.post("/cases/\(id)/warnings", [("sign", "going_missing")])
            let record = try #require(try await SupportCase.find(UUID(uuidString: id)!, on: db))
            #expect(record.risk == .high)
            let colleague = Browser(client)
            try await colleague.signIn("caseworker2@demo.invalid")
            let seen = try await colleague.get("/cases/\(id)")
            #expect(seen.text.contains("Warning sign on case \(record.code): Contact from the exploiter."))
            let alert = try #require(try await CaseAlert.query(on: db).filter(\.$readAt == nil).filter(\.$caseID == UUID(uuidString: id)!).first())
            #expect(try await colleague.post("/alerts/\(alert.id!.uuidString)/dismiss", [("back", "/cases/\(id)")]).status == .seeOther)
            #expect(try await CaseAlert.find(alert.id, on: db)?.readAt != nil)
            // Someone else's alert cannot be dismissed.
            let other = try #require(try await CaseAlert.query(on: db).filter(\.$readAt == nil).filter(\.$caseID == UUID(uuidString: id)!).first())
            #expect(try await caseworker.post("/alerts/\(other.id!.uuidString)/dismiss").status == .notFound)
        }
    }

    @Test func theAPIWorksConsentNeedsTasksNRMOutcomesAndWarningsWithTheSameRules() async throws {
        try await withApp { client, built in
            let db = built.services.database.db
            let council = try await Self.agencyID(of: "caseworker2@demo.invalid", built)
            let police = try await Self.agencyID(of: "analyst@demo.invalid", built)
            let caseworker = try await token(for: "caseworker@demo.invalid", built)
            let opened = try await send(client, .post, "/api/v1/cases", token: caseworker, json: #"{"chosenName":"Api","ageGroup":"adult"}"#)
            #expect(opened.status == .created)
            let id = try #require(try jsonObject(opened)["id"] as? String)
            #expect(try jsonObject(opened)["ageGroup"] as? String == "adult")
            let cid = try #require(UUID(uuidString: id))

            // Bad input: clear 4xx, nothing stored.
            let backwards = try await send(client, .post, "/api/v1/cases/\(id)/consents", token: caseworker, json: """
                {"categories":["needs_and_care_plan"],"purposes":["support_and_care_planning"],"agencyIds":["\(council)"],"method":"written","validFrom":"2026-05-10","validUntil":"2026-05-01"}
                """)
            #expect(backwards.status == .unprocessableContent)
            #expect(backwards.text.contains("cannot end"))
            #expect(try await send(client, .post, "/api/v1/cases/\(id)/consents", token: caseworker, json: "{not json").status == .badRequest)
            #expect(try await CaseConsent.query(on: db).filter(\.$caseID == cid).count() == 0)

            let consent = try await send(client, .post, "/api/v1/cases/\(id)/consents", token: caseworker, json: """
                {"categories":["needs_and_care_plan"],"purposes":["support_and_care_planning"],"agencyIds":["\(council)"],"method":"written"}
                """)
            #expect(consent.status == .created)
            #expect(try jsonObject(consent)["inForce"] as? Bool == true)
            let consentID = try #require(try jsonObject(consent)["id"] as? String)
            let consents = try jsonObject(try await send(client, .get, "/api/v1/cases/\(id)/consents", token: caseworker))["items"] as? [[String: Any]]
            #expect(consents?.count == 1)

            #expect(try await send(client, .put, "/api/v1/cases/\(id)/needs/accommodation", token: caseworker,
                                   json: #"{"urgency":"immediate","survivorPriority":"high"}"#).status == .ok)
            #expect(try await send(client, .put, "/api/v1/cases/\(id)/needs/cake", token: caseworker,
                                   json: #"{"urgency":"immediate","survivorPriority":"high"}"#).status == .unprocessableContent)
            let needs = try jsonObject(try await send(client, .get, "/api/v1/cases/\(id)/needs", token: caseworker))["items"] as? [[String: Any]]
            #expect(needs?.first?["domain"] as? String == "accommodation")

            #expect(try await send(client, .post, "/api/v1/cases/\(id)/tasks", token: caseworker,
                                   json: #"{"need":"accommodation","title":"Room","agencyId":"\#(police)"}"#).status == .unprocessableContent)
            let task = try await send(client, .post, "/api/v1/cases/\(id)/tasks", token: caseworker,
                                      json: #"{"need":"accommodation","title":"Find a room","agencyId":"\#(council)"}"#)
            #expect(task.status == .created)
            let taskID = try #require(try jsonObject(task)["id"] as? String)

            // The council's caseworker: their inbox has it, they complete it, the case stays hidden.
            let council2 = try await token(for: "caseworker2@demo.invalid", built)
            let inbox = try jsonObject(try await send(client, .get, "/api/v1/tasks", token: council2))["items"] as? [[String: Any]] ?? []
            #expect(inbox.contains { $0["id"] as? String == taskID })
            #expect(try await send(client, .patch, "/api/v1/tasks/\(taskID)", token: council2, json: #"{"status":"bogus"}"#).status == .unprocessableContent)
            let done = try await send(client, .patch, "/api/v1/tasks/\(taskID)", token: council2, json: #"{"status":"done","note":"Room found."}"#)
            #expect(done.status == .ok)
            #expect(try jsonObject(done)["status"] as? String == "done")
            for path in ["", "/consents", "/needs", "/tasks", "/nrm", "/outcomes"] {
                #expect(try await send(client, .get, "/api/v1/cases/\(id)\(path)", token: council2).status == .notFound, "\(path)")
            }
            let analyst = try await token(for: "analyst@demo.invalid", built)
            #expect(try await send(client, .get, "/api/v1/cases/\(id)/consents", token: analyst).status == .forbidden)
            #expect(try await send(client, .get, "/api/v1/tasks", token: analyst).status == .forbidden)

            // Withdrawal through the API: the council loses the task at once.
            let withdrawn = try await send(client, .post, "/api/v1/cases/\(id)/consents/\(consentID)/withdrawal", token: caseworker, json: "{}")
            #expect(withdrawn.status == .ok)
            #expect(try jsonObject(withdrawn)["withdrawnOn"] as? String == CaseSupportService.today().description)
            #expect(try await send(client, .post, "/api/v1/cases/\(id)/consents/\(consentID)/withdrawal", token: caseworker, json: "{}").status == .conflict)
            let after = try jsonObject(try await send(client, .get, "/api/v1/tasks", token: council2))["items"] as? [[String: Any]] ?? []
            #expect(!after.contains { $0["id"] as? String == taskID })
            #expect(try await send(client, .patch, "/api/v1/tasks/\(taskID)", token: council2, json: #"{"status":"in_progress"}"#).status == .notFound)

            // NRM: an adult without consent takes the Duty to Notify route.
            let nrm = try jsonObject(try await send(client, .get, "/api/v1/cases/\(id)/nrm", token: caseworker))
            #expect(nrm["route"] as? String == "duty_to_notify")
            #expect(try await send(client, .put, "/api/v1/cases/\(id)/nrm", token: caseworker,
                                   json: #"{"referralDate":"2026-11-02","firstResponder":"Safe Harbour"}"#).status == .unprocessableContent)

            // Outcomes and warnings.
            #expect(try await send(client, .post, "/api/v1/cases/\(id)/outcomes", token: caseworker,
                                   json: #"{"point":"intake","ratings":{"education":"fully","secure_suitable_housing":"a_little"}}"#).status == .created)
            #expect(try await send(client, .post, "/api/v1/cases/\(id)/outcomes", token: caseworker,
                                   json: #"{"point":"intake","ratings":{"nonsense":"fully"}}"#).status == .unprocessableContent)
            let reviews = try jsonObject(try await send(client, .get, "/api/v1/cases/\(id)/outcomes", token: caseworker))["items"] as? [[String: Any]]
            #expect(reviews?.count == 1)
            let warning = try await send(client, .post, "/api/v1/cases/\(id)/warnings", token: caseworker, json: #"{"sign":"going_missing"}"#)
            #expect(warning.status == .created)
            #expect(try jsonObject(warning)["riskLevel"] as? String == "high")
        }
    }
}

/// Partnership figures: counts without cases or people, small numbers suppressed.
@Suite struct CaseFiguresTests {
    @Test func twoMissedContactsInARowAreAWarningSignCairnRecords() async throws {
        try await withApp { client, built in
            let services = built.services
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let outsider = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let opened = try await services.cases.open(.init(chosenName: "Contact log", ageGroup: "adult"), identity: caseworker, address: "test")
            let id = opened.id!
            let team = try await services.cases.authorise(id, identity: caseworker)
            // Pretend a month has passed since the case was opened.
            let later = Date().addingTimeInterval(30 * 86400)
            let opening = CaseSupportService.today()
            func day(_ n: Int) -> String { opening.adding(days: n).description }

            // Bad input changes nothing.
            for (date, method, status) in [("2026-13-40", "phone", "planned"), (day(-3), "phone", "planned"), (day(10), "carrier pigeon", "planned"),
                                           (day(40), "phone", "attended"), (day(10), "phone", "lost")] {
                await #expect(throws: AppError.self, "\(date) \(method) \(status)") {
                    try await services.support.planContact(team, date: date, method: method, status: status, note: "",
                                                           address: "test", now: later)
                }
            }
            await #expect(throws: AppError.self) {
                try await services.support.planContact(try await services.cases.authorise(id, identity: outsider), date: day(5), method: "phone", note: "",
                                                       address: "test", now: later)
            }
            #expect(try await services.support.contacts(of: team).isEmpty)

            _ = try await services.support.planContact(team, date: day(5), method: "in_person", status: "attended", note: "Went well.",
                                                       address: "test", now: later)
            _ = try await services.support.planContact(team, date: day(12), method: "phone", status: "missed", note: "",
                                                       address: "test", now: later)
            // One missed contact is not yet a sign.
            #expect(try await CaseWarning.query(on: services.database.db).filter(\.$caseID == id).count() == 0)
            let planned = try await services.support.planContact(team, date: day(19), method: "video", note: "",
                                                                 address: "test", now: later)
            let future = try await services.support.planContact(team, date: day(60), method: "phone", note: "",
                                                                address: "test", now: later)
            await #expect(throws: AppError.self) {
                try await services.support.updateContact(team, contactID: future.id!, status: "missed", note: "", address: "test", now: later)
            }
            _ = try await services.support.updateContact(team, contactID: planned.id!, status: "missed", note: "No answer.",
                                                         address: "test", now: later)
            let warnings = try await CaseWarning.query(on: services.database.db).filter(\.$caseID == id).all()
            #expect(warnings.count == 1)
            #expect(warnings.first?.sign == "missed_contacts" && warnings.first?.recordedByID == nil)
            #expect(warnings.first?.note.contains("2 planned contacts in a row") == true)
            #expect(try await SupportCase.find(id, on: services.database.db)?.riskLevel != "low")

            // The page and the API show the log; someone off the team gets 404.
            let browser = Browser(client)
            try await browser.signIn("caseworker@demo.invalid")
            let page = try await browser.get("/cases/\(id)/contacts")
            #expect(page.status == .ok && page.text.contains("The last 2 contacts were missed"))
            let bad = try await browser.post("/cases/\(id)/contacts", [("plannedOn", "yesterday"), ("method", "phone")])
            #expect(bad.status == .unprocessableContent)
            let teamToken = try await token(for: "caseworker@demo.invalid", built)
            let listed = try await api(client, .get, "/api/v1/cases/\(id)/contacts", token: teamToken)
            #expect((try jsonObject(listed)["items"] as? [Any])?.count == 4)
            #expect(try await api(client, .post, "/api/v1/cases/\(id)/contacts", token: teamToken, json: #"{"plannedOn": "2026-12-01", "method": "fax"}"#).status == .badRequest)
            #expect(try await api(client, .patch, "/api/v1/cases/\(id)/contacts/\(UUID())", token: teamToken, json: #"{"status": "missed"}"#).status == .notFound)
            let outsiderToken = try await token(for: "caseworker2@demo.invalid", built)
            #expect(try await api(client, .get, "/api/v1/cases/\(id)/contacts", token: outsiderToken).status == .notFound)
            #expect(try await services.support.contacts(of: team).count == 4)
        }
    }

    @Test func figuresCountCasesWithoutShowingThemAndSuppressSmallNumbers() async throws {
        try await withApp { client, built in
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            var page = try await coordinator.get("/case-figures")
            #expect(page.status == .ok)
            // The demo's three cases: each count is small, so suppressed; no name or code appears.
            #expect(page.text.contains("fewer than 5"))
            for secret in ["Andrei", "Mira", "Daniel", "SC-"] { #expect(!page.text.contains(secret), "\(secret)") }
            // Enough cases and the figures appear.
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", built.services)
            for n in 0..<6 {
                let opened = try await built.services.cases.open(.init(chosenName: "Figure \(n)", ageGroup: "adult"), identity: caseworker, address: "test")
                for (point, rating) in [("intake", "a_little"), ("1_month", n < 4 ? "mostly" : "a_little")] {
                    _ = try await built.services.support.recordReview(try await built.services.cases.authorise(opened.id!, identity: caseworker),
                                                                       point: point, date: "", ratings: ["secure_suitable_housing": rating],
                                                                       note: "", address: "test")
                }
            }
            page = try await coordinator.get("/case-figures")
            #expect(page.text.contains(#"<strong id="case-total">9</strong>"#))
            // 8 open and 1 closed: the closed count is hidden, and so is the open one, which
            // would give it away as 9 − 8.
            #expect(page.text.contains("<tr><td>Open</td><td>withheld (protects a small count)</td></tr>"))
            #expect(page.text.contains("<tr><td>Closed</td><td>fewer than 5</td></tr>"))
            // Housing was rated twice on 9 cases (the 3 demo cases, all better, and these 6: 4 better, 2 the same).
            #expect(page.text.contains("<th scope=\"row\">Secure and suitable housing</th><td>9</td><td>7</td><td>fewer than 5</td><td>0</td>"))
            #expect(try await AuditEntry.query(on: built.services.database.db).filter(\.$action == "case.figures.viewed").count() == 2)
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            #expect(try await analyst.get("/case-figures").status == .forbidden)
        }
    }
}

/// Detected warning signs: a new report that mentions what a case's report mentioned.
@Suite struct LinkedReportWarningTests {
    static func report(_ phone: String, _ text: String, services: AppServices) async throws -> Report {
        var input = ReportInput()
        input.description = text
        input.phones = phone
        return try await services.reports.submit(input, source: .public, identity: nil, address: "test", idempotencyKey: nil,
                                                 requireFormAnswers: false).report
    }

    static func warnings(_ caseID: UUID, _ services: AppServices) async throws -> [CaseWarning] {
        try await CaseWarning.query(on: services.database.db).filter(\.$caseID == caseID).filter(\.$sign == "new_linked_report").all()
    }

    @Test func aNewReportWithTheSamePhoneWarnsTheCaseTeam() async throws {
        try await withServices(demo: true) { services, _ in
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let first = try await Self.report("07700 900777", "He is made to work at the farm shop and sleeps in a barn.", services: services)
            // A case is opened from a report the caseworker may see: the triage team refers it.
            _ = try await services.reports.refer(first.id!, to: caseworker.agencyID, shared: ["mentions"], request: "Support him",
                                                 identity: try await DemoReports.identity("analyst@demo.invalid", services), address: "test")
            let opened = try await services.cases.open(.init(chosenName: "Linked", reportReference: first.reference, ageGroup: "adult"),
                                                       identity: caseworker, address: "test")
            try await services.cases.addMember(to: try await services.cases.authorise(opened.id!, identity: caseworker), email: "caseworker2@demo.invalid",
                                               address: "test")

            // A report about someone else: nothing.
            _ = try await Self.report("07700 900111", "Men collected from the car park at 5am.", services: services)
            // The same phone, written differently: a warning, detected by Cairn, raising the risk.
            let second = try await Self.report("+44 7700 900777", "The same man is back at the farm shop with a new worker.", services: services)
            var found: [CaseWarning] = []
            for _ in 0..<100 where found.isEmpty {
                try await Task.sleep(for: .milliseconds(50))
                found = try await Self.warnings(opened.id!, services)
            }
            #expect(found.count == 1)
            #expect(found.first?.recordedByID == nil)
            #expect(found.first?.note.contains(second.reference) == true)
            #expect(try await SupportCase.find(opened.id, on: services.database.db)?.risk == .high)
            let colleague = try await DemoReports.identity("caseworker2@demo.invalid", services)
            let alerts = try await services.support.alerts(identity: colleague)
            #expect(alerts.contains { $0.caseID == opened.id && $0.message.contains("A new report links to them") })
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "case.warning.recorded")
                .filter(\.$recordID == opened.id!.uuidString).filter(\.$actor == "system").count() == 1)
        }
    }
}
