import CairnCore
import FluentKit
import Foundation

/// The links of a report, and one link with its explanation.
extension IntelligenceService {
    struct LinkedReport: Sendable {
        let link: ReportLink
        let other: ReportBrief
        let otherIsEarlier: Bool
    }

    /// A report's links, strongest first, and the network it is in.
    struct ReportLinks: Sendable {
        let report: ReportBrief
        let links: [LinkedReport]
        /// nil when the report is in no network.
        let networkID: UUID?
        let networkSize: Int
    }

    /// The reports linked to one report, strongest first, with the network the report is in
    /// (the report page's panel and the API). One audit entry.
    func reportLinks(of reportID: UUID, identity: Identity, address: String, via: String) async throws -> ReportLinks {
        try require(identity, .analyseIntelligence)
        guard let report = try await reports.brief(reportID) else { throw AppError.notFound("report") }
        let rows = try await ReportLink.query(on: db).group(.or) { $0.filter(\.$earlierReportID == reportID).filter(\.$laterReportID == reportID) }.all()
        let others = try await reports.briefs(rows.map { $0.other(than: reportID) })
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.links.viewed", recordType: "report", recordID: reportID.uuidString,
                                          address: address, detail: "\(via); \(rows.count) links"))
        let linked = rows.compactMap { link in
            others[link.other(than: reportID)].map { LinkedReport(link: link, other: $0, otherIsEarlier: link.laterReportID == reportID) }
        }.sorted { ($0.link.probability, $0.other.receivedAt) > ($1.link.probability, $1.other.receivedAt) }
        let network = try await ReportNetwork.find(reportID, on: db)?.networkID
        var size = 0
        if let network { size = try await ReportNetwork.query(on: db).filter(\.$networkID == network).count() }
        return ReportLinks(report: report, links: linked, networkID: network, networkSize: size)
    }

    struct LinkDetail: Sendable {
        let link: ReportLink
        let earlier: ReportBrief
        let later: ReportBrief
        let networkID: UUID?
    }

    func link(_ id: UUID, identity: Identity, address: String, via: String) async throws -> LinkDetail {
        try require(identity, .analyseIntelligence)
        guard let link = try await ReportLink.find(id, on: db) else { throw AppError.notFound("link") }
        let both = try await reports.briefs([link.earlierReportID, link.laterReportID])
        guard let earlier = both[link.earlierReportID], let later = both[link.laterReportID] else { throw AppError.notFound("link") }
        let network = try await ReportNetwork.find(earlier.id, on: db)?.networkID
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "link.viewed", recordType: "report_link", recordID: id.uuidString,
                                          address: address, detail: via))
        return LinkDetail(link: link, earlier: earlier, later: later, networkID: network)
    }
}
