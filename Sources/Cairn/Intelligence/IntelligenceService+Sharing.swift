import CairnCore
import FluentKit
import Foundation

/// Who sees which intelligence items, and how much: the originator everything, a partner the
/// sanitised version as the handling code allows (`PartnerSharingRule`), anyone else nothing.
extension IntelligenceService {
    /// What one person may see of an item: everything (the originating agency), the sanitised
    /// version (a partner, as the handling code allows), or nothing.
    enum ItemView: Sendable {
        case full
        case sanitised(conditions: String?)
    }

    func decision(for item: IntelligenceItem, identity: Identity, agencies: [UUID: Agency]) -> (ItemView?, String) {
        if item.originatorAgencyID == identity.agencyID, identity.can(.analyseIntelligence) { return (.full, "Your agency recorded this item.") }
        guard identity.can(.viewSharedIntelligence), item.originatorAgencyID != identity.agencyID || !identity.can(.analyseIntelligence) else { return (nil, "") }
        let decision = PartnerSharingRule.decide(PartnerSharingRequest(
            grading: item.grading, legacyGrading: item.legacy, hasSanitisedVersion: !item.sanitised.isEmpty,
            recipientAgencyType: agencies[identity.agencyID]?.agencyType ?? .other,
            // Every member agency signs the partnership's information-sharing agreement.
            recipientHasSharingAgreement: agencies[identity.agencyID] != nil,
            originatorApprovedRecipient: item.approved.contains(identity.agencyID)))
        return (decision.allowed ? .sanitised(conditions: decision.conditions) : nil, decision.reason)
    }

    /// What the viewer may be shown of an item: the item itself for its originator; for a
    /// partner a detached copy (never saved) holding only the sanitised version, under the
    /// title written for partners (or the reference), so no page or API answer can show more.
    static func shown(_ item: IntelligenceItem, _ view: ItemView) throws -> IntelligenceItem {
        guard case .sanitised = view else { return item }
        let copy = try JSONDecoder().decode(IntelligenceItem.self, from: JSONEncoder().encode(item))
        copy.title = item.partnerTitle.isEmpty ? "Intelligence item \(item.reference)" : item.partnerTitle
        copy.partnerTitle = ""
        copy.content = ""
        copy.reportID = nil
        copy.approvedAgencies = ""
        return copy
    }

    func items(identity: Identity, address: String, via: String) async throws -> [(IntelligenceItem, ItemView)] {
        try require(identity, .viewSharedIntelligence)
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0) })
        let all = try await IntelligenceItem.query(on: db).sort(\.$createdAt, .descending).all()
        let visible = try all.compactMap { item -> (IntelligenceItem, ItemView)? in
            try decision(for: item, identity: identity, agencies: agencies).0.map { (try Self.shown(item, $0), $0) }
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.listed", recordType: "intelligence_item", recordID: "",
                                          address: address, detail: "\(via); \(visible.count) items"))
        return visible
    }

    struct ItemDetail: Sendable {
        let item: IntelligenceItem
        let view: ItemView
        let reason: String
        /// The report the item was recorded from, for its originator only.
        let report: ReportBrief?
        let originator: Agency?
        let approved: [Agency]
    }

    func item(_ id: UUID, identity: Identity, address: String, via: String) async throws -> ItemDetail {
        try require(identity, .viewSharedIntelligence)
        guard let item = try await IntelligenceItem.find(id, on: db) else { throw AppError.notFound("intelligence item") }
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0) })
        let (view, reason) = decision(for: item, identity: identity, agencies: agencies)
        guard let view else {
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.refused", recordType: "intelligence_item",
                                              recordID: id.uuidString, address: address, detail: via))
            throw AppError.notFound("intelligence item")
        }
        let report: ReportBrief?
        if case .full = view, let reportID = item.reportID { report = try await reports.brief(reportID) } else { report = nil }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.viewed", recordType: "intelligence_item",
                                          recordID: id.uuidString, address: address,
                                          detail: "\(via); \({ if case .full = view { return "full" } else { return "sanitised" } }())"))
        return ItemDetail(item: try Self.shown(item, view), view: view, reason: reason, report: report, originator: agencies[item.originatorAgencyID],
                          approved: item.approved.compactMap { agencies[$0] }.sorted { $0.name < $1.name })
    }

    /// The originating agency writes or changes the sanitised version and, for code C, which
    /// partners it has confirmed meet the conditions.
    func updateSharing(_ id: UUID, sanitised: String?, partnerTitle: String? = nil, approvedAgencies: [String], identity: Identity,
                       address: String) async throws -> IntelligenceItem {
        try require(identity, .analyseIntelligence)
        guard let item = try await IntelligenceItem.find(id, on: db), item.originatorAgencyID == identity.agencyID else {
            throw AppError.notFound("intelligence item")
        }
        var v = Validator()
        // Left out: unchanged.
        let text = sanitised.map { v.text($0, field: "sanitised", label: "Sanitised version", required: false, max: 10_000) } ?? item.sanitised
        let title = partnerTitle.map { v.text($0, field: "partnerTitle", label: "Title for partners", required: false, max: 200) } ?? item.partnerTitle
        let approved = try await self.approvedAgencies(approvedAgencies, handling: item.handling.flatMap(HandlingCode.init(rawValue:)), into: &v)
        guard v.errors.isEmpty else { throw AppError.invalid(v.errors) }
        let previously = item.approved
        item.sanitised = text
        item.partnerTitle = title
        item.approvedAgencies = approved.map(\.uuidString).joined(separator: ",")
        item.updatedAt = Date()
        let count = approved.count, shares = Self.shares(of: item, approved: approved.filter { !previously.contains($0) })
        try await db.transaction { tx in
            try await item.save(on: tx)
            _ = try await agreements.record(shares, tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "intelligence.sharing.updated", recordType: "intelligence_item",
                                              recordID: id.uuidString, address: address, detail: "\(count) approved agencies"), on: tx)
        }
        return item
    }
}
