import CairnCore
import Foundation
import Logging

/// How intake asks whether an awareness campaign's code exists, without reading campaigns:
/// the campaigns offer the answer (`CampaignService.codes`), wired in `AppServices`. Reports
/// store only a code that exists; an unknown one is dropped and the report still accepted.
struct CampaignCodes: Sendable {
    /// Whether a campaign has this code (already normalised by `CampaignCode.normalise`).
    let exists: @Sendable (String) async throws -> Bool

    /// No campaigns: every code is unknown.
    static let none = CampaignCodes(exists: { _ in false })
}

extension ReportService {
    /// The code to store with a public report: the campaign's code when `text` names one, else
    /// nil. An unknown or malformed code is logged (that one was ignored, never the code or
    /// anything about the reporter) and dropped; the report is accepted either way.
    func campaignCode(_ text: String, source: ReportSource) async -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, source == .public else { return nil }
        if let code = CampaignCode.normalise(trimmed) {
            do {
                if try await campaignCodes.exists(code) { return code }
            } catch {
                database.logger.warning("campaign code could not be checked; the report is stored without it")
                return nil
            }
        }
        database.logger.notice("unknown campaign code ignored on a public report")
        return nil
    }
}
