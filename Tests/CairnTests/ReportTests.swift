import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Linkage
import NIOCore
import Testing

@testable import Cairn

/// Sends JSON with extra headers (Idempotency-Key, Cairn-Passphrase).
func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String? = nil,
          json: String? = nil, headers extra: [String: String] = [:]) async throws -> TestResponse {
    var headers: HTTPFields = [:]
    if let token { headers[.authorization] = "Bearer \(token)" }
    if json != nil { headers[.contentType] = "application/json" }
    for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
    return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
}

/// The demo partnership without its fictional reports, so counts start from nothing.
func withEmptyReports(configure: (inout AppConfig) -> Void = { _ in },
                      _ body: @Sendable (any TestClientProtocol, BuiltApplication) async throws -> Void) async throws {
    try await withApp(configure: configure) { client, built in
        let db = built.services.database.db
        try await SupportCase.query(on: db).set(\.$reportID, to: nil).update()
        try await Referral.query(on: db).delete()
        try await ReportEvent.query(on: db).delete()
        try await ReportMention.query(on: db).delete()
        try await ReportIndicator.query(on: db).delete()
        try await Report.query(on: db).delete()
        try await body(client, built)
    }
}

func reportCount(_ built: BuiltApplication) async throws -> Int {
    try await Report.query(on: built.services.database.db).count()
}

