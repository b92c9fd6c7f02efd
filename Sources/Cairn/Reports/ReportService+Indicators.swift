import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// The indicator checklists: as reports use them (the latest wording of each item, and the
/// exact versions a report was recorded with), and as administrators keep them (add an item,
/// reword it, retire or restore it). Every change adds a version, so reports keep the wording
/// they were recorded with.
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
        let standardOrder = IndicatorCatalogue.standardOrder
        order.sort { (standardOrder[$0] ?? Int.max, $0) < (standardOrder[$1] ?? Int.max, $1) }
        return IndicatorCatalogue(version: rows.map(\.version).max() ?? 1, items: order.compactMap { latest[$0] })
    }

    /// The wording of the exact versions a report used, by `"id#version"`.
    func indicatorVersions(_ keys: [(String, Int)]) async throws -> [String: IndicatorItem] {
        try await Self.indicatorVersions(keys, on: db)
    }

    static func indicatorVersions(_ keys: [(String, Int)], on db: any Database) async throws -> [String: IndicatorItem] {
        guard !keys.isEmpty else { return [:] }
        let ids = Set(keys.map(\.0))
        let rows = try await IndicatorItem.query(on: db).filter(\.$indicatorID ~~ ids).all()
        return Dictionary(rows.map { ("\($0.indicatorID)#\($0.version)", $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The indicators ticked on a report (for one its caller already may see in full).
    func indicatorTicks(of report: Report) async throws -> [ReportIndicator] {
        try await Self.indicatorTicks(of: try report.requireID(), on: db)
    }

    static func indicatorTicks(of reportID: UUID, on db: any Database) async throws -> [ReportIndicator] {
        try await ReportIndicator.query(on: db).filter(\.$reportID == reportID).all()
    }

    // MARK: Keeping the checklists (administrators)

    /// Every version of one item, oldest first; 404 when there is no such item.
    func indicatorHistory(_ id: String, identity: Identity) async throws -> [IndicatorItem] {
        guard identity.can(.manageIndicators) else { throw AppError.forbidden }
        let rows = try await IndicatorItem.query(on: db).filter(\.$indicatorID == id).sort(\.$version).all()
        guard !rows.isEmpty else { throw AppError.notFound("indicator") }
        return rows
    }

    /// How many times each item has been ticked on a report, whatever the version.
    func indicatorUsage(identity: Identity) async throws -> [String: Int] {
        guard identity.can(.manageIndicators) else { throw AppError.forbidden }
        return try await ReportIndicator.query(on: db).all().reduce(into: [String: Int]()) { $0[$1.indicatorID, default: 0] += 1 }
    }

    static func validatedIndicator(text: String, dimension: String) throws -> (String, IndicatorDimension) {
        var v = Validator()
        let cleaned = v.text(text, field: "text", label: "The wording", max: 300)
        let parsed = IndicatorDimension(rawValue: dimension)
        if parsed == nil { v.add("dimension", "Choose the dimension the sign belongs to.") }
        try v.check()
        return (cleaned, try parsed.checked())
    }

    /// Adds an item to a checklist, with an id made from its list and wording.
    func addIndicator(list: String, dimension: String, text: String, identity: Identity, address: String) async throws -> IndicatorItem {
        guard identity.can(.manageIndicators) else { throw AppError.forbidden }
        var v = Validator()
        let parsedList = IndicatorList(rawValue: list)
        if parsedList == nil { v.add("list", "Choose the checklist to add the sign to.") }
        try v.check()
        let (cleaned, parsedDimension) = try Self.validatedIndicator(text: text, dimension: dimension)
        return try await db.transaction { tx in
            let slug = cleaned.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).prefix(6).joined(separator: "-")
            var id = "\((try parsedList.checked()).rawValue).\(slug.isEmpty ? "item" : String(slug.prefix(60)))"
            var suffix = 2
            while try await IndicatorItem.query(on: tx).filter(\.$indicatorID == id).first() != nil {
                id = "\((try parsedList.checked()).rawValue).\(slug.prefix(60))-\(suffix)"
                suffix += 1
            }
            let item = IndicatorItem(Indicator(id: id, list: try parsedList.checked(), dimension: parsedDimension, text: cleaned))
            try await item.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "indicator.added", recordType: "indicator",
                                              recordID: id, address: address), on: tx)
            return item
        }
    }

    /// Adds a version with the new wording, dimension or retired flag (`retired` nil: unchanged).
    func changeIndicator(_ id: String, text: String, dimension: String, retired: Bool?, identity: Identity, address: String) async throws {
        guard identity.can(.manageIndicators) else { throw AppError.forbidden }
        let (cleaned, parsedDimension) = try Self.validatedIndicator(text: text, dimension: dimension)
        try await db.transaction { tx in
            guard let current = try await IndicatorItem.query(on: tx).filter(\.$indicatorID == id).sort(\.$version, .descending).first(),
                  let list = IndicatorList(rawValue: current.list) else { throw AppError.notFound("indicator") }
            let newRetired = retired ?? current.retired
            if cleaned == current.text, parsedDimension.rawValue == current.dimension, newRetired == current.retired {
                throw AppError.invalid([.init("text", "Nothing changed: edit the wording or the dimension, or cancel.")])
            }
            let next = IndicatorItem(Indicator(id: id, list: list, dimension: parsedDimension, text: cleaned, version: current.version + 1, retired: newRetired))
            try await next.create(on: tx)
            let action = retired == nil ? "indicator.reworded" : (newRetired ? "indicator.retired" : "indicator.restored")
            try await audit.append(AuditEvent(actor: identity.auditActor, action: action, recordType: "indicator", recordID: id,
                                              address: address, detail: "version \(next.version)"), on: tx)
        }
    }
}
