import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Cairn

/// The partnership's members, groups, meetings and action log: through the pages and the API,
/// who may change them, the overdue actions on the coordinators' home page, and bad input
/// refused with nothing changed. On SQLite, and on PostgreSQL when `CAIRN_TEST_DATABASE_URL` is set.
@Suite struct GovernanceTests {
    static func agencyID(_ name: String, _ services: AppServices) async throws -> String {
        try #require(try await services.accounts.agencies().first { $0.name == name }?.requireID()).uuidString
    }

    /// A new agency of the directory that is not a member yet.
    static func newAgency(_ name: String, _ services: AppServices) async throws -> String {
        try await services.accounts.createAgency(.init(name: name, type: AgencyType.business.rawValue, area: "Westmere"), actor: .system, address: "test")
            .requireID().uuidString
    }

    static func counts(_ services: AppServices) async throws -> [Int] {
        let db = services.database.db
        return [try await PartnershipMember.query(on: db).count(), try await PartnershipContact.query(on: db).count(),
                try await GovernanceGroup.query(on: db).count(), try await GovernanceGroupMember.query(on: db).count(),
                try await GovernanceMeeting.query(on: db).count(), try await MeetingAttendance.query(on: db).count(),
                try await MeetingItem.query(on: db).count(), try await GovernanceAction.query(on: db).count(),
                try await PartnershipMember.query(on: db).filter(\.$leftOn != nil).count()]
    }

