import CairnCore
import FluentKit
import Foundation

extension CaseSupportService {
    /// Partnership-level case figures: counts only, never a case or a person. Small numbers
    /// are suppressed where they are shown (`CaseFigures.threshold`).
    struct Figures: Sendable {
        var total = 0
        var byStatus: [(String, Int)] = []
        var byStage: [(String, Int)] = []
        var byRisk: [(String, Int)] = []
        /// Per core outcome, across cases with at least two reviews rating it: first against latest.
        var movement: [(outcome: String, cases: Int, improved: Int, same: Int, worse: Int, first: Double, latest: Double)] = []
    }

    func figures(identity: Identity, address: String) async throws -> Figures {
        guard identity.can(.viewCaseStatistics) else { throw AppError.forbidden }
        let cases = try await SupportCase.query(on: db).all()
        let nrms = Dictionary(try await CaseNRM.query(on: db).all().map { ($0.caseID, $0.referral) }, uniquingKeysWith: { a, _ in a })
        let notified = Set(try await CaseDutyToNotify.query(on: db).all().map(\.caseID))
        let reviews = Dictionary(grouping: try await CaseOutcomeReview.query(on: db).all(), by: \.caseID)
        var figures = Figures()
        figures.total = cases.count
        figures.byStatus = CaseStatus.allCases.map { status in (status.label, cases.filter { $0.caseStatus == status }.count) }
        figures.byRisk = RiskLevel.allCases.reversed().map { level in (level.rawValue.capitalized, cases.filter { $0.risk == level }.count) }
        let caseIDs = try cases.map { try $0.requireID() }
        var stages: [(String, Int)] = NRMStage.allCases.map { stage in (stage.label, caseIDs.filter { nrms[$0]?.stage == stage }.count) }
        stages.append(("Duty to Notify made (no NRM referral)", caseIDs.filter { nrms[$0] == nil && notified.contains($0) }.count))
        stages.append(("Neither yet", caseIDs.filter { nrms[$0] == nil && !notified.contains($0) }.count))
        figures.byStage = stages
        for outcome in CoreOutcome.allCases {
            var improved = 0, same = 0, worse = 0, firstSum = 0, latestSum = 0, counted = 0
            for (_, rows) in reviews {
                let rated = rows.compactMap(\.review).filter { $0.ratings[outcome] != nil }.sorted { $0.date < $1.date }
                guard rated.count >= 2, let first = rated.first?.ratings[outcome], let latest = rated.last?.ratings[outcome] else { continue }
                counted += 1
                firstSum += first.score
                latestSum += latest.score
                if latest > first { improved += 1 } else if latest < first { worse += 1 } else { same += 1 }
            }
            figures.movement.append((outcome.label, counted, improved, same, worse,
                                     counted == 0 ? 0 : Double(firstSum) / Double(counted), counted == 0 ? 0 : Double(latestSum) / Double(counted)))
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.figures.viewed", recordType: "case", address: address))
        return figures
    }
}
