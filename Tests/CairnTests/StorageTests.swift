import CairnCore
import FluentKit
import Foundation
import SQLKit
import Testing

@testable import Cairn

/// The direct insert path (`SQLRows`) must store every value exactly as FluentKit's own
/// encoder does, or Fluent's filters would miss rows written at intake.
@Suite struct StorageTests {
    @Test func directInsertsStoreValuesAsFluentDoes() async throws {
        try await withServices { services, _ in
            let sql = services.database.sql
            let postgres = TestDatabase.isPostgres
            try await sql.raw("""
                CREATE TABLE storage_check (row TEXT NOT NULL, t TEXT, i BIGINT, r DOUBLE PRECISION, b BOOLEAN, u \(unsafeRaw: postgres ? "UUID" : "UUID"), d \(unsafeRaw: postgres ? "TIMESTAMPTZ" : "DOUBLE"), n TEXT)
                """).run()
            let uuid = UUID()
            let date = Date(timeIntervalSince1970: 1_764_633_600.125)
            let values: [SQLValue] = [.text("Station Hotel, “Wellington” St — 🏨"), .integer(-42), .real(2.5), .bool(true), .uuid(uuid), .date(date), .null]
            // As FluentKit writes them: SQLKit binds through the driver's encoder.
            try await sql.insert(into: "storage_check").columns("row", "t", "i", "r", "b", "u", "d", "n")
                .values([SQLBind("fluent"), SQLBind("Station Hotel, “Wellington” St — 🏨"), SQLBind(Int64(-42)), SQLBind(2.5), SQLBind(true),
                         SQLBind(uuid), SQLBind(date), SQLLiteral.null])
                .run()
            try await SQLRows.insert(into: "storage_check", columns: ["row", "t", "i", "r", "b", "u", "d", "n"],
                                     rows: [[.text("direct")] + values], on: sql)
            // Through SQLWriteSteps: on SQLite one SQLiteDirect transaction (the path intake and
            // linking write by), elsewhere SQLKit.
            var steps = SQLWriteSteps()
            steps.insert(into: "storage_check", columns: ["row", "t", "i", "r", "b", "u", "d", "n"], rows: [[.text("steps")] + values])
            try await steps.run(on: services.database.db)
            let columns = ["t", "i", "r", "b", "u", "d", "n"]
            let shown = columns.map { postgres ? "\($0)::text AS \($0)" : "typeof(\($0)) || ':' || quote(\($0)) AS \($0)" }.joined(separator: ", ")
            let rows = try await sql.raw("SELECT row, \(unsafeRaw: shown) FROM storage_check").all()
            var byRow: [String: [String]] = [:]
            for row in rows {
                byRow[try row.decode(column: "row", as: String.self)] = try columns.map { try row.decode(column: $0, as: String?.self) ?? "NULL" }
            }
            #expect(byRow["direct"] != nil)
            #expect(byRow["direct"] == byRow["fluent"])
            #expect(byRow["steps"] == byRow["fluent"])
            if !postgres {
                #expect(byRow["direct"]?[4] == "text:'\(uuid.uuidString)'")
            }
        }
    }

    /// Intake and linking write SQLite through the connection's own handle, which SQLiteNIO
    /// does not make public (`SQLiteDirect.handle(of:)` reads it by reflection). If an upgrade
    /// moves it, they fall back to the slower path; this test says so.
    @Test func theDirectPathIsAvailableOnSQLiteOnly() async throws {
        try await withServices { services, _ in
            #expect(await SQLiteDirect.isAvailable(on: services.database.db) == !TestDatabase.isPostgres)
            let ran = try await SQLiteDirect.transaction(on: services.database.db) { direct in
                try direct.rows("SELECT 40 + ?", [.integer(2)]).first?.first?.int
            }
            #expect(ran == (TestDatabase.isPostgres ? nil : 42))
        }
    }

