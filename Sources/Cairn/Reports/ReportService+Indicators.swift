import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The indicator checklists as reports use them: the latest wording of each item, and the
/// exact versions a report was recorded with.
extension ReportService {
    /// The latest version of every checklist item, retired ones included (they explain old reports).
    func catalogue(on db: (any Database)? = nil) async throws -> IndicatorCatalogue {
        let rows = try await IndicatorItem.query(on: db ?? self.db).sort(\.$indicatorID).sort(\.$version).all()
        var latest: [String: Indicator] = [:]
        var order: [String] = []
        for row in rows {
            guard let indicator = row.indicator else { continue }
            if latest[indicator.id] == nil { order.append(indicator.id) }
            latest[indicator.id] = indicator
        }
        let standardOrder = Dictionary(uniqueKeysWithValues: IndicatorCatalogue.standard.items.enumerated().map { ($1.id, $0) })
        order.sort { (standardOrder[$0] ?? Int.max, $0) < (standardOrder[$1] ?? Int.max, $1) }
        return IndicatorCatalogue(version: rows.map(\.version).max() ?? 1, items: order.compactMap { latest[$0] })
    }

    /// The wording of the exact versions a report used.
    func indicatorVersions(_ keys: [(String, Int)]) async throws -> [String: IndicatorItem] {
        guard !keys.isEmpty else { return [:] }
        let ids = Set(keys.map(\.0))
        let rows = try await IndicatorItem.query(on: db).filter(\.$indicatorID ~~ ids).all()
        return Dictionary(rows.map { ("\($0.indicatorID)#\($0.version)", $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The indicators ticked on a report (for one its caller already may see in full).
    func indicatorTicks(of report: Report) async throws -> [ReportIndicator] {
        try await ReportIndicator.query(on: db).filter(\.$reportID == (try report.requireID())).all()
    }
}
