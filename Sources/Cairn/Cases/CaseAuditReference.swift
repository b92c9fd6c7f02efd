import CairnCore
import FluentKit
import Foundation

/// A case's code (`SC-7K4P-Q2`) names the case's audit entries.
extension CaseService: AuditReferenceResolver {
    public func auditRecords(forReference text: String) async throws -> [AuditRecordKey]? {
        let upper = text.uppercased().filter { !$0.isWhitespace }
        guard upper.hasPrefix("SC"),
              // Case codes use the report reference's alphabet and check character.
              let parsed = try? ReportReference(parsing: String(upper.dropFirst(2)))
        else { return nil }
        let code = "SC-" + parsed.value.dropFirst("CRN-".count)
        let ids = try await SupportCase.query(on: db).filter(\.$code == code).all().compactMap(\.id)
        return ids.map { AuditRecordKey(type: "case", id: $0.uuidString) }
    }
}