    @Test func writeStepsRunInOrderInOneTransaction() async throws {
        try await withServices { services, _ in
            let db = services.database.db
            let sql = services.database.sql
            try await sql.raw("CREATE TABLE steps_check (id TEXT PRIMARY KEY, label TEXT NOT NULL, n BIGINT NOT NULL)").run()
            func rows() async throws -> [String: String] {
                var found: [String: String] = [:]
                for row in try await sql.raw("SELECT id, label FROM steps_check").all() {
                    found[try row.decode(column: "id", as: String.self)] = try row.decode(column: "label", as: String.self)
                }
                return found
            }
            var steps = SQLWriteSteps()
            steps.insert(into: "steps_check", columns: ["id", "label", "n"],
                         rows: (1...4).map { [.text("r\($0)"), .text("new"), .integer(Int64($0))] })
            steps.update("steps_check", set: [("label", .text("moved"))], where: "id", in: [.text("r2"), .text("r3")])
            steps.delete(from: "steps_check", where: "id", in: [.text("r3"), .text("absent")])
            steps.delete(from: "steps_check", where: "id", in: [])   // nothing to do, no statement
            try await steps.run(on: db)
            #expect(try await rows() == ["r1": "new", "r2": "moved", "r4": "new"])

            // A failing step undoes the steps before it, and the error says what kind it is.
            var failing = SQLWriteSteps()
            failing.delete(from: "steps_check", where: "id", in: [.text("r1")])
            failing.update("steps_check", set: [("label", .text("changed"))], where: "id", in: [.text("r4")])
            failing.insert(into: "steps_check", columns: ["id", "label", "n"], rows: [[.text("r2"), .text("clash"), .integer(9)]])
            do {
                try await failing.run(on: db)
                Issue.record("a duplicate key was accepted")
            } catch let error as any DatabaseError {
                #expect(error.isConstraintFailure)
            }
            #expect(try await rows() == ["r1": "new", "r2": "moved", "r4": "new"])
            // Nothing was left open: the next transaction commits as usual.
            var next = SQLWriteSteps()
            next.insert(into: "steps_check", columns: ["id", "label", "n"], rows: [[.text("r5"), .text("after"), .integer(5)]])
            try await next.run(on: db)
            #expect(try await rows() == ["r1": "new", "r2": "moved", "r4": "new", "r5": "after"])
        }
    }

    @Test func reportsWrittenAtIntakeAreFoundByFluentFilters() async throws {
        try await withServices { services, _ in
            var input = ReportInput()
            input.description = "Men collected from the car wash every night."
            input.postcode = "WM1 2AB"
            input.dangerNow = false
            let submitted = try await services.reports.submit(input, source: .public, identity: nil, address: "test",
                                                              idempotencyKey: nil, requireFormAnswers: false)
            let report = submitted.report
            let db = services.database.db
            #expect(try await Report.query(on: db).filter(\.$id == report.id!).count() == 1)
            #expect(try await Report.query(on: db).filter(\.$receivedAt >= report.receivedAt.addingTimeInterval(-1))
                .filter(\.$receivedAt <= report.receivedAt.addingTimeInterval(1)).count() == 1)
            #expect(try await Report.query(on: db).filter(\.$dangerNow == false).filter(\.$anonymous == true).count() == 1)
            #expect(try await Report.query(on: db).filter(\.$assignedAgencyID == nil).count() == 1)
            #expect(try await ReportEvent.query(on: db).filter(\.$reportID == report.id!).count() == 1)
            #expect(try await ReportMention.query(on: db).filter(\.$reportID == report.id!).count() == 1)
            let entry = try await AuditEntry.query(on: db).filter(\.$recordID == report.id!.uuidString).first()
            #expect(entry?.action == "report.created")
        }
    }

    @Test func idTextAndOrderMatchFoundation() {
        for _ in 0..<2000 {
            let a = Bool.random() ? UUID() : UUID.timeOrdered()
            let b = UUID()
            #expect(a.text == a.uuidString)
            #expect(a.sortsBefore(b) == (a.uuidString < b.uuidString))
            #expect(!a.sortsBefore(a))
        }
    }
}
