import CairnCore
import FluentKit
import Foundation

/// A report's reference (`CRN-7K4P-Q2`, typed as people type it) names the report's audit entries.
extension ReportService: AuditReferenceResolver {
    public func auditRecords(forReference text: String) async throws -> [AuditRecordKey]? {
        let upper = text.uppercased().trimmingCharacters(in: .whitespaces)
        guard upper.hasPrefix(ReportReference.prefix), let reference = try? ReportReference(parsing: upper) else { return nil }
        let ids = try await Report.query(on: db).filter(\.$reference == reference.value).all().compactMap(\.id)
        return ids.map { AuditRecordKey(type: "report", id: $0.uuidString) }
    }
}
