import CairnCore
import FluentKit
import Foundation

/// What a pseudonymous case export reads of the report a case came from: the kind of
/// exploitation only (no place, no people, no text).
struct ExploitationFacts: Sendable, Equatable {
    let types: Set<ExploitationType>
    let labourSector: LabourSector?
}

/// The reads Insight's exports make of reports. The exporter checks its own permission and
/// audits the export; these return categories, never a report's content.
extension ReportDirectory {
    func exploitationFacts(ofReports ids: [UUID]) async throws -> [UUID: ExploitationFacts] {
        var out: [UUID: ExploitationFacts] = [:]
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            let rows = try await Report.query(on: db).filter(\.$id ~~ chunk)
                .field(\.$id).field(\.$exploitationTypes).field(\.$labourSector).all()
            for row in rows {
                guard let id = row.id else { continue }
                out[id] = ExploitationFacts(types: row.types, labourSector: row.sector)
            }
        }
        return out
    }
}
