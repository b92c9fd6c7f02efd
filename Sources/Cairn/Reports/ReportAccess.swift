import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

extension ReportService {
    /// How much of a report a person may see.
    enum Access: Sendable, Equatable {
        /// Triage team, the reporting agency, the assigned agency.
        case full
        /// An agency with a live referral sees what the referrer chose to share.
        case shared(Set<ShareCategory>)

        func allows(_ category: ShareCategory) -> Bool {
            switch self {
            case .full: true
            case .shared(let categories): categories.contains(category)
            }
        }
    }

    var reportAccess: ReportAccess { ReportAccess(database: database) }

    func access(to report: Report, for identity: Identity, on db: (any Database)? = nil) async throws -> Access? {
        try await reportAccess.access(to: report, for: identity, on: db)
    }

    /// The report, whole, if the person may see it, else 404 (never 403: its existence is not
    /// disclosed). For deciding and changing; what is shown goes through `ReportAccess.shown`.
    func visibleReport(_ id: UUID, identity: Identity, on db: (any Database)? = nil) async throws -> (Report, Access) {
        try await reportAccess.visibleReport(id, identity: identity, on: db)
    }
}

/// Who may see a report, and which parts of it. Every reading path (lists, search, the report
/// page, the API, cases opened from a report) asks here.
///
/// An agency with a live referral (pending, accepted or completed) sees the sections the
/// referrer ticked, and always the summary:
///
/// - summary: reference, source, status, urgency and due date, when received, what happened,
///   when, types, county lines, age group, labour sector, danger now, the reporting and
///   assigned agencies, and the urgency reasons that do not come from indicators;
/// - location: the place, the postcode and its district, address mentions;
/// - mentions: people, phones, vehicles, businesses and online details, as text and as mentions;
/// - indicators: the indicators ticked and the urgency reasons that come from them;
/// - reporter contact: the reporter's type, language and contact details.
///
/// Never shared by a referral: the outcome (its kind, date and note), the routing explanation,
/// other agencies' referrals, and the history, except the entries the referred agency wrote
/// itself (its replies to the referral). Those are the holding agency's working record.
struct ReportAccess: Sendable {
    let database: CairnDatabase
    var db: any Database { database.db }

    typealias Access = ReportService.Access

    func access(to report: Report, for identity: Identity, on db: (any Database)? = nil) async throws -> Access? {
        guard let id = report.id else { return nil }
        if identity.can(.triageReports) { return .full }
        guard identity.can(.viewReports) else { return nil }
        if ReportRule.heldInFull(by: identity.agencyID).holds(report) { return .full }
        return try await sharedLevels([id], agencyID: identity.agencyID, on: db)[id]
    }

    /// What each of `reports` the person may see, in one query; reports they may not see are absent.
    func levels(_ reports: [Report], identity: Identity) async throws -> [UUID: Access] {
        guard identity.can(.viewReports) || identity.can(.triageReports) else { return [:] }
        var levels: [UUID: Access] = [:]
        var others: [UUID] = []
        for report in reports {
            guard let id = report.id else { continue }
            if identity.can(.triageReports) || ReportRule.heldInFull(by: identity.agencyID).holds(report) {
                levels[id] = .full
            } else {
                others.append(id)
            }
        }
        for chunk in SQLRows.chunks(others) {
            levels.merge(try await sharedLevels(chunk, agencyID: identity.agencyID), uniquingKeysWith: { a, _ in a })
        }
        return levels
    }

    /// The categories live referrals to the agency share, per report (summary always).
    private func sharedLevels(_ ids: [UUID], agencyID: UUID, on db: (any Database)? = nil) async throws -> [UUID: Access] {
        guard !ids.isEmpty else { return [:] }
        let referrals = try await Referral.query(on: db ?? self.db).filter(\.$reportID ~~ ids).filter(\.$toAgencyID == agencyID).live().all()
        var categories: [UUID: Set<ShareCategory>] = [:]
        for referral in referrals {
            categories[referral.reportID, default: [.summary]].formUnion(referral.sharedCategories)
        }
        return categories.mapValues { .shared($0) }
    }

