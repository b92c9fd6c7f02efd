import CairnCore
import FluentKit
import Foundation

/// The report a case is opened from, as the caseworker may see it.
struct CaseSourceReport: Sendable {
    let id: UUID
    let reference: String
    /// `AgeGroup` raw value, as the report records it.
    let ageGroup: String
}

/// What an NRM referral draft shows of the report its case came from: only what the drafter
/// may see of it (a referral may share only some sections; the rest comes back empty).
struct NRMReportSummary: Sendable {
    struct Indicator: Sendable {
        /// The wording ticked (the version shown when the report was made).
        let text: String
        /// `IndicatorKnowledge` raw value: observed or disclosed.
        let knowledge: String
    }

    let types: Set<ExploitationType>
    let countyLines: Bool
    let location: String
    let postcode: String?
    let occurred: String
    /// Empty when the drafter may not see the report's indicators.
    let indicators: [Indicator]
}

/// The reads Cases makes of reports: each answers only for a report the person may see
/// (`ReportAccess`), and nil alike for one that does not exist.
extension ReportDirectory {
    private var access: ReportAccess { ReportAccess(database: database) }

    /// The report with this reference, if the person may see it (a case is opened from it).
    func caseSource(reference: String, identity: Identity) async throws -> CaseSourceReport? {
        guard let (report, _) = try await access.visibleReport(reference: reference, identity: identity), let id = report.id else { return nil }
        return CaseSourceReport(id: id, reference: report.reference, ageGroup: report.ageGroup)
    }

    /// The report a case came from, if the person may see it; nil also when it cannot be read.
    func caseSource(_ id: UUID, identity: Identity) async -> CaseSourceReport? {
        guard let (report, _) = try? await access.visibleReport(id, identity: identity) else { return nil }
        return CaseSourceReport(id: id, reference: report.reference, ageGroup: report.ageGroup)
    }

    /// The report a case came from as an NRM referral draft shows it, if the person may see it:
    /// its sections as the person's access shows them, and its ticked indicators' wording when
    /// the person may see the indicators.
    func nrmSummary(ofReport id: UUID, identity: Identity) async throws -> NRMReportSummary? {
        guard let (found, level) = try? await access.visibleReport(id, identity: identity) else { return nil }
        let report = try ReportAccess.shown(found, level)
        var indicators: [NRMReportSummary.Indicator] = []
        if level.allows(.indicators) {
            let ticks = try await ReportService.indicatorTicks(of: try report.requireID(), on: db)
            let versions = try await ReportService.indicatorVersions(ticks.map { ($0.indicatorID, $0.indicatorVersion) }, on: db)
            indicators = ticks.compactMap { tick in
                versions["\(tick.indicatorID)#\(tick.indicatorVersion)"].map { .init(text: $0.text, knowledge: tick.knowledge) }
            }
        }
        return NRMReportSummary(types: report.types, countyLines: report.countyLines, location: report.location, postcode: report.postcode,
                                occurred: report.occurred, indicators: indicators)
    }
}
