import CairnCore
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Triage by hand: the triage team classifies a report again, and is shown the agency the
/// routing rules suggest.
extension ReportService {
    /// Re-classifies a report (triage team): the rules run again, urgency and due date follow.
    @discardableResult
    func reclassify(_ id: UUID, types: [String], countyLines: Bool, ageGroup: String, labourSector: String, dangerNow: Bool,
                    indicators: [ReportInput.IndicatorTick], identity: Identity, address: String, now: Date = Date()) async throws -> TriageResult {
        guard identity.can(.triageReports) else { throw AppError.forbidden }
        let catalogue = try await catalogue()
        return try await db.transaction { tx in
            let (report, _) = try await visibleReport(id, identity: identity, on: tx)
            guard report.reportStatus != .closed else {
                throw AppError(.conflict, title: "Report closed", "Re-open the report before changing how it is classified.")
            }
            var input = ReportInput()
            input.description = report.narrative
            input.exploitationTypes = types
            input.countyLines = countyLines
            input.ageGroup = ageGroup
            input.labourSector = labourSector
            input.indicators = indicators
            input.dangerNow = dangerNow
            let valid: ValidReport
            switch ReportValidation.validate(input, source: .practitioner, catalogue: catalogue, requireFormAnswers: false) {
            case .success(let v): valid = v
            case .failure(let issues): throw issues.appError
            }
            var answers = valid.triageAnswers(catalogue: catalogue)
            answers.area = report.postcodeDistrict
            let result = triage.assess(answers)
            report.exploitationTypes = Self.storage(valid.exploitation.types)
            report.countyLines = valid.exploitation.countyLines
            report.ageGroup = valid.ageGroup.rawValue
            report.labourSector = valid.labourSector?.rawValue
            report.dangerNow = valid.dangerNow
            report.classified = true
            report.urgency = result.urgency.rawValue
            report.triageRules = Self.json(result.firedRules)
            report.dueAt = deadlines.deadline(for: result.urgency, from: report.receivedAt)
            let from = report.reportStatus
            if from == .new { report.status = ReportStatus.triaged.rawValue }
            let decision = routing.route(answers, urgency: result.urgency)
            report.routingExplanation = decision.explanation
            report.updatedAt = now
            try await report.save(on: tx)
            try await ReportIndicator.query(on: tx).filter(\.$reportID == id).delete()
            for tick in valid.indicators {
                try await ReportIndicator(reportID: id, indicatorID: tick.indicator.id, version: tick.indicator.version, knowledge: tick.knowledge).create(on: tx)
            }
            try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: "triage", from: from.rawValue, to: report.status,
                                  note: "Classified. Urgency \(result.urgency.label.lowercased()). " + Self.ruleSummary(result)).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.triaged", recordType: "report", recordID: id.uuidString,
                                              address: address, detail: "urgency \(result.urgency.rawValue)"), on: tx)
            return result
        }
    }


    /// The agency the routing rules suggest for a report as it is now classified.
    func suggestedAgency(for report: Report, catalogue: IndicatorCatalogue) async throws -> (RoutingDecision, Agency?) {
        let ticks = try await indicatorTicks(of: report)
        let answers = TriageAnswers(dangerNow: report.dangerNow, ageGroup: report.age,
                                    exploitation: ExploitationSummary(types: report.types, countyLines: report.countyLines),
                                    labourSector: report.sector,
                                    indicators: ticks.compactMap { t in IndicatorKnowledge(rawValue: t.knowledge).map { IndicatorObservation(t.indicatorID, $0) } },
                                    catalogue: catalogue, area: report.postcodeDistrict)
        let decision = routing.route(answers, urgency: report.reportUrgency)
        let agencies = try await Agency.query(on: db).sort(\.$name).all()
        return (decision, Self.agency(for: decision.destination, among: agencies))
    }
}