    @Test func theCoordinatorRecordsAMemberAMeetingAndItsActionsAndOverdueActionsShowOnTheirHomePage() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let overview = try await browser.get("/partnership")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("Westmere Anti-Slavery Partnership Board"))
            #expect(overview.text.contains("Circulate the revised action plan"), "the demo's overdue action")

            // A new member, with a contact.
            let hotel = try await Self.newAgency("Grand Harbour Hotel", services)
            let added = try await browser.post("/partnership/members", [("agencyId", hotel), ("role", "associate"),
                                                                        ("joinedOn-day", "3"), ("joinedOn-month", "2"), ("joinedOn-year", "2026")])
            #expect(added.status == .seeOther)
            let memberPath = try #require(added.location)
            let contact = try await browser.post(memberPath + "/contacts", [("name", "Ada Lovell"), ("role", "General manager"),
                                                                            ("email", "ada@hotel.example"), ("phone", "01632 960 555")])
            #expect(contact.status == .seeOther)
            let member = try await browser.get(memberPath)
            #expect(member.text.contains("Grand Harbour Hotel") && member.text.contains("Associate member") && member.text.contains("3 February 2026"))
            #expect(member.text.contains("Ada Lovell") && member.text.contains("ada@hotel.example"))
            let db = services.database.db
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "member.contacts.viewed").count() >= 1, "a read of contacts is audited")
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "member.contact.added").count() == 5, "four in the demo, one here")

            // A meeting of the board with attendance, a paper and decisions.
            let board = try #require(try await services.governance.groups(identity: try await DemoReports.identity("coordinator@demo.invalid", services))
                .first { $0.group.groupKind == .board }?.group.requireID())
            let police = try await Self.agencyID("Westmere Constabulary", services)
            let form = try await browser.get("/partnership/meetings/new?group=\(board)")
            #expect(form.status == .ok && form.text.contains("Grand Harbour Hotel"))
            let recorded = try await browser.post("/partnership/meetings", [
                ("groupId", board.uuidString), ("heldOn-day", "1"), ("heldOn-month", "12"), ("heldOn-year", "2026"), ("title", ""),
                ("present", police), ("present", hotel), ("apologies", try await Self.agencyID("Westmere Fire and Rescue Service", services)),
                ("paperTitle", "Hotel pilot evaluation"), ("paperUrl", "https://papers.example/hotel-pilot.pdf"), ("paperTitle", ""), ("paperUrl", ""),
                ("decisions", "Extend the hotel pilot to the city centre.\nReport back in March."),
            ])
            #expect(recorded.status == .seeOther, "\(recorded.text.prefix(500))")
            let meetingPath = try #require(recorded.location)
            let meeting = try await browser.get(meetingPath)
            #expect(meeting.text.contains("Westmere Anti-Slavery Partnership Board, 1 December 2026"), "titled by its group and date")
            #expect(meeting.text.contains("Grand Harbour Hotel") && meeting.text.contains("Westmere Fire and Rescue Service"))
            #expect(meeting.text.contains(#"href="https://papers.example/hotel-pilot.pdf""#))
            #expect(meeting.text.contains("<li class=\"wrap\">Report back in March.</li>"))

            // An action already past its due date: overdue on the meeting, the log and the home page.
            let action = try await browser.post(meetingPath + "/actions", [("text", "Send the pilot evaluation to every hotel"), ("ownerAgencyId", hotel),
                                                                           ("dueOn-day", "2"), ("dueOn-month", "1"), ("dueOn-year", "2026")])
            #expect(action.status == .seeOther)
            #expect(try await browser.get(meetingPath).text.contains("Overdue"))
            let log = try await browser.get("/partnership/actions?status=overdue")
            #expect(log.text.contains("Send the pilot evaluation to every hotel") && log.text.contains("Circulate the revised action plan"))
            var home = try await browser.get("/")
            #expect(home.text.contains("Partnership actions overdue"))
            #expect(home.text.contains("Send the pilot evaluation to every hotel") && home.text.contains("2 overdue"))

            // Done: off the home page.
            let id = try #require(try await GovernanceAction.query(on: db).filter(\.$text == "Send the pilot evaluation to every hotel").first()?.requireID())
            let done = try await browser.post("/partnership/actions/\(id)/status", [("status", "done")])
            #expect(done.status == .seeOther && done.location == meetingPath + "#actions")
            home = try await browser.get("/")
            #expect(!home.text.contains("Send the pilot evaluation to every hotel") && home.text.contains("1 overdue"))
            #expect(try await browser.post("/partnership/actions/\(id)/status", [("status", "done")]).status == .conflict)

            // Others' home pages have no such panel.
            let viewer = Browser(client)
            try await viewer.signIn("viewer@demo.invalid")
            #expect(!(try await viewer.get("/")).text.contains("Partnership actions overdue"))
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "meeting.recorded").count() == 3)
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "meeting.action.done").count() == 2)
        }
    }

    @Test func everySignedInRoleReadsAndOnlyCoordinatorsAndAdministratorsChange() async throws {
        try await withApp { client, built in
            let services = built.services
            let before = try await Self.counts(services)
            let hotel = try await Self.newAgency("Quayside Inn", services)
            let meeting = try #require(try await GovernanceMeeting.query(on: services.database.db).first()?.requireID())
            for email in ["viewer@demo.invalid", "practitioner@demo.invalid", "analyst@demo.invalid", "caseworker@demo.invalid", "trainer@demo.invalid"] {
                let browser = Browser(client)
                try await browser.signIn(email)
                for path in ["/partnership", "/partnership/members", "/partnership/groups", "/partnership/meetings", "/partnership/actions",
                             "/partnership/meetings/\(meeting)", "/partnership/agreements"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .ok, "\(email) \(path)")
                    #expect(!page.text.contains("Record a meeting") && !page.text.contains("Add a member"), "\(email) \(path) offers no edits")
                }
                #expect(try await browser.post("/partnership/members", [("agencyId", hotel), ("role", "member")]).status == .forbidden)
                #expect(try await browser.get("/partnership/members/new").status == .forbidden)
                #expect(try await browser.post("/partnership/meetings/\(meeting)/actions", [("text", "x")]).status == .forbidden)
                let apiToken = try await token(for: email, built)
                #expect(try await api(client, .get, "/api/v1/partnership/members", token: apiToken).status == .ok)
                #expect(try await api(client, .get, "/api/v1/partnership/meetings", token: apiToken).status == .ok)
                let refused = try await api(client, .post, "/api/v1/partnership/meetings", token: apiToken,
                                            json: #"{"groupId":"\#(UUID())","heldOn":"2026-11-01"}"#)
                #expect(refused.status == .forbidden, "\(email)")
            }
            #expect(try await Self.counts(services) == before)
            let admin = Browser(client)
            try await admin.signIn("admin@demo.invalid")
            #expect(try await admin.get("/partnership/members/new").status == .ok)
            #expect(try await admin.post("/partnership/members", [("agencyId", hotel), ("role", "member"), ("joinedOn", "2026-01-01")]).status == .seeOther)
        }
    }

    @Test func removingAContactOrAMemberAsksFirstAndKeepsTheMeetingsItAttended() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let police = try #require(try await PartnershipMember.query(on: db).filter(\.$role == "chair").first())
            let policeID = try police.requireID()
            let contact = try #require(try await PartnershipContact.query(on: db).filter(\.$memberID == policeID).first())
            let confirm = try await browser.get("/partnership/members/\(policeID)/contacts/\(try contact.requireID())/remove")
            #expect(confirm.status == .ok && confirm.text.contains("Remove this contact?") && confirm.text.contains(contact.name))
            #expect(try await PartnershipContact.query(on: db).filter(\.$memberID == policeID).count() == 1, "asking changes nothing")
            let removed = try await browser.post("/partnership/members/\(policeID)/contacts/\(try contact.requireID())/remove")
            #expect(removed.status == .seeOther)
            #expect(try await PartnershipContact.find(try contact.requireID(), on: db) == nil)

            // The secretariat leaves: it keeps its record, leaves its groups, and the meetings it attended still name it.
            let council = try #require(try await PartnershipMember.query(on: db).filter(\.$role == "secretariat").first())
            let councilID = try council.requireID()
            let ask = try await browser.get("/partnership/members/\(councilID)/remove")
            #expect(ask.status == .ok && ask.text.contains("Remove Westmere County Council Adult Safeguarding from the partnership?"))
            #expect(try await browser.post("/partnership/members/\(councilID)/remove").status == .seeOther)
            let left = try #require(try await PartnershipMember.find(councilID, on: db))
            #expect(left.leftOn == GovernanceService.today().description)
            #expect(try await PartnershipContact.query(on: db).filter(\.$memberID == councilID).count() == 0)
            #expect(try await GovernanceGroupMember.query(on: db).filter(\.$agencyID == council.agencyID).count() == 0)
            let boardMeeting = try #require(try await GovernanceMeeting.query(on: db).filter(\.$title == "Partnership board, quarterly meeting").first())
            #expect(try await browser.get("/partnership/meetings/\(try boardMeeting.requireID())").text.contains("Westmere County Council Adult Safeguarding"))
            #expect(!(try await browser.get("/partnership/members")).text.contains("Westmere County Council Adult Safeguarding"))
            #expect(try await browser.get("/partnership/members?show=left").text.contains("Left "))
            #expect(try await browser.post("/partnership/members/\(councilID)/remove").status == .conflict)
            #expect(try await browser.get("/partnership/members/\(councilID)/remove").status == .conflict)
            // It can no longer be named at a new meeting.
            let bearer = try await token(for: "coordinator@demo.invalid", built)
            let board = try boardMeeting.groupID.uuidString
            let refused = try await api(client, .post, "/api/v1/partnership/meetings", token: bearer,
                                        json: #"{"groupId":"\#(board)","heldOn":"2026-11-20","present":["\#(council.agencyID)"]}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("is not a member of the partnership"))
            // And it can be added again.
            let again = try await browser.post("/partnership/members", [("agencyId", council.agencyID.uuidString), ("role", "member"), ("joinedOn", "2026-11-01")])
            #expect(again.status == .seeOther)
            #expect(try await PartnershipMember.find(councilID, on: db)?.leftOn == nil)
        }
    }

    @Test func badMembersGroupsMeetingsAndActionsAreRefusedAndChangeNothing() async throws {
        try await withApp { client, built in
            let services = built.services
            let browser = Browser(client)
            try await browser.signIn("coordinator@demo.invalid")
            let bearer = try await token(for: "coordinator@demo.invalid", built)
            let before = try await Self.counts(services)
            let stranger = try await Self.newAgency("Not A Member Ltd", services)
            let police = try await Self.agencyID("Westmere Constabulary", services)
            let policeMember = try #require(try await PartnershipMember.query(on: services.database.db).filter(\.$role == "chair").first()?.requireID())
            let board = try #require(try await GovernanceGroup.query(on: services.database.db).filter(\.$kind == "board").first()?.requireID()).uuidString
            let meeting = try #require(try await GovernanceMeeting.query(on: services.database.db).first()?.requireID())
            let long = String(repeating: "x", count: 201)
            let pages: [(String, [(String, String)], String)] = [
                ("/partnership/members", [("agencyId", stranger), ("role", "president"), ("joinedOn", "2026-01-01")], "role in the partnership: chair"),
                ("/partnership/members", [("agencyId", UUID().uuidString), ("role", "member"), ("joinedOn", "2026-01-01")], "Choose an agency from the list"),
                ("/partnership/members", [("agencyId", police), ("role", "member"), ("joinedOn", "2026-01-01")], "is already a member"),
                ("/partnership/members", [("agencyId", stranger), ("role", "member"), ("joinedOn", "2999-01-01")], "today or in the past"),
                ("/partnership/members/\(policeMember)/contacts", [("name", "  "), ("role", "Lead")], "Enter name"),
                ("/partnership/members/\(policeMember)/contacts", [("name", String(repeating: "n", count: 121)), ("role", "Lead")], "120 characters or fewer"),
                ("/partnership/members/\(policeMember)/contacts", [("name", "Sam"), ("role", "Lead"), ("email", "not-an-address")], "Enter an email address"),
                ("/partnership/groups", [("kind", "board"), ("name", "A second board"), ("terms", "x")], "already has a board"),
                ("/partnership/groups", [("kind", "committee"), ("name", "Odd"), ("terms", "x")], "Choose what kind of group"),
                ("/partnership/groups", [("kind", "subgroup"), ("name", ""), ("terms", "x")], "Enter name"),
                ("/partnership/groups", [("kind", "network"), ("name", "Bars"), ("members", stranger)], "is not a member of the partnership"),
                ("/partnership/meetings", [("groupId", board), ("heldOn", "2026-11-01"), ("present", stranger)], "Not A Member Ltd is not a member"),
                ("/partnership/meetings", [("groupId", board), ("heldOn", "2026-11-01"), ("present", police), ("apologies", police)], "both present"),
                ("/partnership/meetings", [("groupId", ""), ("heldOn", "2026-11-01")], "Choose the board, sub-group or network"),
                ("/partnership/meetings", [("groupId", board), ("heldOn", "2026-11-01"), ("title", long)], "200 characters or fewer"),
                ("/partnership/meetings", [("groupId", board), ("heldOn", "2026-11-01"), ("paperTitle", "Minutes"), ("paperUrl", "javascript:alert(1)")],
                 "must be a web address"),
                ("/partnership/meetings", [("groupId", board), ("heldOn", "2026-11-01"), ("paperTitle", ""), ("paperUrl", "https://x.example/a")], "Enter paper 1"),
                ("/partnership/meetings", [("groupId", board), ("heldOn-day", "31"), ("heldOn-month", "2"), ("heldOn-year", "2026")], "must be a real date"),
                ("/partnership/meetings/\(meeting)/actions", [("text", "Do it"), ("ownerAgencyId", stranger), ("dueOn", "2026-12-01")], "is not a member"),
                ("/partnership/meetings/\(meeting)/actions", [("text", ""), ("ownerAgencyId", police), ("dueOn", "2026-12-01")], "Enter what is to be done"),
                ("/partnership/meetings/\(meeting)/actions", [("text", "Do it"), ("ownerAgencyId", police), ("dueOn", "soon")], "must be a real date"),
            ]
            for (path, fields, message) in pages {
                let response = try await browser.post(path, fields)
                #expect(response.status == .unprocessableContent, "\(path) \(fields): \(response.status.code)")
                #expect(response.text.contains(message), "\(path) \(fields) should say \(message)")
                #expect(response.text.contains("There is a problem"))
            }
            // A wrong date and a missing group are reported together, the date in its own words.
            let both = try await browser.post("/partnership/meetings", [("groupId", ""), ("heldOn-day", "4"), ("heldOn-month", ""), ("heldOn-year", "2026")])
            #expect(both.status == .unprocessableContent)
            #expect(both.text.contains("Choose the board, sub-group or network that met") && both.text.contains("The date of the meeting must include a month"))
            #expect(!both.text.contains("written YYYY-MM-DD"))
            #expect(try await browser.post("/partnership/actions/\(UUID())/status", [("status", "done")]).status == .notFound)
            let status = try await browser.post("/partnership/actions/\(try #require(try await GovernanceAction.query(on: services.database.db).first()?.requireID()))/status",
                                                [("status", "finished")])
            #expect(status.status == .unprocessableContent)
            #expect(try await browser.post("/partnership/members", [("agencyId", stranger), ("agencyId", police)]).status == .badRequest, "a field sent twice")

            let bodies: [(String, Int, String)] = [
                (#"{"groupId":"\#(board)","heldOn":"2026-11-01","present":["\#(stranger)"]}"#, 422, "not a member"),
                (#"{"groupId":"\#(board)","heldOn":"2026-02-30"}"#, 422, "must be a real date"),
                (#"{"groupId":"nope","heldOn":"2026-11-01"}"#, 422, "Choose the board"),
                (#"{"groupId":"\#(board)","heldOn":"2026-11-01","title":"\#(long)"}"#, 422, "200 characters or fewer"),
                (#"{"groupId":"\#(board)","heldOn":"2026-11-01","papers":[{"title":"A","url":"ftp://x.example/a"}]}"#, 422, "web address"),
                (#"{"groupId":"\#(board)","heldOn":"2026-11-01","actions":[{"text":"Do","ownerAgencyId":"\#(stranger)","dueOn":"2026-12-01"}]}"#, 422, "not a member"),
                (#"{"groupId":"\#(board)","heldOn":"2026-11-01","colour":"red"}"#, 400, "colour"),
                (#"{"groupId":"\#(board)"}"#, 400, "heldOn"),
            ]
            for (json, code, message) in bodies {
                let response = try await api(client, .post, "/api/v1/partnership/meetings", token: bearer, json: json)
                #expect(response.status.code == code, "\(json): \(response.status.code) \(response.text.prefix(300))")
                #expect(response.text.contains(message), "\(json): \(response.text.prefix(300))")
            }
            #expect(try await Self.counts(services) == before)
        }
    }

    @Test func theAPIListsMembersAndRecordsAndReadsMeetings() async throws {
        try await withApp { client, built in
            let services = built.services
            let bearer = try await token(for: "coordinator@demo.invalid", built)
            let members = try jsonObject(try await api(client, .get, "/api/v1/partnership/members", token: bearer))
            let items = try #require(members["items"] as? [[String: Any]])
            #expect(items.count == 17)
            let police = try #require(items.first { $0["agencyName"] as? String == "Westmere Constabulary" })
            #expect(police["role"] as? String == "chair")
            #expect((police["contacts"] as? [[String: Any]])?.first?["name"] as? String == "DI Jo Marsh (fictional)")
            #expect((police["groups"] as? [[String: Any]])?.contains { $0["kind"] as? String == "board" } == true)
            #expect(try await AuditEntry.query(on: services.database.db).filter(\.$action == "members.listed").count() == 1)

            let board = try #require(try await GovernanceGroup.query(on: services.database.db).filter(\.$kind == "board").first()?.requireID())
            let policeID = try #require(police["agencyId"] as? String)
            let harbour = try #require(items.first { $0["agencyName"] as? String == "Safe Harbour Survivor Support" }?["agencyId"] as? String)
            let today = GovernanceService.today().description
            let created = try await api(client, .post, "/api/v1/partnership/meetings", token: bearer, json: """
                {"groupId":"\(board)","heldOn":"\(today)","title":"Extraordinary board","present":["\(policeID)"],"apologies":["\(harbour)"],
                 "papers":[{"title":"Briefing","url":"https://papers.example/briefing.pdf"}],"decisions":["Open a review of hotel referrals."],
                 "actions":[{"text":"Write the review's terms","ownerAgencyId":"\(policeID)","dueOn":"2026-01-15"}]}
                """)
            #expect(created.status == .created, "\(created.text.prefix(400))")
            let meeting = try jsonObject(created)
            let id = try #require(meeting["id"] as? String)
            #expect(meeting["title"] as? String == "Extraordinary board" && meeting["heldOn"] as? String == today)
            let attendance = try #require(meeting["attendance"] as? [[String: Any]])
            #expect(Set(attendance.compactMap { $0["status"] as? String }) == ["present", "apologies"])
            let action = try #require((meeting["actions"] as? [[String: Any]])?.first)
            #expect(action["status"] as? String == "open" && action["overdue"] as? Bool == true)
            let read = try jsonObject(try await api(client, .get, "/api/v1/partnership/meetings/\(id)", token: bearer))
            #expect((read["decisions"] as? [String]) == ["Open a review of hotel referrals."])
            #expect(((read["papers"] as? [[String: Any]])?.first?["url"] as? String) == "https://papers.example/briefing.pdf")
            #expect(try await api(client, .get, "/api/v1/partnership/meetings/\(UUID())", token: bearer).status == .notFound)

            let page = try jsonObject(try await api(client, .get, "/api/v1/partnership/meetings?perPage=2&page=1", token: bearer))
            #expect(page["total"] as? Int == 3 && (page["items"] as? [Any])?.count == 2)
            #expect((page["items"] as? [[String: Any]])?.first?["id"] as? String == id, "newest first")
            let byGroup = try jsonObject(try await api(client, .get, "/api/v1/partnership/meetings?groupId=\(board)", token: bearer))
            #expect(byGroup["total"] as? Int == 2)
            #expect(try await api(client, .get, "/api/v1/partnership/meetings?perPage=500", token: bearer).status == .badRequest)
            #expect(try await api(client, .get, "/api/v1/partnership/meetings?groupId=x", token: bearer).status == .badRequest)
        }
    }
}
