import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Cairn

/// The survivor's own view: offered by the case team, activated with a one-time code, signed
/// into with reference and passphrase, kept apart from staff sign-ins, and safe if someone is
/// watching. Runs on SQLite and on PostgreSQL like every suite.
@Suite struct SurvivorViewTests {
    static let passphrase = "blue kettle morning river"

    /// A case on the caseworker's team, with consent to share the care plan with the
    /// practitioner's agency and a task for it, and the view offered and activated.
    struct Fixture {
        let caseID: UUID
        let caseworker: Identity
        let practitioner: Identity
        let taskID: UUID
        let reference: String
    }

    static func fixture(_ services: AppServices, language: PublicLanguage = .en) async throws -> Fixture {
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)
        let caseID = try await services.cases.open(.init(chosenName: "Ana"), identity: caseworker, address: "test").requireID()
        let team = try await services.cases.authorise(caseID, identity: caseworker)
        _ = try await services.support.recordConsent(
            team, .init(categories: ["needs_and_care_plan", "account"], purposes: ["support_and_care_planning"],
                        agencies: [practitioner.agencyID.uuidString, caseworker.agencyID.uuidString], method: "written"), address: "test")
        let task = try await services.support.addTask(team, .init(need: "accommodation", title: "Find a room", agencyID: practitioner.agencyID.uuidString),
                                                      address: "test").requireID()
        _ = try await services.support.planContact(team, date: CaseSupportService.today().adding(days: 3).description, method: "phone", note: "", address: "test")
        let offer = try await services.survivor.offer(caseID, identity: caseworker, language: language, address: "test")
        let reference = try await services.survivor.activate(code: offer.code, passphrase: passphrase, confirm: passphrase, language: language, address: "test")
        return Fixture(caseID: caseID, caseworker: caseworker, practitioner: practitioner, taskID: task, reference: reference)
    }

    static func survivorToken(_ client: any TestClientProtocol, _ reference: String, _ passphrase: String = passphrase) async throws -> String {
        let response = try await api(client, .post, "/api/v1/survivor/tokens", token: nil,
                                     json: #"{"reference":"\#(reference)","passphrase":"\#(passphrase)"}"#)
        #expect(response.status == .created, "\(response.text)")
        return try #require(try jsonObject(response)["token"] as? String)
    }

    @Test func theActivationCodeWorksOnceAndNotAfter72Hours() async throws {
        try await withApp { client, built in
            let services = built.services
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
            let caseID = try await services.cases.open(.init(chosenName: "Ana"), identity: caseworker, address: "test").requireID()
            let staff = try await token(for: "caseworker@demo.invalid", built)
            let offered = try await api(client, .post, "/api/v1/cases/\(caseID)/survivor-view", token: staff, json: #"{"language":"ro"}"#)
            #expect(offered.status == .created)
            let code = try #require(try jsonObject(offered)["activationCode"] as? String)
            #expect(code.count == 14)

            // A passphrase on the common list is refused, in the survivor's language, and the code still works after.
            let common = try await api(client, .post, "/api/v1/survivor/activate", token: nil,
                                       json: #"{"activationCode":"\#(code)","passphrase":"password123"}"#, language: "ro")
            #expect(common.status == .unprocessableContent)
            #expect((try jsonObject(common)["detail"] as? String) == PublicReportText.text("survivor.error.passphraseCommon", in: .ro))

            let activated = try await api(client, .post, "/api/v1/survivor/activate", token: nil,
                                          json: #"{"activationCode":"\#(code.lowercased())","passphrase":"\#(Self.passphrase)"}"#)
            #expect(activated.status == .created)
            let reference = try #require(try jsonObject(activated)["reference"] as? String)
            #expect(reference.count == 7)

            // Used once: a second use is refused and changes nothing.
            let again = try await api(client, .post, "/api/v1/survivor/activate", token: nil,
                                      json: #"{"activationCode":"\#(code)","passphrase":"another long passphrase"}"#, language: "ro")
            #expect(again.status == .unprocessableContent)
            #expect((try jsonObject(again)["detail"] as? String) == PublicReportText.text("survivor.error.codeInvalid", in: .ro))
            _ = try await Self.survivorToken(client, reference)
            let wrong = try await api(client, .post, "/api/v1/survivor/tokens", token: nil,
                                      json: #"{"reference":"\#(reference)","passphrase":"another long passphrase"}"#)
            #expect(wrong.status == .unauthorized)

            // While a view is active a new code is refused; ended, a new one may be given.
            let twice = try await api(client, .post, "/api/v1/cases/\(caseID)/survivor-view", token: staff)
            #expect(twice.status == .conflict)
            try await services.survivor.change(caseID, .end, identity: caseworker, address: "test")
            let gone = try await api(client, .post, "/api/v1/survivor/tokens", token: nil,
                                     json: #"{"reference":"\#(reference)","passphrase":"\#(Self.passphrase)"}"#)
            #expect(gone.status == .unauthorized)

            // A code more than 72 hours old is refused.
            let old = try await services.survivor.offer(caseID, identity: caseworker, language: .en, address: "test",
                                                        now: Date().addingTimeInterval(-73 * 3600))
            let expired = try await api(client, .post, "/api/v1/survivor/activate", token: nil,
                                        json: #"{"activationCode":"\#(old.code)","passphrase":"\#(Self.passphrase)"}"#)
            #expect(expired.status == .unprocessableContent)
            let account = try #require(try await SurvivorAccount.query(on: services.database.db).filter(\.$caseID == caseID).first())
            #expect(account.viewStatus == .offered && account.passphraseHash == nil)

            // Someone not on the team cannot offer it; the case is "not found" to them.
            let other = try await token(for: "caseworker2@demo.invalid", built)
            #expect(try await api(client, .post, "/api/v1/cases/\(caseID)/survivor-view", token: other).status == .notFound)
        }
    }

    @Test func survivorAndStaffTokensAreKeptApart() async throws {
        try await withApp { client, built in
            let f = try await Self.fixture(built.services)
            let survivor = try await Self.survivorToken(client, f.reference)
            #expect(survivor.hasPrefix("sv_"))
            for path in ["/api/v1/me", "/api/v1/cases", "/api/v1/cases/\(f.caseID)", "/api/v1/reports", "/api/v1/cases/\(f.caseID)/consents"] {
                #expect(try await api(client, .get, path, token: survivor).status == .unauthorized, "\(path)")
            }
            #expect(try await api(client, .post, "/api/v1/cases/\(f.caseID)/survivor-view", token: survivor).status == .unauthorized)
            let staff = try await token(for: "caseworker@demo.invalid", built)
            for path in ["/api/v1/survivor/consents", "/api/v1/survivor/access-log"] {
                #expect(try await api(client, .get, path, token: staff).status == .forbidden, "\(path)")
                #expect(try await api(client, .get, path, token: nil).status == .unauthorized, "\(path)")
            }
            #expect(try await api(client, .delete, "/api/v1/survivor/consents/\(f.practitioner.agencyID)", token: staff).status == .forbidden)
            // A staff session's cookie opens no survivor page, and a survivor's none of staff's.
            let browser = Browser(client)
            try await browser.signIn("caseworker@demo.invalid")
            #expect(try await browser.get("/my").status == .forbidden)
            let own = try await Self.signedIn(client, f.reference)
            #expect(try await own.get("/my").status == .ok)
            let staffPage = try await own.get("/cases/\(f.caseID)")
            #expect(staffPage.status == .seeOther && staffPage.location?.hasPrefix("/sign-in") == true)
        }
    }

    /// A browser signed in to the survivor's view.
    static func signedIn(_ client: any TestClientProtocol, _ reference: String, _ passphrase: String = passphrase) async throws -> Browser {
        let browser = Browser(client)
        _ = try await browser.get("/my/sign-in")
        let response = try await browser.post("/my/sign-in", [("reference", reference), ("passphrase", passphrase)])
        #expect(response.status == .seeOther && response.location == "/my", "\(response.status) \(response.text.prefix(300))")
        return browser
    }

    @Test func withdrawingConsentTakesEffectAtOnce() async throws {
        try await withApp { client, built in
            let services = built.services
            let f = try await Self.fixture(services, language: .ro)
            let practitioner = try await token(for: "practitioner@demo.invalid", built)
            func practitionerSeesTheTask() async throws -> Bool {
                let text = try await api(client, .get, "/api/v1/tasks", token: practitioner).text.lowercased()
                return text.contains(f.taskID.uuidString.lowercased())
            }
            #expect(try await practitionerSeesTheTask())
            let survivor = try await Self.survivorToken(client, f.reference)
            let listed = try jsonObject(try await api(client, .get, "/api/v1/survivor/consents", token: survivor))["items"] as? [[String: Any]] ?? []
            #expect(listed.map { $0["agencyId"] as? String } == [f.practitioner.agencyID.uuidString])
            #expect((listed.first?["purpose"] as? String) == PublicReportText.text("survivor.purpose.support_and_care_planning", in: .ro))

            // The agency holding the case cannot be withdrawn with a button: that is a conversation.
            let lead = try await api(client, .delete, "/api/v1/survivor/consents/\(f.caseworker.agencyID)", token: survivor)
            #expect(lead.status == .conflict)
            #expect((try jsonObject(lead)["detail"] as? String) == PublicReportText.text("survivor.error.leadAgency", in: .ro))

            let withdrawn = try await api(client, .delete, "/api/v1/survivor/consents/\(f.practitioner.agencyID)", token: survivor)
            #expect(withdrawn.status == .noContent)
            // At once: the agency's task for the case is gone to it; the team still has it and was told.
            #expect(try await !practitionerSeesTheTask())
            let team = try await token(for: "caseworker@demo.invalid", built)
            #expect(try await api(client, .get, "/api/v1/cases/\(f.caseID)/tasks", token: team).text.lowercased().contains(f.taskID.uuidString.lowercased()))
            let alerts = try await services.support.alerts(identity: f.caseworker)
            #expect(alerts.contains { $0.message.contains("withdrew their consent") })
            let after = try jsonObject(try await api(client, .get, "/api/v1/survivor/consents", token: survivor))["items"] as? [[String: Any]] ?? []
            #expect(after.isEmpty)
            // The consent naming both agencies was withdrawn and recorded again for the other one only.
            let consents = try await CaseConsent.query(on: services.database.db).filter(\.$caseID == f.caseID).all()
            #expect(consents.count == 2)
            #expect(consents.filter { $0.withdrawnOn == nil }.map(\.agencies) == [f.caseworker.agencyID.uuidString])

            // Withdrawing again, or for an agency that never had consent: 404 in Romanian, nothing changes.
            for agency in [f.practitioner.agencyID, UUID()] {
                let refused = try await api(client, .delete, "/api/v1/survivor/consents/\(agency)", token: survivor)
                #expect(refused.status == .notFound)
                #expect((try jsonObject(refused)["detail"] as? String) == PublicReportText.text("survivor.error.noConsent", in: .ro))
            }
            #expect(try await CaseConsent.query(on: services.database.db).filter(\.$caseID == f.caseID).count() == 2)
        }
    }

    @Test func theAccessLogShowsAgenciesByDayNeverStaff() async throws {
        try await withApp { client, built in
            let services = built.services
            let f = try await Self.fixture(services)
            let survivor = try await Self.survivorToken(client, f.reference)
            // The survivor's own looking is not "someone looking".
            _ = try await api(client, .get, "/api/v1/survivor/consents", token: survivor)
            let staff = try await token(for: "caseworker@demo.invalid", built)
            #expect(try await api(client, .get, "/api/v1/cases/\(f.caseID)", token: staff).status == .ok)
            let before = try jsonObject(try await api(client, .get, "/api/v1/survivor/access-log", token: survivor))["items"] as? [[String: Any]] ?? []
            #expect(before.map { $0["agency"] as? String } == [f.caseworker.agencyName])
            // The Jobcentre opens the care-plan task it was given: that is looking at the record too.
            _ = try await services.support.sharedTask(f.taskID, identity: f.practitioner, address: "test", via: "test")
            let response = try await api(client, .get, "/api/v1/survivor/access-log", token: survivor)
            #expect(response.status == .ok)
            let items = try jsonObject(response)["items"] as? [[String: Any]] ?? []
            #expect(Set(items.compactMap { $0["agency"] as? String }) == [f.caseworker.agencyName, f.practitioner.agencyName])
            #expect(items.count == 2)
            #expect(items.first?["date"] as? String == CaseSupportService.today().description)
            #expect(Set(items.flatMap(\.keys)) == ["agency", "date"])
            #expect(!response.text.contains("@demo.invalid") && !response.text.contains(f.caseworker.displayName))
        }
    }

    @Test func theSafePassphraseRaisesTheWarningAndShowsNothingElse() async throws {
        try await withApp { client, built in
            let services = built.services
            let f = try await Self.fixture(services)
            let normal = try await Self.signedIn(client, f.reference)
            _ = try await normal.get("/my/settings")
            let mismatch = try await normal.post("/my/settings/safe-passphrase", [("safePassphrase", "quiet garden lantern"), ("confirm", "other")])
            #expect(mismatch.status == .unprocessableContent)
            let same = try await normal.post("/my/settings/safe-passphrase", [("safePassphrase", Self.passphrase), ("confirm", Self.passphrase)])
            #expect(same.status == .unprocessableContent)
            let set = try await normal.post("/my/settings/safe-passphrase", [("safePassphrase", "quiet garden lantern"), ("confirm", "quiet garden lantern")])
            #expect(set.status == .seeOther)
            #expect(try await CaseWarning.query(on: services.database.db).filter(\.$caseID == f.caseID).count() == 0)

            let safe = try await Self.signedIn(client, f.reference, "quiet garden lantern")
            _ = try await normal.get("/my")
            let normalHome = try await normal.get("/my"), safeHome = try await safe.get("/my")
            #expect(normalHome.status == .ok && safeHome.status == .ok)
            // The same page up to the content: nothing before <main> tells the two apart.
            func head(_ page: TestResponse) -> String {
                let text = page.text.replacing(/name="_csrf" value="[^"]+"/, with: "")
                return String(text[..<(text.range(of: "<main")?.lowerBound ?? text.endIndex)])
            }
            #expect(head(normalHome) == head(safeHome))
            #expect(Set(normalHome.headers.map(\.name)) == Set(safeHome.headers.map(\.name)))
            #expect(safeHome.text.contains(PublicReportText.text("survivor.title.appointments", in: .en)))
            // Nothing else: consents, plan and messages are empty; changes are refused.
            let consents = try await safe.get("/my/consents")
            #expect(!consents.text.contains(f.practitioner.agencyName) && !consents.text.contains("Withdraw consent"))
            #expect(!(try await safe.get("/my/plan")).text.contains("Find a room"))
            let token = try await Self.survivorToken(client, f.reference, "quiet garden lantern")
            let items = try jsonObject(try await api(client, .get, "/api/v1/survivor/consents", token: token))["items"] as? [Any]
            #expect(items?.isEmpty == true)
            #expect(try await api(client, .delete, "/api/v1/survivor/consents/\(f.practitioner.agencyID)", token: token).status == .notFound)
            #expect(try await api(client, .get, "/api/v1/tasks", token: try await Self.practitionerToken(built)).text.lowercased().contains(f.taskID.uuidString.lowercased()))

            // Quietly, the warning sign is recorded and the team alerted (just after the answer).
            var warnings: [CaseWarning] = []
            for _ in 0..<50 where warnings.isEmpty {
                warnings = try await CaseWarning.query(on: services.database.db).filter(\.$caseID == f.caseID).all()
                if warnings.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(warnings.map(\.sign).allSatisfy { $0 == WarningSign.safePassphrase.rawValue } && !warnings.isEmpty)
            #expect(try await services.support.alerts(identity: f.caseworker).contains { $0.message.contains("safe passphrase") })
            // Staff cannot record that sign by hand.
            let team = try await services.cases.authorise(f.caseID, identity: f.caseworker)
            await #expect(throws: AppError.self) {
                _ = try await services.support.recordWarning(team, sign: WarningSign.safePassphrase.rawValue, observedOn: "", note: "", address: "test")
            }
        }
    }

    static func practitionerToken(_ built: BuiltApplication) async throws -> String { try await token(for: "practitioner@demo.invalid", built) }

    /// The normal and the safe passphrase, a wrong one and an unknown reference: each sign-in
    /// makes exactly two password checks and answers alike (the count is exact; the clock is
    /// checked loosely, since other suites run at the same time). The warning sign of a safe
    /// sign-in is written after the answer.
    @Test func theSafeAndNormalSignInDoTheSameWorkAndTakeTheSameTime() async throws {
        try await withApp(configure: { $0.bcryptCost = 10 }) { client, built in
            let services = built.services
            let f = try await Self.fixture(services)
            let account = try #require(try await SurvivorAccount.query(on: services.database.db).filter(\.$caseID == f.caseID).first())
            account.safePassphraseHash = try await services.auth.hasher.hash("quiet garden lantern")
            try await account.save(on: services.database.db)
            let hasher = services.auth.hasher
            func attempt(_ passphrase: String, _ reference: String) async throws -> (seconds: Double, checks: Int, status: HTTPResponse.Status) {
                let before = hasher.verifications, start = ContinuousClock.now
                let response = try await api(client, .post, "/api/v1/survivor/tokens", token: nil,
                                             json: #"{"reference":"\#(reference)","passphrase":"\#(passphrase)"}"#)
                let elapsed = ContinuousClock.now - start
                return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, hasher.verifications - before, response.status)
            }
            var normalTimes: [Double] = [], safeTimes: [Double] = []
            for round in 0..<9 {
                let normal = try await attempt(Self.passphrase, f.reference)
                let safe = try await attempt("quiet garden lantern", f.reference)
                #expect(normal.checks == 2 && safe.checks == 2)
                #expect(normal.status == .created && safe.status == .created)
                normalTimes.append(normal.seconds)
                safeTimes.append(safe.seconds)
                // Let the warning's writes finish so they do not slow the next sign-in measured.
                for _ in 0..<100 where try await CaseWarning.query(on: services.database.db).filter(\.$caseID == f.caseID).count() <= round {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let wrong = try await attempt("not the passphrase at all", f.reference), unknown = try await attempt(Self.passphrase, "ZZZ-ZZZ")
            #expect(wrong.checks == 2 && unknown.checks == 2)
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            // The quickest of each: what the path itself costs, with the least of other tests' load in it.
            let ratio = (safeTimes.min() ?? 0) / (normalTimes.min() ?? 1)
            #expect((0.6...1.67).contains(ratio), "safe/normal \(ratio)")
        }
    }

    /// More sign-ins at once than the hashing threads take are refused with 429 in the
    /// survivor's language, never a failure.
    @Test func aFloodOfSignInsIsRefusedNotFailed() async throws {
        try await withApp(configure: { $0.hashingThreads = 1; $0.hashingQueue = 0; $0.bcryptCost = 8 }) { client, built in
            let f = try await Self.fixture(built.services)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let response = try await api(client, .post, "/api/v1/survivor/tokens", token: nil,
                                                     json: #"{"reference":"\#(f.reference)","passphrase":"\#(Self.passphrase)"}"#, language: "pl")
                        return (response.status, (try? jsonObject(response)["detail"] as? String) ?? "")
                    }
                }
                var all: [(HTTPResponse.Status, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(statuses.allSatisfy { [.created, .tooManyRequests].contains($0.0) }, "\(statuses.map(\.0.code))")
            #expect(statuses.contains { $0.0 == .created })
            #expect(statuses.contains { $0.0 == .tooManyRequests })
            for (_, detail) in statuses.filter({ $0.0 == .tooManyRequests }) {
                #expect(detail.hasPrefix(PublicReportText.text("survivor.signIn.tooMany", in: .pl).components(separatedBy: "{").first ?? "-"))
            }
        }
    }

    @Test func badInputGetsClearErrorsInTheSurvivorsLanguageAndChangesNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let f = try await Self.fixture(services, language: .ar)
            let browser = try await Self.signedIn(client, f.reference)
            _ = try await browser.get("/my/messages")
            let long = try await browser.post("/my/messages", [("body", String(repeating: "ا", count: SurvivorService.maxMessage + 1))])
            #expect(long.status == .unprocessableContent)
            #expect(long.text.contains(PublicReportText.format("survivor.error.messageLong", in: .ar, values: ["max": "2000"])))
            #expect(long.text.contains(#"dir="rtl""#))
            let empty = try await browser.post("/my/messages", [("body", "   ")])
            #expect(empty.status == .unprocessableContent)
            #expect(try await SurvivorMessage.query(on: services.database.db).filter(\.$caseID == f.caseID).count() == 0)
            _ = try await browser.get("/my/journey")
            let rating = try await browser.post("/my/journey", [("point", "intake"), ("education", "brilliant")])
            #expect(rating.status == .unprocessableContent)
            #expect(try await SurvivorRating.query(on: services.database.db).filter(\.$caseID == f.caseID).count() == 0)
            let wrong = try await api(client, .post, "/api/v1/survivor/tokens", token: nil,
                                      json: #"{"reference":"\#(f.reference)","passphrase":"not the passphrase"}"#, language: "ar")
            #expect(wrong.status == .unauthorized)
            #expect((try jsonObject(wrong)["detail"] as? String) == PublicReportText.text("survivor.signIn.failed", in: .ar))
            // A message, an interpreter flag and a rating that are right are kept, and the team sees them.
            let sent = try await browser.post("/my/messages", [("body", "Am nevoie de ajutor cu chiria."), ("interpreter", "yes"), ("language", "Română")])
            #expect(sent.status == .seeOther)
            _ = try await browser.get("/my/journey")
            #expect(try await browser.post("/my/journey", [("point", "intake"), ("education", "partly"), ("safety_from_abusers", "mostly")]).status == .seeOther)
            let work = try await WorkQueue(services: services).items(for: f.caseworker, address: "test", via: "test")
            let mine = { (item: WorkItem) in item.href.contains(f.caseID.uuidString) }
            #expect(work.sections.first { $0.kind == .survivorMessage }?.items.first(where: mine)?.detail == "An interpreter is needed")
            let staff = Browser(client)
            try await staff.signIn("caseworker@demo.invalid")
            let page = try await staff.get("/cases/\(f.caseID)/survivor-view")
            #expect(page.text.contains("Am nevoie de ajutor cu chiria.") && page.text.contains("Interpreter needed: Română") && page.text.contains("Partly"))
            let cleared = try await WorkQueue(services: services).items(for: f.caseworker, address: "test", via: "test")
            #expect(cleared.sections.first { $0.kind == .survivorMessage }?.items.contains(where: mine) != true)
        }
    }

    @Test func everySurvivorPageHasTheQuickExitAndANeutralTitle() async throws {
        try await withApp { client, built in
            let f = try await Self.fixture(built.services)
            let browser = try await Self.signedIn(client, f.reference)
            let pages = built.routes.specs.filter { $0.permission == .survivor && $0.method == .get && !$0.path.hasPrefix("/api/") }
            #expect(pages.count >= 9)
            for spec in pages + built.routes.specs.filter({ $0.path.hasPrefix("/my/") && $0.permission == .everyone && $0.method == .get && $0.path != "/my/exit" }) {
                let path = spec.link(["agencyId": f.practitioner.agencyID.uuidString])
                let page = spec.permission == .survivor ? try await browser.get(path) : try await Browser(client).get(path)
                #expect(page.status == .ok, "\(path) \(page.status)")
                #expect(page.text.contains(#"href="/my/exit""#) && page.text.contains("data-quick-exit"), "\(path) has no quick exit")
                let title = try #require(page.text.firstMatch(of: /<title>([^<]*)<\/title>/)).1.lowercased()
                #expect(!title.contains("cairn") && !title.contains("slavery") && !title.contains("trafficking"), "\(path): \(title)")
                #expect(page.text.contains(#"rel="icon" href="/assets/neutral-icon.svg""#))
            }
            // The exit signs out and leaves for the neutral site.
            let exit = try await browser.get("/my/exit")
            #expect(exit.status == .seeOther && exit.location == "https://www.bbc.co.uk/weather")
            let after = try await browser.get("/my")
            #expect(after.status == .seeOther && after.location == "/my/sign-in")
        }
    }

    /// Kept as long as the case: anonymising the case forgets the view, its messages, ratings
    /// and requests, and the reference no longer signs in.
    @Test func theViewIsForgottenWithItsCase() async throws {
        try await withServices(demo: true) { services, _ in
            let f = try await Self.fixture(services)
            let token = try await services.survivor.createSession(accountID: try await services.survivor.accountID(caseID: f.caseID), kind: .api, safe: false)
            let survivor = try #require(try await services.survivor.identity(forToken: token, kind: .api))
            try await services.survivor.send(survivor, body: "Hello", interpreter: false, language: "", address: "test")
            try await services.survivor.rate(survivor, point: "intake", ratings: ["education": "partly"], address: "test")
            try await services.survivor.request(survivor, kind: "delete", detail: "My old address", address: "test")
            let team = try await services.cases.authorise(f.caseID, identity: f.caseworker)
            _ = try await services.cases.move(team, to: .closed, reason: ClosureReason.goalsMet.rawValue, plan: "A call each month from the team.", address: "test")
            let done = try await services.cases.anonymiseClosed(before: Date().addingTimeInterval(3600), actor: .system, reason: "test")
            #expect(done >= 1)
            let db = services.database.db
            #expect(try await SurvivorAccount.query(on: db).filter(\.$caseID == f.caseID).count() == 0)
            #expect(try await SurvivorMessage.query(on: db).filter(\.$caseID == f.caseID).count() == 0)
            #expect(try await SurvivorRating.query(on: db).filter(\.$caseID == f.caseID).count() == 0)
            #expect(try await SurvivorRequest.query(on: db).filter(\.$caseID == f.caseID).count() == 0)
            #expect(try await SurvivorSession.query(on: db).count() == 0)
            #expect(try await services.survivor.identity(forToken: token, kind: .api) == nil)
        }
    }

    /// The demo: Andrei's view is active with the README's reference and passphrase, in
    /// Romanian, with his messages and two ratings of his own.
    @Test func theDemoHasAndreisView() async throws {
        try await withApp { client, built in
            let browser = try await Self.signedIn(client, DemoSurvivorView.reference, DemoSurvivorView.passphrase)
            let home = try await browser.get("/my")
            #expect(home.text.contains(#"lang="ro""#) && home.text.contains("Andrei"))
            #expect(try await browser.get("/my/messages").text.contains("Când este următoarea întâlnire"))
            let journey = try await browser.get("/my/journey").text
            #expect(journey.contains(PublicReportText.text("survivor.point.intake", in: .ro)) && journey.contains(PublicReportText.text("survivor.point.1_month", in: .ro)))
            let work = try await WorkQueue(services: built.services).items(for: try await DemoReports.identity("caseworker@demo.invalid", built.services),
                                                                           address: "test", via: "test")
            #expect(work.sections.first { $0.kind == .survivorMessage }?.count == 1)
        }
    }

    /// The case team offers the view on its page; the code is shown once.
    @Test func theCaseTeamOffersTheViewOnItsPage() async throws {
        try await withApp { client, built in
            let caseworker = try await DemoReports.identity("caseworker@demo.invalid", built.services)
            let caseID = try await built.services.cases.open(.init(chosenName: "Ana"), identity: caseworker, address: "test").requireID()
            let staff = Browser(client)
            try await staff.signIn("caseworker@demo.invalid")
            let page = try await staff.get("/cases/\(caseID)/survivor-view")
            #expect(page.status == .ok && page.text.contains("Not offered"))
            let offered = try await staff.post("/cases/\(caseID)/survivor-view/offer", [("language", "vi")])
            #expect(offered.status == .created)
            let code = try #require(offered.text.firstMatch(of: /id="activation-code" dir="ltr">([A-Z0-9-]+)</)).1
            #expect(!(try await staff.get("/cases/\(caseID)/survivor-view")).text.contains(String(code)))
            // The survivor activates it on the page, in Vietnamese, and signs in.
            let survivor = Browser(client)
            _ = try await survivor.get("/my/activate?lang=vi")
            let short = try await survivor.post("/my/activate", [("activationCode", String(code)), ("passphrase", "short"), ("confirm", "short"), ("lang", "vi")])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains(PublicReportText.format("survivor.error.passphraseShort", in: .vi, values: ["min": "10"])))
            let done = try await survivor.post("/my/activate", [("activationCode", String(code)), ("passphrase", Self.passphrase), ("confirm", Self.passphrase), ("lang", "vi")])
            #expect(done.status == .created)
            let reference = try #require(done.text.firstMatch(of: /id="reference-value" dir="ltr">([A-Z0-9-]+)</)).1
            let signedIn = try await Self.signedIn(client, String(reference))
            #expect(try await signedIn.get("/my").text.contains(#"lang="vi""#))
            // Offered in Arabic and activated on a page the survivor did not switch: the view stays in Arabic.
            let other = try await built.services.cases.open(.init(chosenName: "Nour"), identity: caseworker, address: "test").requireID()
            _ = try await staff.get("/cases/\(other)/survivor-view")
            let arabic = try await staff.post("/cases/\(other)/survivor-view/offer", [("language", "ar")])
            let arabicCode = try #require(arabic.text.firstMatch(of: /id="activation-code" dir="ltr">([A-Z0-9-]+)</)).1
            let nour = Browser(client)
            _ = try await nour.get("/my/activate")
            let activated = try await nour.post("/my/activate", [("activationCode", String(arabicCode)), ("passphrase", Self.passphrase), ("confirm", Self.passphrase)])
            let nourReference = try #require(activated.text.firstMatch(of: /id="reference-value" dir="ltr">([A-Z0-9-]+)</)).1
            let nourHome = try await Self.signedIn(client, String(nourReference)).get("/my")
            #expect(nourHome.text.contains(#"lang="ar" dir="rtl""#))

            // Suspended at once: the survivor is signed out everywhere.
            _ = try await staff.get("/cases/\(caseID)/survivor-view")
            #expect(try await staff.post("/cases/\(caseID)/survivor-view/suspend").status == .seeOther)
            let out = try await signedIn.get("/my")
            #expect(out.status == .seeOther && out.location == "/my/sign-in")
        }
    }

    /// The partnership chooses where the quick exit goes (`CAIRN_QUICK_EXIT_URL`).
    @Test func theQuickExitGoesWhereThePartnershipChose() async throws {
        #expect(try AppConfig.load(environment: ["CAIRN_QUICK_EXIT_URL": "https://www.example.org/weather?town=leeds"]).quickExitURL
            == "https://www.example.org/weather?town=leeds")
        #expect(try AppConfig.load(environment: [:]).quickExitURL == "https://www.bbc.co.uk/weather")
        for bad in ["javascript:alert(1)", "/local", "ftp://example.org", "https://user:pass@example.org", "https://"] {
            #expect(throws: AppConfig.Invalid.self, "\(bad)") { try AppConfig.load(environment: ["CAIRN_QUICK_EXIT_URL": bad]) }
        }
        try await withApp(configure: { $0.quickExitURL = "https://www.example.org/weather" }) { client, _ in
            let page = try await Browser(client).get("/my/sign-in")
            #expect(page.text.contains(#"data-quick-exit="https://www.example.org/weather""#))
            let exit = try await Browser(client).get("/my/exit")
            #expect(exit.status == .seeOther && exit.location == "https://www.example.org/weather")
        }
    }

    /// A survivor's session and token walk every route: their own open, nobody else's.
    @Test func aSurvivorReachesOnlyTheirOwnView() async throws {
        try await withApp { client, built in
            let services = built.services
            let f = try await Self.fixture(services)
            let fixture = try await WalkFixture.make(services)
            let account = try #require(try await SurvivorAccount.query(on: services.database.db).filter(\.$caseID == f.caseID).first())
            var failures: [String] = []
            // Closing the view ends it: walked last.
            let routes = built.routes.specs.sorted { ($0.path == SurvivorRoute.close.path ? 1 : 0) < ($1.path == SurvivorRoute.close.path ? 1 : 0) }
            for route in routes where route.permission != .everyone {
                let browser = Browser(client)
                browser.cookies[SurvivorController.cookie] = try await services.survivor.createSession(accountID: try account.requireID(), kind: .browser, safe: false)
                _ = try await browser.get("/my")
                let token = try await services.survivor.createSession(accountID: try account.requireID(), kind: .api, safe: false)
                let path = route.permission == .survivor ? route.link(["agencyId": f.practitioner.agencyID.uuidString]) : fixture.concrete(route.path)
                let response = try await AccessTests.request(route, path: path, browser: browser, token: token, client: client)
                let code = response.status.code
                if route.permission == .survivor {
                    if [401, 403, 500].contains(code) { failures.append("survivor \(route): \(code)") }
                } else if route.path.hasPrefix("/api/") {
                    if code != 401 { failures.append("survivor \(route): expected 401, got \(code)") }
                } else if !(code == 303 && (response.location ?? "").hasPrefix("/sign-in")) && !(route.method == .post && code == 403) {
                    // A staff page sends them to the staff sign-in; a staff form is refused (its token is not theirs).
                    failures.append("survivor \(route): expected the staff sign-in, got \(code) \(response.location ?? "")")
                }
            }
            #expect(failures.isEmpty, "\(failures.count):\n\(failures.joined(separator: "\n"))")
        }
    }
}

/// Sends JSON with an `Accept-Language`.
func api(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil, language: String) async throws -> TestResponse {
    var headers: HTTPFields = [.acceptLanguage: language]
    if let token { headers[.authorization] = "Bearer \(token)" }
    if json != nil { headers[.contentType] = "application/json" }
    return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
}