    func visibleReport(_ id: UUID, identity: Identity, on db: (any Database)? = nil) async throws -> (Report, Access) {
        guard let report = try await Report.find(id, on: db ?? self.db),
              let access = try await access(to: report, for: identity, on: db) else { throw AppError.notFound("report") }
        return (report, access)
    }

    /// The report with this reference if the person may see it; nil alike for a reference
    /// that is malformed, unknown, or of a report they may not see.
    func visibleReport(reference text: String, identity: Identity) async throws -> (Report, Access)? {
        guard let reference = try? ReportReference(parsing: text.trimmingCharacters(in: .whitespaces)),
              let report = try await Report.query(on: db).filter(\.$reference == reference.value).first(),
              let access = try await access(to: report, for: identity) else { return nil }
        return (report, access)
    }

    // MARK: What is shown

    /// Triage rules that fire on the indicators ticked: their explanation tells what was ticked.
    static let indicatorRules: Set<String> = ["indicators-in-many-dimensions", "cuckooing", "indicators-present"]

    /// What a reader with `access` may be shown of `report`. Full access: the report itself. A
    /// referral: a detached copy (never saved; it is not the stored row) with every section the
    /// referrer did not share emptied, so no page or API answer built from it can show them.
    static func shown(_ report: Report, _ access: Access) throws -> Report {
        guard case .shared = access else { return report }
        // A copy through Codable carries every field, including ones added later.
        let copy = try JSONDecoder().decode(Report.self, from: JSONEncoder().encode(report))
        if !access.allows(.location) {
            copy.location = ""
            copy.postcode = nil
            copy.postcodeDistrict = nil
        }
        if !access.allows(.mentions) {
            copy.peopleText = ""
            copy.vehiclesText = ""
            copy.phonesText = ""
            copy.businessesText = ""
            copy.websitesText = ""
        }
        if !access.allows(.reporterContact) {
            copy.reporterType = ""
            copy.language = ""
            copy.contactName = nil
            copy.contactPhone = nil
            copy.contactEmail = nil
            copy.contactBestTime = nil
        }
        if !access.allows(.indicators) {
            let kept = report.firedRules.filter { !indicatorRules.contains($0.id) }
            copy.triageRules = String(decoding: (try? JSONEncoder().encode(kept)) ?? Data("[]".utf8), as: UTF8.self)
        }
        // The holder's working record, and nothing a reader needs.
        copy.outcome = nil
        copy.outcomeDate = nil
        copy.outcomeNote = nil
        copy.routingExplanation = ""
        copy.passphraseHash = nil
        copy.idempotencyKey = nil
        copy.requestFingerprint = nil
        copy.createdByID = nil
        return copy
    }

    /// The history a reader may see: all of it, or, through a referral, only what their own
    /// agency wrote.
    static func shownEvents(_ events: [ReportEvent], _ access: Access, agencyID: UUID) -> [ReportEvent] {
        guard case .shared = access else { return events }
        return events.filter { $0.agencyID == agencyID }
    }

    static func shownMentions(_ mentions: [ReportMention], _ access: Access) -> [ReportMention] {
        mentions.filter { access.allows($0.kind == MentionKind.address.rawValue ? .location : .mentions) }
    }

    // MARK: In SQL, for lists and search

    /// True for a `reports` row whose `category` the agency may read: it made or holds the
    /// report, or a live referral to it shares the category (`ReportRule.readable`).
    static func mayRead(_ category: ShareCategory, agencyID: UUID) -> SQLQueryString {
        ReportRule.readable(category, by: agencyID).sql
    }

    /// `column` contains `text` (`SQLLike`: wildcards taken literally, one case rule on both
    /// databases), where the reader may read the section `column` belongs to.
    static func matches(_ column: String, _ text: String, section: ShareCategory, identity: Identity) -> DatabaseQuery.Filter {
        let like = SQLLike(SQLColumn(column, table: Report.schema), .contains, text)
        if identity.can(.triageReports) || section == .summary { return like.filter }
        return .sql(embed: "(\(like) AND \(mayRead(section, agencyID: identity.agencyID)))")
    }
}
