import CairnCore
import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Searches match what was typed, with the same case rule on SQLite and PostgreSQL: % _ \ * ?
/// and [ are literal, and every letter matches in either case, in any script.
@Suite struct LikeSearchTests {
    @Test func auditSearchTakesWildcardsLiterallyAndIgnoresCaseOnBothDatabases() async throws {
        try await withServices { services, _ in
            let actors = ["alice_admin@example.org", "bob%boss@example.org", "carol\\clerk@example.org", "ALLCAPS@EXAMPLE.ORG",
                          "aliceXadmin@example.org", "Ștefan@example.org", "star*[x]?@example.org", "ŁUKASZ@example.org", "Nguyễn@example.org"]
            for actor in actors {
                try await services.audit.append(AuditEvent(actor: AuditActor(id: nil, name: actor), action: "Like.Test"))
            }
            func actorsFound(_ text: String) async throws -> Set<String> {
                var search = AuditLog.Search()
                search.actor = text
                search.perPage = 100
                return Set(try await services.audit.search(search).entries.map(\.actor))
            }
            #expect(try await actorsFound("_") == ["alice_admin@example.org"])
            #expect(try await actorsFound("alice_") == ["alice_admin@example.org"])
            #expect(try await actorsFound("%") == ["bob%boss@example.org"])
            #expect(try await actorsFound("\\") == ["carol\\clerk@example.org"])
            #expect(try await actorsFound("allcaps") == ["ALLCAPS@EXAMPLE.ORG"])
            #expect(try await actorsFound("ALICE") == ["alice_admin@example.org", "aliceXadmin@example.org"])
            // Letters beyond A–Z match in either case too, on both databases whatever their locale.
            #expect(try await actorsFound("Ștefan") == ["Ștefan@example.org"])
            #expect(try await actorsFound("ștefan") == ["Ștefan@example.org"])
            #expect(try await actorsFound("ȘTEFAN@") == ["Ștefan@example.org"])
            #expect(try await actorsFound("łukasz") == ["ŁUKASZ@example.org"])
            #expect(try await actorsFound("NGUYỄN") == ["Nguyễn@example.org"])
            #expect(try await actorsFound("stefan").isEmpty, "a letter and its accented form are different letters")
            // GLOB's and regular expressions' own special characters are literal too.
            #expect(try await actorsFound("*") == ["star*[x]?@example.org"])
            #expect(try await actorsFound("[x]?") == ["star*[x]?@example.org"])
            #expect(try await actorsFound("?").count == 1)
            #expect(try await actorsFound(".").count == actors.count, "every address has a dot")
            #expect(try await actorsFound("@.x").isEmpty, "a dot is not any character (\"@ex\" is in every address)")
            var search = AuditLog.Search()
            search.action = "like.t"
            #expect(try await services.audit.search(search).total == actors.count)
            search.action = "like%"
            #expect(try await services.audit.search(search).total == 0)
        }
    }

    @Test func reportAndPeopleSearchesTakeWildcardsLiterally() async throws {
        try await withApp { client, built in
            let services = built.services
            let db = services.database.db
            let agency = try #require(try await Agency.query(on: db).first())
            let (first, _) = try await AccessTests().seedReport(assignedTo: try agency.requireID(), from: try agency.requireID(), services: services)
            let (second, _) = try await AccessTests().seedReport(assignedTo: try agency.requireID(), from: try agency.requireID(), services: services)
            let a = try #require(try await Report.find(first, on: db)), b = try #require(try await Report.find(second, on: db))
            a.narrative = "Rooms let at 50% off to the WORKERS"
            a.peopleText = "Ion_Popescu"
            b.narrative = "Rooms let at 50 percent"
            b.peopleText = "IonXPopescu"
            try await a.save(on: db)
            try await b.save(on: db)
            let analyst = try await DemoReports.identity("analyst@demo.invalid", services)
            func found(_ text: String) async throws -> Set<UUID> {
                var q = ReportService.Query()
                q.inbox = .all
                q.search = text
                q.perPage = 200
                return Set(try await services.reports.list(q, identity: analyst).reports.compactMap(\.id)).intersection([first, second])
            }
            #expect(try await found("50%") == [first])
            #expect(try await found("50") == [first, second])
            #expect(try await found("ion_") == [first])
            #expect(try await found("workers") == [first])

            var users = AccountService.UserQuery()
            users.search = "_"
            #expect(try await services.accounts.users(users).total == 0)
            users.search = "ADMIN@DEMO"
            #expect(try await services.accounts.users(users).users.map(\.email) == ["admin@demo.invalid"])
            _ = client
        }
    }
}
