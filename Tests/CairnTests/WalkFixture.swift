import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Records every kind of path id points at, for each demo account where it matters (a report
/// assigned to their agency, a case they are on the team of…), so a walk over the route table
/// reaches the handlers' real work rather than stopping at "not found". Built the same way
/// as the access walk's setup.
struct WalkFixture {
    let agency: UUID
    let target: UUID
    let reportFor: [UUID: UUID]
    let referralFor: [UUID: UUID]
    let caseFor: [String: UUID]
    let consentFor: [String: UUID]
    let alertFor: [String: UUID]
    let taskFor: [String: UUID]
    let contactFor: [String: UUID]
    let link: UUID
    let network: UUID
    let intelligenceAlert: UUID
    let item: UUID
    let indicator: String
    let goal: UUID
    let action: UUID
    /// An open self-assessment round.
    let round: UUID
    /// The demo's rights-at-work campaign (reports arrived with its code, so the walk cannot delete it).
    let campaign: UUID
    let partnership: PartnershipWalkFixture
    /// A demo training course and session.
    var trainingCourse = UUID()
    var trainingSession = UUID()
    /// A session with a register of one attendee per account, for the routes that edit or
    /// delete a session or take a person off its register (each account's walk may delete its own).
    var sessionFor: [String: UUID] = [:]
    var attendeeFor: [String: UUID] = [:]
    /// A hub resource (partners only) and one of its files.
    var resource = UUID()
    var resourceFile = UUID()
    /// A published statistical release (open to everyone), and a draft for the pages that change one.
    var release = UUID()
    var draftRelease = UUID()
    /// A release a national instance accepted (its demo's), for the national routes.
    var nationalRelease = UUID()
    /// A survivor's correction request on each caseworker's case (their view offered and activated).
    var requestFor: [String: UUID] = [:]

    static func make(_ services: AppServices) async throws -> WalkFixture {
        let agency = try #require(try await services.accounts.agencies().first)
        let agencyID = try agency.requireID()
        let (target, _) = try await services.accounts.createUser(
            .init(email: "walk.target@demo.invalid", displayName: "Walk Target", agencyID: agencyID.uuidString, roles: ["viewer"],
                  password: "target-password-1"),
            actor: .system, address: "test")
        var reportFor: [UUID: UUID] = [:], referralFor: [UUID: UUID] = [:]
        for account in DemoPartnership.accounts {
            let user = try #require(try await services.accounts.user(email: account.email))
            let own = user.$agency.id
            guard reportFor[own] == nil else { continue }
            let (report, referral) = try await AccessTests().seedReport(assignedTo: own, from: agencyID, services: services)
            reportFor[own] = report
            referralFor[own] = referral
        }
        var caseFor: [String: UUID] = [:]
        for account in DemoPartnership.accounts where AccessPolicy.allows(account.roles, .workCases) {
            let identity = try await DemoReports.identity(account.email, services)
            caseFor[account.email] = try await services.cases.open(.init(chosenName: "Walk"), identity: identity, address: "test").requireID()
        }
        let agencies = try await services.accounts.agencies()
        var consentFor: [String: UUID] = [:], alertFor: [String: UUID] = [:], taskFor: [String: UUID] = [:], contactFor: [String: UUID] = [:]
        for (email, caseID) in caseFor {
            let identity = try await DemoReports.identity(email, services)
            let team = try await services.cases.authorise(caseID, identity: identity)
            consentFor[email] = try await services.support.recordConsent(
                team, .init(categories: ["account"], purposes: ["safeguarding"], agencies: [identity.agencyID.uuidString], method: "written"),
                address: "test").requireID()
            _ = try await services.support.recordConsent(
                team, .init(categories: ["needs_and_care_plan"], purposes: ["support_and_care_planning"],
                            agencies: try agencies.map { try $0.requireID().uuidString }, method: "written"), address: "test")
            _ = try await services.support.recordDetectedWarning(team.forCairn, sign: "missed_contacts", observedOn: "", note: "", address: "test")
            contactFor[email] = try await services.support.planContact(team, date: CaseSupportService.today().adding(days: 7).description,
                                                                      method: "phone", note: "", address: "test").requireID()
            alertFor[email] = try #require(try await services.support.alerts(identity: identity).first?.id)
        }
        let taskCase = try #require(caseFor.sorted { $0.key < $1.key }.first)
        let taskOwner = try await DemoReports.identity(taskCase.key, services)
        for account in DemoPartnership.accounts where AccessPolicy.allows(account.roles, .workCareTasks) {
            let identity = try await DemoReports.identity(account.email, services)
            taskFor[account.email] = try await services.support.addTask(
                try await services.cases.authorise(taskCase.value, identity: taskOwner),
                .init(need: "accommodation", title: "Walk", agencyID: identity.agencyID.uuidString), address: "test").requireID()
        }
        await services.reports.settle()
        let link = try #require(try await ReportLink.query(on: services.database.db).first())
        let network = try #require(try await ReportNetwork.find(link.earlierReportID, on: services.database.db)?.networkID)
        let intelligenceAlert = try #require(try await IntelligenceAlert.query(on: services.database.db).first())
        let item = try await services.intelligence.createItem(
            .init(title: "Walk", content: "Full", sanitised: "Sanitised", sourceEvaluation: "1", assessment: "A", handling: "P"),
            identity: try await DemoReports.identity("analyst@demo.invalid", services), address: "test")
        let coordinator = try await DemoReports.identity("coordinator@demo.invalid", services)
        let goal = try await services.plan.createGoal(.init(title: "Walk"), identity: coordinator, address: "test").requireID()
        let action = try await services.plan.createAction(
            .init(goal: goal, title: "Walk", pathway: .literacy, level: .early, strand: .prevent, factors: ["local.partnerships"], owner: agencyID,
                  lead: "Walk lead", startsOn: CaseSupportService.today(), dueOn: CaseSupportService.today().adding(days: 30)),
            identity: coordinator, address: "test").requireID()
        let round = try await services.assessments.openRound(
            .init(name: "Walk", opensOn: CaseSupportService.today().description, closesBy: CaseSupportService.today().adding(days: 30).description),
            identity: coordinator, address: "test")
        var fixture = WalkFixture(
            agency: agencyID, target: try target.requireID(), reportFor: reportFor, referralFor: referralFor, caseFor: caseFor,
            consentFor: consentFor, alertFor: alertFor, taskFor: taskFor, contactFor: contactFor, link: try link.requireID(), network: network,
            intelligenceAlert: try intelligenceAlert.requireID(), item: try item.requireID(), indicator: IndicatorCatalogue.standard.items[0].id,
            goal: goal, action: action, round: try round.requireID(),
            campaign: try #require(try await Campaign.query(on: services.database.db).filter(\.$code == DemoCampaigns.rightsCode).first()?.id),
            partnership: try await PartnershipWalkFixture.make(services))
        fixture.trainingCourse = try await TrainingCourse.query(on: services.database.db).first()?.requireID() ?? UUID()
        fixture.trainingSession = try await TrainingSession.query(on: services.database.db).first()?.requireID() ?? UUID()
        let trainer = try await DemoReports.identity("coordinator@demo.invalid", services)
        for account in DemoPartnership.accounts {
            let session = try await services.training.createSession(
                .init(courseID: fixture.trainingCourse.uuidString, heldOn: TrainingService.today().description, trainerAgencyID: trainer.agencyID.uuidString,
                      delivery: "online", area: "ZZ1", language: "English"), identity: trainer, address: "test").requireID()
            fixture.sessionFor[account.email] = session
            fixture.attendeeFor[account.email] = try await services.training.addAttendee(
                session, .init(name: "Walk Attendee", agency: "Walk", email: "", sector: "retail"), identity: trainer, address: "test").requireID()
        }
        // A public resource's current file, open to everyone, so every role's walk reaches it;
        // and another resource for the hub's pages, whose walk may withdraw it.
        if let item = try await services.resources.publicList(language: "en").first {
            fixture.resourceFile = try item.file.requireID()
            if let other = try await ResourceRecord.query(on: services.database.db).filter(\.$id != item.file.resourceID).first() {
                fixture.resource = try other.requireID()
            }
        }
        let quarter = ReleasePeriod(quarterOf: CaseSupportService.today().adding(months: -3))
        let administrator = try await DemoReports.identity("admin@demo.invalid", services)
        let published = try await services.releases.create(.init(period: quarter.description, tables: ["reports:exploitation_type"]),
                                                           identity: coordinator, address: "test")
        try await services.releases.propose(published, identity: coordinator, address: "test")
        try await services.releases.approve(published, identity: administrator, address: "test")
        fixture.release = published
        fixture.draftRelease = try await services.releases.create(.init(period: quarter.description, tables: ["reports:reporter_type"]),
                                                                  identity: coordinator, address: "test")
        fixture.nationalRelease = try await NationalRelease.query(on: services.database.db).first()?.requireID() ?? UUID()
        if !services.config.national {
            for (email, caseID) in caseFor {
                let identity = try await DemoReports.identity(email, services)
                let offer = try await services.survivor.offer(caseID, identity: identity, language: .en, address: "test")
                _ = try await services.survivor.activate(code: offer.code, passphrase: "walk survivor passphrase", confirm: "walk survivor passphrase",
                                                         language: .en, address: "test")
                let account = try #require(try await SurvivorAccount.query(on: services.database.db).filter(\.$caseID == caseID).first())
                let token = try await services.survivor.createSession(accountID: try account.requireID(), kind: .api, safe: false)
                let survivor = try #require(try await services.survivor.identity(forToken: token, kind: .api))
                try await services.survivor.request(survivor, kind: "correct", detail: "Walk", address: "test")
                fixture.requestFor[email] = try await SurvivorRequest.query(on: services.database.db).filter(\.$caseID == caseID).first()?.requireID()
            }
        }
        return fixture
    }

    /// The path with every `:parameter` (or `{parameter}`) replaced by an id the account can use.
    func concrete(_ pattern: String, agencyID: UUID? = nil, email: String? = nil) -> String {
        func pick<K>(_ map: [K: UUID], _ key: K?) -> String {
            (key.flatMap { map[$0] } ?? map.sorted { "\($0.key)" < "\($1.key)" }.first?.value ?? UUID()).uuidString
        }
        let caseID = pick(caseFor, email), reportID = pick(reportFor, agencyID), referralID = pick(referralFor, agencyID)
        let consentID = pick(consentFor, email), alertID = pick(alertFor, email), taskID = pick(taskFor, email), contactID = pick(contactFor, email)
        let path = pattern.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var result: [String] = []
        for (index, segment) in segments.enumerated() {
            guard segment.hasPrefix(":") else { result.append(segment); continue }
            let before = index > 0 ? segments[index - 1] : ""
            let value: String = switch segment.dropFirst() {
            case "agencyId": agency.uuidString
            case "memberId": partnership.member(email)
            case "groupId": partnership.group.uuidString
            case "meetingId": partnership.meeting.uuidString
            case "agreementId": partnership.agreement.uuidString
            case "actionId" where segments.contains("partnership"): partnership.action.uuidString
            case "contactId" where segments.contains("partnership"): partnership.contact(email)
            case "userId": target.uuidString
            case "consentId", "consent": consentID
            case "taskId", "task": taskID
            case "contactId", "contact": contactID
            case "linkId", "link": link.uuidString
            case "networkId", "network": network.uuidString
            case "itemId", "item": item.uuidString
            case "roundId": round.uuidString
            case "reportId": reportID
            case "caseId": caseID
            case "goalId": goal.uuidString
            case "campaignId": campaign.uuidString
            case "actionId": action.uuidString
            case "domain": "safety"
            case "indicatorKey", "key": ComputedIndicator.reportsReceived.key
            case "reference": "WM-2024-ABCDEF"
            case "retentionKind": RetentionKind.closedReports.rawValue
            case "figure": "received"
            case "courseId": trainingCourse.uuidString
            case "sessionId": (email.flatMap { sessionFor[$0] } ?? trainingSession).uuidString
            case "attendeeId": (email.flatMap { attendeeFor[$0] } ?? UUID()).uuidString
            case "resourceId": resource.uuidString
            case "fileId": resourceFile.uuidString
            case "partnershipId": "westmere"
            case "nationalReleaseId": nationalRelease.uuidString
            case "requestId": (email.flatMap { requestFor[$0] } ?? requestFor.values.first ?? UUID()).uuidString
            case "releaseId": segments.last == "approve" || segments.last == "withdraw" || segments.last == "propose" ? draftRelease.uuidString : release.uuidString
            case "alertId", "alert": before == "alerts" && segments.contains("intelligence") ? intelligenceAlert.uuidString : alertID
            default:
                switch before {
                case "cases": caseID
                case "reports": reportID
                case "referrals": referralID
                case "indicators": indicator
                case "users": target.uuidString
                case "agencies": agency.uuidString
                default: UUID().uuidString
                }
            }
            result.append(value)
        }
        return result.joined(separator: "/")
    }
}
