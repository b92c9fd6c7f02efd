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
            let columns = ["t", "i", "r", "b", "u", "d", "n"]
            let shown = columns.map { postgres ? "\($0)::text AS \($0)" : "typeof(\($0)) || ':' || quote(\($0)) AS \($0)" }.joined(separator: ", ")
            let rows = try await sql.raw("SELECT row, \(unsafeRaw: shown) FROM storage_check").all()
            var byRow: [String: [String]] = [:]
            for row in rows {
                byRow[try row.decode(column: "row", as: String.self)] = try columns.map { try row.decode(column: $0, as: String?.self) ?? "NULL" }
            }
            #expect(byRow["direct"] != nil)
            #expect(byRow["direct"] == byRow["fluent"])
            if !postgres {
                #expect(byRow["direct"]?[4] == "text:'\(uuid.uuidString)'")
            }
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