/// A report submitted through the public API: its reference and passphrase.
func publicReport(_ client: any TestClientProtocol, _ json: String = #"{"description":"Men sleeping at the car wash","language":"en"}"#,
                  headers: [String: String] = [:]) async throws -> (reference: String, passphrase: String) {
    let response = try await send(client, .post, "/api/v1/public/reports", json: json, headers: headers)
    try #require(response.status == .created, "\(response.status) \(response.text)")
    let body = try jsonObject(response)
    return (try #require(body["reference"] as? String), try #require(body["passphrase"] as? String))
}

@Suite struct PublicReportTests {
    @Test func publicAPIContract() async throws {
        try await withEmptyReports { client, built in
            let (reference, passphrase) = try await publicReport(client)
            #expect(reference.range(of: #"^CRN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$"#, options: .regularExpression) != nil)
            #expect(passphrase.split(separator: "-").count == 4)

            let status = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": passphrase])
            #expect(status.status == .ok)
            let body = try jsonObject(status)
            #expect(body["reference"] as? String == reference)
            #expect(body["status"] as? String == PublicReportText.text("status.received", in: .en))
            // Typed as people type it: lower case, spaces for dashes.
            let typed = try await send(client, .get, "/api/v1/public/reports/\(reference.lowercased())",
                                       headers: ["Cairn-Passphrase": passphrase.replacingOccurrences(of: "-", with: " ").uppercased()])
            #expect(typed.status == .ok)

            let wrong = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": "wrong words here now"])
            let unknown = try await send(client, .get, "/api/v1/public/reports/CRN-2222-22", headers: ["Cairn-Passphrase": passphrase])
            #expect(wrong.status == .notFound)
            #expect(unknown.status == .notFound)
            #expect(try jsonObject(wrong)["detail"] as? String == jsonObject(unknown)["detail"] as? String)
            let missing = try await send(client, .get, "/api/v1/public/reports/\(reference)")
            #expect(missing.status == .badRequest)
            #expect(missing.headers[.contentType] == "application/problem+json")

            // Stored durably with its audit entry, which holds no personal data.
            let db = built.services.database.db
            let report = try #require(try await Report.query(on: db).filter(\.$reference == reference).first())
            #expect(report.reportStatus == .new)
            #expect(report.passphraseHash != nil && report.passphraseHash != passphrase)
            let entries = try await AuditEntry.query(on: db).filter(\.$recordID == report.id!.uuidString).all()
            #expect(entries.map(\.action).contains("report.created"))
            #expect(entries.map(\.action).contains("report.status_checked"))
            #expect(!entries.contains { $0.detail.contains("car wash") })
        }
    }

    @Test func emergencyIsRoutedToThePoliceAtOnce() async throws {
        try await withEmptyReports { client, built in
            let (reference, passphrase) = try await publicReport(
                client, #"{"description":"A girl locked in a van","language":"en","dangerNow":true,"postcode":"wm1 4ab","phones":"07700 900123, +44 7700 900456","vehicles":"AB12 CDE","websites":"@boss_77, https://www.example.com/ads?id=3, boss@example.com"}"#)
            let db = built.services.database.db
            let report = try #require(try await Report.query(on: db).filter(\.$reference == reference).first())
            let police = try #require(try await Agency.query(on: db).filter(\.$name == "Westmere Constabulary").first())
            #expect(report.reportUrgency == .emergency)
            #expect(report.reportStatus == .assigned)
            #expect(report.assignedAgencyID == police.id)
            #expect(report.firedRules.map(\.id) == ["danger-now"])
            #expect(report.postcode == "WM1 4AB" && report.postcodeDistrict == "WM1")
            // Due within the hour.
            #expect(report.dueAt.timeIntervalSince(report.receivedAt) == 3600)
            let mentions = try await ReportMention.query(on: db).filter(\.$reportID == report.id!).all()
            let byKind = Dictionary(grouping: mentions, by: \.kind).mapValues { Set($0.compactMap(\.normalised)) }
            #expect(byKind["phone"] == ["+447700900123", "+447700900456"])
            #expect(byKind["vehicle"] == ["AB12CDE"])
            #expect(byKind["username"] == ["boss_77"])
            #expect(byKind["url"] == ["example.com/ads"])
            #expect(byKind["email"] == ["boss@example.com"])
            #expect(mentions.first { $0.kind == "address" }?.postcode == "WM1 4AB")
            let status = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": passphrase])
            #expect(try jsonObject(status)["status"] as? String == PublicReportText.text("status.passed", in: .en))
        }
    }

    @Test func invalidReportsAreRefusedInTheReportersLanguageAndChangeNothing() async throws {
        try await withEmptyReports(configure: { $0.maxBodyBytes = 4096 }) { client, built in
            let arabic = try await send(client, .post, "/api/v1/public/reports",
                                        json: #"{"description":"  ","language":"ar","postcode":"not a postcode","phones":"call me"}"#)
            #expect(arabic.status == .unprocessableContent)
            #expect(arabic.headers[.contentType] == "application/problem+json")
            let errors = try jsonObject(arabic)["errors"] as? [[String: String]] ?? []
            #expect(Set(errors.compactMap { $0["field"] }) == ["description", "postcode", "phones"])
            #expect(errors.first { $0["field"] == "description" }?["message"] == PublicReportText.text("validation.description.required", in: .ar))
            #expect(try jsonObject(arabic)["detail"] as? String == PublicReportText.text("validation.summary", in: .ar))

            let cases: [(String, HTTPResponse.Status)] = [
                (#"{"language":"en"}"#, .badRequest),                                   // missing description
                (#"{"description":"x"}"#, .badRequest),                                 // missing language
                (#"{"description":5,"language":"en"}"#, .badRequest),                   // wrong type
                (#"{"description":"x","language":"en","colour":"red"}"#, .badRequest),  // unknown field
                (#"{"description":"x","language":"en""#, .badRequest),                  // broken JSON
                (#"{"description":"x","language":"xx"}"#, .unprocessableContent),       // unknown language
                (#"{"description":"x","language":"en","contact":{"phone":"12"}}"#, .unprocessableContent),
                (#"{"description":"x","language":"en","contact":{"email":"a@b.example"}}"#, .unprocessableContent), // no consent
                (#"{"description":"x","language":"en","reporterType":"alien"}"#, .badRequest),
                ("{\"description\":\"\(String(repeating: "x", count: 5000))\",\"language\":\"en\"}", .contentTooLarge),
            ]
            for (json, expected) in cases {
                let response = try await send(client, .post, "/api/v1/public/reports", json: json)
                #expect(response.status == expected, "\(json.prefix(80)): \(response.status) \(response.text.prefix(200))")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect((try jsonObject(response)["detail"] as? String)?.isEmpty == false)
            }
            #expect(try await reportCount(built) == 0)
        }
    }

    @Test func aRetriedSubmissionMakesOneReport() async throws {
        try await withEmptyReports { client, built in
            let body = #"{"description":"Workers collected at 5am by a white van","language":"pl"}"#
            let first = try await publicReport(client, body, headers: ["Idempotency-Key": "retry-1"])
            let second = try await publicReport(client, body, headers: ["Idempotency-Key": "retry-1"])
            #expect(first.reference == second.reference)
            #expect(try await reportCount(built) == 1)
            // The newest passphrase is the one that works: the first answer may never have arrived.
            let now = try await send(client, .get, "/api/v1/public/reports/\(first.reference)", headers: ["Cairn-Passphrase": second.passphrase])
            #expect(now.status == .ok)
            #expect(try jsonObject(now)["status"] as? String == PublicReportText.text("status.received", in: .pl))
            let other = try await send(client, .post, "/api/v1/public/reports", json: #"{"description":"Something else","language":"pl"}"#,
                                       headers: ["Idempotency-Key": "retry-1"])
            #expect(other.status == .unprocessableContent)
            #expect(try await reportCount(built) == 1)
        }
    }

    @Test func tooManyReportsFromOneAddressGet429() async throws {
        try await withEmptyReports(configure: { $0.reportRateLimit = 2 }) { client, built in
            _ = try await publicReport(client, #"{"description":"one","language":"en"}"#, headers: ["Idempotency-Key": "a"])
            _ = try await publicReport(client, #"{"description":"one","language":"en"}"#, headers: ["Idempotency-Key": "a"]) // a replay is free
            _ = try await publicReport(client, #"{"description":"two","language":"en"}"#)
            let third = try await send(client, .post, "/api/v1/public/reports", json: #"{"description":"three","language":"vi"}"#)
            #expect(third.status == .tooManyRequests)
            #expect(Int(third.headers[.retryAfter] ?? "") ?? 0 > 0)
            // Two an hour: one more every 30 minutes.
            #expect(try jsonObject(third)["detail"] as? String == PublicReportText.format("rateLimit.message", in: .vi, values: ["minutes": "30"]))
            #expect(try await reportCount(built) == 2)
            // The web form shares the limit.
            let browser = Browser(client)
            try await browser.get("/report")
            let page = try await browser.post("/report", [("lang", "en"), ("dangerNow", "no"), ("description", "four"), ("reporterType", "hotel"), ("contact", "anonymous")])
            #expect(page.status == .tooManyRequests)
            #expect(try await reportCount(built) == 2)
        }
    }

    @Test func publicFormInEveryLanguage() async throws {
        try await withEmptyReports { client, built in
            for language in PublicLanguage.allCases {
                let page = try await Browser(client).get("/report?lang=\(language.rawValue)")
                #expect(page.status == .ok)
                #expect(page.text.contains(#"<html lang="\#(language.rawValue)" dir="\#(language.direction)">"#))
                #expect(page.text.contains(PublicReportText.text("report.danger.question", in: language)))
                #expect(page.text.contains("08000 121 700"))
                #expect(page.headers[.contentLanguage] == language.rawValue)
            }
            // The choice is remembered.
            let browser = Browser(client)
            try await browser.get("/report?lang=ti")
            let status = try await browser.get("/report/status")
            #expect(status.text.contains(#"<html lang="ti""#))
            // An unknown code falls back to English.
            #expect(try await Browser(client).get("/report?lang=xx").text.contains(#"<html lang="en""#))

            // Missing answers: the page comes back in the language, with the values kept.
            try await browser.get("/report?lang=ro")
            let invalid = try await browser.post("/report", [("lang", "ro"), ("description", ""), ("location", "Strada Mare 1")])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains(PublicReportText.text("validation.description.required", in: .ro)))
            // A missing choice names its question, in the reporter's language.
            for question in ["report.danger.question", "report.reporter.label"] {
                let message = PublicReportText.format("validation.choice.required", in: .ro,
                                                      values: ["question": PublicReportText.text(question, in: .ro)])
                #expect(message.hasPrefix(PublicReportText.text(question, in: .ro)))
                #expect(invalid.text.contains(message), "\(question)")
            }
            #expect(invalid.text.contains("Strada Mare 1"))
            // The honeypot catches bots.
            let bot = try await browser.post("/report", [("lang", "en"), ("dangerNow", "no"), ("description", "spam"), ("reporterType", "other"),
                                                         ("contact", "anonymous"), ("website_confirm", "http://spam.example")])
            #expect(bot.status == .unprocessableContent)
            #expect(try await reportCount(built) == 0)

            // A double click makes one report.
            try await browser.get("/report?lang=en")
            let fields = [("lang", "en"), ("submission", "form-123"), ("dangerNow", "yes"), ("description", "Children begging outside the station"),
                          ("reporterType", "hotel"), ("contact", "details"), ("contactName", "Jo"), ("contactPhone", "07700 900111"), ("contactConsent", "on")]
            let done = try await browser.post("/report", fields)
            #expect(done.status == .created)
            #expect(done.text.contains(PublicReportText.text("report.emergency.title", in: .en)))
            let again = try await browser.post("/report", fields)
            #expect(again.status == .created)
            #expect(try await reportCount(built) == 1)
            let reference = try #require(again.text.firstMatch(of: /id="reference">([^<]+)</)?.1)
            let passphrase = try #require(again.text.firstMatch(of: /id="passphrase">([^<]+)</)?.1)
            let report = try #require(try await Report.query(on: built.services.database.db).first())
            #expect(report.contactPhone == "07700 900111" && report.anonymous == false && report.reporterType == "hotel")

            let checked = try await browser.post("/report/status", [("lang", "en"), ("reference", String(reference)), ("passphrase", String(passphrase))])
            #expect(checked.status == .ok)
            #expect(checked.text.contains(PublicReportText.text("status.passed", in: .en)))
            let notFound = try await browser.post("/report/status", [("lang", "en"), ("reference", String(reference)), ("passphrase", "nope")])
            #expect(notFound.status == .notFound)
            #expect(notFound.text.contains(PublicReportText.text("status.notFound", in: .en)))
            // Without the form token nothing is stored.
            let forged = try await Browser(client).post("/report", fields, csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(try await reportCount(built) == 1)
        }
    }
}

@Suite struct PractitionerReportTests {
    static let labourReport = #"""
    {"description":"Six men living above the car wash, paid nothing, passports held by the manager",
     "exploitationTypes":["labour"],"ageGroup":"adult","labourSector":"car_wash","postcode":"WM2 7QT",
     "indicators":[{"id":"ilo.retention-of-identity-documents","knowledge":"disclosed"},{"id":"ilo.withholding-of-wages","knowledge":"disclosed"}],
     "people":[{"name":"Ion Popescu","dateOfBirth":"14/03/1990","nationality":"Romanian"},{"aliases":"Boss"}],
     "addresses":[{"line":"Flat 2, 14 Mill St","postcode":"wm2 7qt"}],"phones":["07700 900999"]}
    """#

    @Test func practitionerReportsAreTriagedAndRoutedByTheRules() async throws {
        try await withEmptyReports { client, built in
            let mine = try await token(for: "practitioner@demo.invalid", built)
            let catalogue = try await built.services.reports.catalogue()
            for id in ["ilo.retention-of-identity-documents", "ilo.withholding-of-wages"] { try #require(catalogue.indicator(id: id) != nil, "\(id)") }
            let created = try await send(client, .post, "/api/v1/reports", token: mine, json: Self.labourReport)
            #expect(created.status == .created, "\(created.text)")
            let body = try jsonObject(created)
            #expect(body["status"] as? String == "assigned")
            #expect(body["assignedAgencyName"] as? String == "Gangmasters and Labour Abuse Authority (Westmere team)")
            let rules = (body["firedRules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(rules.contains("exploitation-type-known") && rules.contains("indicators-present"))
            #expect(body["urgency"] as? String == "medium")
            let mentions = body["mentions"] as? [[String: Any]] ?? []
            #expect(mentions.contains { $0["kind"] as? String == "person" && $0["dateOfBirth"] as? String == "1990-03-14" })
            #expect(mentions.contains { $0["kind"] as? String == "person" && $0["value"] as? String == "Boss" })
            #expect(mentions.contains { $0["kind"] as? String == "address" && $0["postcode"] as? String == "WM2 7QT" })
            #expect((body["indicators"] as? [[String: Any]])?.count == 2)

            let child = try await send(client, .post, "/api/v1/reports", token: mine,
                                       json: #"{"description":"A boy of about 15 selling drugs","exploitationTypes":["criminal"],"countyLines":true,"ageGroup":"possible_child"}"#)
            let childBody = try jsonObject(child)
            #expect(childBody["urgency"] as? String == "high")
            #expect(childBody["assignedAgencyName"] as? String == "Westmere County Council Children's Services")

            // The practitioner's agency sees both under "made", the police see neither.
            let made = try await send(client, .get, "/api/v1/reports?inbox=made", token: mine)
            #expect(try jsonObject(made)["total"] as? Int == 2)
            let caseworker = try await token(for: "caseworker@demo.invalid", built)
            let hidden = try await send(client, .get, "/api/v1/reports/\(try #require(body["id"] as? String))", token: caseworker)
            #expect(hidden.status == .notFound)
            let theirs = try await send(client, .get, "/api/v1/reports", token: caseworker)
            #expect(try jsonObject(theirs)["total"] as? Int == 0)
            let all = try await send(client, .get, "/api/v1/reports?inbox=all", token: caseworker)
            #expect(all.status == .forbidden)
            let viewer = try await token(for: "viewer@demo.invalid", built)
            #expect(try await send(client, .get, "/api/v1/reports", token: viewer).status == .forbidden)
            #expect(try await send(client, .post, "/api/v1/reports", token: viewer, json: Self.labourReport).status == .forbidden)

            // Bad practitioner input: every problem named, nothing stored.
            let before = try await reportCount(built)
            let bad = try await send(client, .post, "/api/v1/reports", token: mine,
                                     json: #"{"description":"x","exploitationTypes":["not_known","labour"],"ageGroup":"adult","labourSector":"mining","indicators":[{"id":"ilo.nope","knowledge":"observed"}],"people":[{"dateOfBirth":"31/02/1990"}]}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = Set((try jsonObject(bad)["errors"] as? [[String: String]] ?? []).compactMap { $0["field"] })
            #expect(fields.isSuperset(of: ["exploitationTypes", "labourSector", "indicators", "persons[0].name"]))
            #expect(try await reportCount(built) == before)
        }
    }

    /// The whole journey through the API: a public report waits for triage, is assigned,
    /// accepted and closed with an outcome, and the reporter sees the new status.
    @Test func fromPublicReportToOutcome() async throws {
        try await withEmptyReports { client, built in
            let (reference, passphrase) = try await publicReport(client, #"{"description":"Nail bar staff never leave","language":"sq"}"#)
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let queue = try jsonObject(try await send(client, .get, "/api/v1/reports?inbox=triage", token: analyst))
            let item = try #require((queue["items"] as? [[String: Any]])?.first)
            #expect(item["reference"] as? String == reference)
            let id = try #require(item["id"] as? String)
            let police = try #require(try await Agency.query(on: built.services.database.db).filter(\.$name == "Westmere Constabulary").first())

            // Not allowed yet: a clear 409 that changes nothing.
            let early = try await send(client, .post, "/api/v1/reports/\(id)/transitions", token: analyst, json: #"{"action":"accept"}"#)
            #expect(early.status == .conflict)
            let assigned = try await send(client, .post, "/api/v1/reports/\(id)/transitions", token: analyst,
                                          json: #"{"action":"assign","agencyId":"\#(police.id!.uuidString)"}"#)
            #expect(try jsonObject(assigned)["status"] as? String == "assigned")
            let accepted = try await send(client, .post, "/api/v1/reports/\(id)/transitions", token: analyst, json: #"{"action":"accept"}"#)
            #expect(try jsonObject(accepted)["status"] as? String == "accepted")
            #expect(try jsonObject(accepted)["respondedAt"] != nil)

            // A report cannot close without an outcome, a real date, not in the future.
            for bad in [#"{"outcome":"premises_visited","date":"2026-02-30"}"#, #"{"outcome":"premises_visited","date":"2999-01-01"}"#,
                        #"{"outcome":"premises_visited","date":""}"#] {
                let response = try await send(client, .post, "/api/v1/reports/\(id)/outcome", token: analyst, json: bad)
                #expect(response.status == .unprocessableContent, "\(bad)")
            }
            #expect(try await send(client, .post, "/api/v1/reports/\(id)/outcome", token: analyst, json: #"{"outcome":"made_up","date":"2026-01-01"}"#).status == .badRequest)
            let stillOpen = try await Report.find(UUID(uuidString: id), on: built.services.database.db)
            #expect(stillOpen?.reportStatus == .accepted)

            let closed = try await send(client, .post, "/api/v1/reports/\(id)/outcome", token: analyst,
                                        json: #"{"outcome":"police_investigation_opened","date":"2026-11-20","note":"Visited with the GLAA; two arrests."}"#)
            #expect(closed.status == .ok)
            let closedBody = try jsonObject(closed)
            #expect(closedBody["status"] as? String == "closed")
            #expect(closedBody["outcome"] as? String == "police_investigation_opened")
            let actions = (closedBody["events"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions == ["received", "triage", "assign", "accept", "close"])

            let status = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": passphrase])
            #expect(try jsonObject(status)["status"] as? String == PublicReportText.text("status.actionTaken", in: .sq))

            let reopen = try await send(client, .post, "/api/v1/reports/\(id)/transitions", token: analyst, json: #"{"action":"reopen"}"#)
            #expect(reopen.status == .unprocessableContent)
            let audit = try await AuditEntry.query(on: built.services.database.db).filter(\.$recordID == id).all().map(\.action)
            #expect(audit.contains("report.close") && audit.contains("report.accept") && audit.contains("report.viewed"))
        }
    }

    @Test func assignedAgencyWorksTheReportOnTheWebAndOthersCannot() async throws {
        try await withEmptyReports { client, built in
            let mine = try await token(for: "practitioner@demo.invalid", built)
            let created = try jsonObject(try await send(client, .post, "/api/v1/reports", token: mine,
                                                        json: #"{"description":"Man says he owes £5,000 for travel","exploitationTypes":["labour"],"ageGroup":"adult","dangerNow":true,"phones":["07700900777"]}"#))
            let id = try #require(created["id"] as? String)
            #expect(created["assignedAgencyName"] as? String == "Westmere Constabulary")

            // The analyst's agency (the police) holds it.
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            let page = try await analyst.get("/reports/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Someone is said to be in danger now."))
            #expect(page.text.contains("Accept report"))
            let rejectWithoutReason = try await analyst.post("/reports/\(id)/actions", [("action", "reject"), ("reason", " ")])
            #expect(rejectWithoutReason.status == .unprocessableContent)
            let accept = try await analyst.post("/reports/\(id)/actions", [("action", "accept")])
            #expect(accept.status == .seeOther)
            try await analyst.get(accept.location!)
            let close = try await analyst.post("/reports/\(id)/close", [("outcome", ""), ("outcomeDate", "2026-11-20")])
            #expect(close.status == .unprocessableContent)
            #expect(close.text.contains("a report cannot be closed without one"))

            // Refer to Safe Harbour, sharing only the summary.
            let safeHarbour = try #require(try await Agency.query(on: built.services.database.db).filter(\.$name == "Safe Harbour Survivor Support").first())
            try await analyst.get("/reports/\(id)")
            let referred = try await analyst.post("/reports/\(id)/referrals", [("toAgencyId", safeHarbour.id!.uuidString), ("shared", "summary"),
                                                                               ("request", "Please offer support")])
            #expect(referred.status == .seeOther)
            let caseworker = Browser(client)
            try await caseworker.signIn("caseworker@demo.invalid")
            let shared = try await caseworker.get("/reports/\(id)")
            #expect(shared.status == .ok)
            #expect(shared.text.contains("through a referral"))
            #expect(!shared.text.contains("07700900777"))
            #expect(!shared.text.contains("Accept report"))
            let refused = try await caseworker.post("/reports/\(id)/actions", [("action", "start")])
            #expect(refused.status == .forbidden)
            let referral = try #require(try await Referral.query(on: built.services.database.db).first())
            try await caseworker.get("/reports/\(id)")
            let rejectNoReason = try await caseworker.post("/referrals/\(referral.id!.uuidString)", [("status", "rejected"), ("response", "")])
            #expect(rejectNoReason.status == .unprocessableContent)
            try await caseworker.get("/reports/\(id)")
            let rejected = try await caseworker.post("/referrals/\(referral.id!.uuidString)", [("status", "rejected"), ("response", "No capacity this month")])
            #expect(rejected.status == .seeOther)
            // A rejected referral gives no more access.
            #expect(try await caseworker.get("/reports/\(id)").status == .notFound)

            // Someone from an unrelated agency gets 404 for every page of the report.
            let other = Browser(client)
            try await other.signIn("caseworker2@demo.invalid")
            for path in ["/reports/\(id)", "/reports/\(id)/close"] { #expect(try await other.get(path).status == .notFound, "\(path)") }
            #expect(try await other.post("/reports/\(id)/actions", [("action", "accept")]).status == .notFound)
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(try await viewer.get("/reports").status == .forbidden)
        }
    }

    @Test func listsFilterSortExportAndFlagOverdue() async throws {
        try await withEmptyReports { client, built in
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            _ = try await send(client, .post, "/api/v1/reports", token: practitioner, json: Self.labourReport)
            _ = try await send(client, .post, "/api/v1/reports", token: practitioner,
                               json: #"{"description":"=HYPERLINK(\"http://evil.example\") sexual exploitation at a flat","exploitationTypes":["sexual"],"ageGroup":"adult","postcode":"WM9 1AA"}"#)
            let db = built.services.database.db
            let labour = try #require(try await Report.query(on: db).filter(\.$postcodeDistrict == "WM2").first())
            labour.dueAt = Date().addingTimeInterval(-3600)
            try await labour.save(on: db)

            let analyst = try await token(for: "analyst@demo.invalid", built)
            func total(_ query: String) async throws -> Int? { try jsonObject(try await send(client, .get, "/api/v1/reports?\(query)", token: analyst))["total"] as? Int }
            #expect(try await total("") == 2)
            #expect(try await total("overdue=true") == 1)
            #expect(try await total("type=sexual") == 1)
            #expect(try await total("type=labour&district=WM2") == 1)
            #expect(try await total("q=PASSPORTS") == 1)
            #expect(try await total("q=%25") == 0)  // % is a character to find, not a wildcard
            #expect(try await total("urgency=emergency") == 0)
            let sorted = try jsonObject(try await send(client, .get, "/api/v1/reports?sort=due", token: analyst))["items"] as? [[String: Any]] ?? []
            #expect(sorted.first?["overdue"] as? Bool == true)
            #expect(try await send(client, .get, "/api/v1/reports?perPage=0", token: analyst).status == .badRequest)
            #expect(try await send(client, .get, "/api/v1/reports?status=lost", token: analyst).status == .badRequest)

            let browser = Browser(client)
            try await browser.signIn("analyst@demo.invalid")
            let list = try await browser.get("/reports?overdue=1")
            #expect(list.text.contains(labour.reference) && list.text.contains("Overdue"))
            let csv = try await browser.get("/reports.csv?type=sexual")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 2)
            #expect(lines[0].hasPrefix("reference,received_at"))
            #expect(!csv.text.contains("HYPERLINK"))  // the account is never exported
            let exported = try await AuditEntry.query(on: db).filter(\.$action == "report.exported").count()
            #expect(exported == 1)
            let practitionerBrowser = Browser(client)
            try await practitionerBrowser.signIn("practitioner@demo.invalid")
            #expect(try await practitionerBrowser.get("/reports.csv").status == .forbidden)
        }
        #expect(CSV.field("=SUM(A1)", defuseFormulas: true) == "'=SUM(A1)")
        #expect(CSV.field("a,\"b\"", defuseFormulas: true) == "\"a,\"\"b\"\"\"")
    }

    @Test func rewordingAnIndicatorKeepsTheWordingOfEarlierReports() async throws {
        try await withEmptyReports { client, built in
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            let created = try jsonObject(try await send(client, .post, "/api/v1/reports", token: practitioner, json: Self.labourReport))
            let id = try #require(created["id"] as? String)
            let catalogue = try await built.services.reports.catalogue()
            let original = try #require(catalogue.indicator(id: "ilo.withholding-of-wages"))

            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            try await admin.get("/admin/indicators/ilo.withholding-of-wages/edit")
            let same = try await admin.post("/admin/indicators/ilo.withholding-of-wages", [("text", original.text), ("dimension", original.dimension.rawValue)])
            #expect(same.status == .unprocessableContent)
            let reworded = try await admin.post("/admin/indicators/ilo.withholding-of-wages",
                                                [("text", "Wages kept back, delayed or cut for debts"), ("dimension", original.dimension.rawValue)])
            #expect(reworded.status == .seeOther)
            try await admin.get("/admin/indicators")
            let retired = try await admin.post("/admin/indicators/ilo.retention-of-identity-documents/retire")
            #expect(retired.status == .seeOther)
            try await admin.get("/admin/indicators")
            let added = try await admin.post("/admin/indicators", [("list", "cuckooing"), ("dimension", "living_conditions"), ("text", "New locks fitted by visitors")])
            #expect(added.status == .seeOther)
            let missing = try await admin.post("/admin/indicators", [("list", "cuckooing"), ("dimension", ""), ("text", "")])
            #expect(missing.status == .unprocessableContent)

            let now = try await built.services.reports.catalogue()
            #expect(now.indicator(id: "ilo.withholding-of-wages")?.text == "Wages kept back, delayed or cut for debts")
            #expect(now.indicator(id: "ilo.withholding-of-wages")?.version == original.version + 1)
            #expect(now.indicator(id: "ilo.retention-of-identity-documents")?.retired == true)
            #expect(now.items(in: .cuckooing).contains { $0.text == "New locks fitted by visitors" })

            // The earlier report keeps its wording; a new one cannot use the retired sign.
            let analyst = try await token(for: "analyst@demo.invalid", built)
            let detail = try jsonObject(try await send(client, .get, "/api/v1/reports/\(id)", token: analyst))
            let texts = (detail["indicators"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(texts.contains(original.text))
            let refused = try await send(client, .post, "/api/v1/reports", token: practitioner, json: Self.labourReport)
            #expect(refused.status == .unprocessableContent)
            let practitionerBrowser = Browser(client)
            try await practitionerBrowser.signIn("practitioner@demo.invalid")
            let newForm = try await practitionerBrowser.get("/reports/new")
            #expect(newForm.text.contains("Wages kept back, delayed or cut for debts"))
            #expect(!newForm.text.contains("indicator:ilo.retention-of-identity-documents"))
            let audit = try await AuditEntry.query(on: built.services.database.db).filter(\.$recordType == "indicator").all().map(\.action)
            #expect(Set(audit) == ["indicator.reworded", "indicator.retired", "indicator.added"])
        }
    }

    @Test func practitionerWebFormRecordsAndTriages() async throws {
        try await withEmptyReports { client, built in
            let browser = Browser(client)
            try await browser.signIn("practitioner@demo.invalid")
            try await browser.get("/reports/new")
            let invalid = try await browser.post("/reports", [("description", ""), ("persons[0].name", ""), ("persons[0].age", "200")])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("Choose whether the person is an adult"))
            #expect(try await reportCount(built) == 0)
            let created = try await browser.post("/reports", [
                ("submission", "abc"), ("description", "Tenant says three strangers moved into her flat and sell drugs"),
                ("exploitationTypes", "criminal"), ("ageGroup", "adult"), ("labourSector", ""), ("postcode", "WM3 2BB"),
                ("persons[0].name", "Mary Smith"), ("persons[0].age", "67"), ("persons[1].name", ""),
                ("addresses[0].line", "4 Canal Row"), ("addresses[0].postcode", "WM3 2BB"),
                ("indicator:cuckooing.new-unknown-residents", "observed"), ("indicator:cuckooing.resident-scared", "disclosed"),
            ])
            #expect(created.status == .seeOther, "\(created.text.prefix(300))")
            let page = try await browser.get(try #require(created.location))
            #expect(page.text.contains("Mary Smith"))
            #expect(page.text.contains("Signs of cuckooing"))
            #expect(page.text.contains("Harlow Vale District Council Housing"))
            let report = try #require(try await Report.query(on: built.services.database.db).first())
            #expect(report.reportUrgency == .high)
            #expect(report.reportStatus == .assigned)
            // A double submit of the same form makes no second report.
            try await browser.get("/reports/new")
            _ = try await browser.post("/reports", [("submission", "abc"), ("description", "Tenant says three strangers moved into her flat and sell drugs"),
                                                    ("exploitationTypes", "criminal"), ("ageGroup", "adult")])
            #expect(try await reportCount(built) == 1)
            // The analyst re-triages: a child is involved now.
            let analyst = Browser(client)
            try await analyst.signIn("analyst@demo.invalid")
            try await analyst.get("/reports/\(report.id!.uuidString)/triage")
            let triaged = try await analyst.post("/reports/\(report.id!.uuidString)/triage", [("exploitationTypes", "criminal"), ("ageGroup", "child"),
                                                                                             ("indicator:cuckooing.resident-scared", "disclosed")])
            #expect(triaged.status == .seeOther)
            let after = try #require(try await Report.find(report.id, on: built.services.database.db))
            #expect(after.age == .child)
            #expect(after.firedRules.map(\.id).contains("child-involved"))
        }
    }
}
