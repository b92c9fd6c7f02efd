import FluentKit
import Foundation
import Testing

@testable import Cairn

/// Intake writes its rows with SQL, naming every column (`ReportService+IntakeRows.swift`).
/// These checks hold each column list to its Fluent model: a field added to a model but not
/// to its list (or the reverse) fails, and so does a row that puts a value under another
/// column than the one its list names at that place.
@Suite("Intake's column lists match the models")
struct IntakeColumnTests {
    @Test func reportColumnsAreTheReportModelsFields() throws {
        try check(Report.self, columns: ReportService.reportColumns, row: ReportService.reportRow)
    }

    @Test func eventColumnsAreTheEventModelsFields() throws {
        try check(ReportEvent.self, columns: ReportService.eventColumns, row: ReportService.eventRow)
    }

    @Test func indicatorColumnsAreTheTickModelsFields() throws {
        try check(ReportIndicator.self, columns: ReportService.indicatorColumns, row: ReportService.indicatorRow)
    }

    @Test func mentionColumnsAreTheMentionModelsFields() throws {
        try check(ReportMention.self, columns: ReportService.mentionColumns, row: ReportService.mentionRow)
    }

    @Test func aMissingOrMisplacedColumnIsCaught() throws {
        // The check itself must fail on the mistakes it is for.
        var dropped = ReportService.eventColumns
        dropped.removeLast()
        #expect(Set(dropped) != Set(ReportEvent.keys.map(\.description)))
        var swapped = ReportService.eventColumns
        swapped.swapAt(4, 6)  // actor_name and action: both text
        let model = ReportEvent()
        try model.output(from: DistinctRow(keys: ReportEvent.keys.map(\.description), trueKey: nil))
        #expect(mismatches(ReportService.eventRow(model), columns: swapped, keys: ReportEvent.keys.map(\.description), trueKey: nil).count == 2)
    }

    /// Every field of `M` is in `columns` exactly once, and `row` of a model whose every field
    /// holds a value telling which field it is puts each value under its own column. Booleans
    /// can hold only two values, so the model is filled once for each field set alone to true.
    func check<M: Model>(_ type: M.Type, columns: [String], row: (M) -> [SQLValue]) throws {
        let keys = M.keys.map(\.description)
        #expect(columns.count == Set(columns).count, "\(M.schema): a column is listed twice")
        #expect(Set(columns) == Set(keys), "\(M.schema): model fields not written \(Set(keys).subtracting(columns)), columns not in the model \(Set(columns).subtracting(keys))")
        for trueKey in [nil] + keys {
            let model = M()
            try model.output(from: DistinctRow(keys: keys, trueKey: trueKey))
            let values = row(model)
            #expect(values.count == columns.count, "\(M.schema): \(values.count) values for \(columns.count) columns")
            let wrong = mismatches(values, columns: columns, keys: keys, trueKey: trueKey)
            #expect(wrong.isEmpty, "\(M.schema): values under the wrong column: \(wrong)")
        }
    }

    /// The columns whose value is not the one `DistinctRow` gave that column's field.
    func mismatches(_ values: [SQLValue], columns: [String], keys: [String], trueKey: String?) -> [String] {
        zip(columns, values).compactMap { column, value in
            let index = keys.firstIndex(of: column) ?? -1
            let matches = switch value {
            case .text(let text): text == column
            case .bool(let bool): bool == (column == trueKey)
            case .integer(let number): number == Int64(index)
            case .uuid(let uuid): uuid == DistinctRow.uuid(index)
            case .date(let date): date == DistinctRow.date(index)
            case .real, .null: false
            }
            return matches ? nil : column
        }
    }
}

/// A database row in which every field's value names the field: text is the column's name,
/// numbers, ids and dates its place in the model, and only `trueKey` is true.
private struct DistinctRow: DatabaseOutput {
    let keys: [String]
    let trueKey: String?

    static func uuid(_ index: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", index)) ?? UUID() }
    static func date(_ index: Int) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(index)) }

    var description: String { "DistinctRow" }
    func schema(_ schema: String) -> any DatabaseOutput { self }
    func contains(_ key: FieldKey) -> Bool { true }
    func decodeNil(_ key: FieldKey) throws -> Bool { false }

    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        let name = key.description
        let index = keys.firstIndex(of: name) ?? -1
        // Optional fields ask for `T?`: they are given a value too, so none is left out.
        let value: Any? = switch type {
        case is String.Type, is String?.Type: name
        case is Bool.Type, is Bool?.Type: name == trueKey
        case is Int.Type, is Int?.Type: index
        case is UUID.Type, is UUID?.Type: Self.uuid(index)
        case is Date.Type, is Date?.Type: Self.date(index)
        default: nil
        }
        guard let value, let typed = value as? T else { throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: name)) }
        return typed
    }
}
