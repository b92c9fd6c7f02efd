import FluentKit
import Foundation

/// The rows of a batch of generated reports and cases, table by table in an order the foreign
/// keys allow, written in one transaction: multi-row inserts with bound parameters (on SQLite
/// through `SQLiteDirect`, one prepared statement per table; elsewhere through SQLKit, as
/// `SQLRows.insert` splits them), the path report intake and linking write by.
///
/// Reports and their events, checklist answers and mentions use intake's own column lists
/// (`ReportService+IntakeRows.swift`) with the rows of `GenerateRecords.swift`; the lists here
/// name every field of their models the same way, and `GenerateTests` holds each to its model as
/// `IntakeColumnTests` does intake's.
struct GenerateBatch {
    enum Table: Int, CaseIterable {
        case reports, events, indicators, mentions, referrals, cases, identities, team, consents, nrm, dutyToNotify, reviews, warnings

        var name: String {
            switch self {
            case .reports: Report.schema
            case .events: ReportEvent.schema
            case .indicators: ReportIndicator.schema
            case .mentions: ReportMention.schema
            case .referrals: Referral.schema
            case .cases: SupportCase.schema
            case .identities: CaseIdentityRecord.schema
            case .team: CaseTeamMember.schema
            case .consents: CaseConsent.schema
            case .nrm: CaseNRM.schema
            case .dutyToNotify: CaseDutyToNotify.schema
            case .reviews: CaseOutcomeReview.schema
            case .warnings: CaseWarning.schema
            }
        }

        var columns: [String] {
            switch self {
            case .reports: ReportService.reportColumns
            case .events: ReportService.eventColumns
            case .indicators: ReportService.indicatorColumns
            case .mentions: ReportService.mentionColumns
            case .referrals: ReferralRecord.columns
            case .cases: GenerateBatch.caseColumns
            case .identities: GenerateBatch.identityColumns
            case .team: GenerateBatch.teamColumns
            case .consents: GenerateBatch.consentColumns
            case .nrm: GenerateBatch.nrmColumns
            case .dutyToNotify: GenerateBatch.dutyToNotifyColumns
            case .reviews: GenerateBatch.reviewColumns
            case .warnings: GenerateBatch.warningColumns
            }
        }
    }

    private(set) var rows: [[[SQLValue]]] = Table.allCases.map { _ in [] }
    private(set) var reportCount = 0
    private(set) var caseCount = 0

    var isEmpty: Bool { reportCount == 0 && caseCount == 0 }

    mutating func add(_ g: GeneratedReport) {
        reportCount += 1
        rows[Table.reports.rawValue].append(g.report.row)
        rows[Table.events.rawValue] += g.events.map(\.row)
        rows[Table.indicators.rawValue] += g.indicators.map(\.row)
        rows[Table.mentions.rawValue] += g.mentions.map(\.row)
        rows[Table.referrals.rawValue] += g.referrals.map(\.row)
    }

    mutating func add(_ c: GeneratedCase) {
        caseCount += 1
        rows[Table.cases.rawValue].append(Self.caseRow(c.record))
        rows[Table.identities.rawValue].append(Self.identityRow(c.identity))
        rows[Table.team.rawValue] += c.team.map(Self.teamRow)
        rows[Table.consents.rawValue] += c.consents.map(Self.consentRow)
        rows[Table.nrm.rawValue] += c.nrm.map { [Self.nrmRow($0)] } ?? []
        rows[Table.dutyToNotify.rawValue] += c.dutyToNotify.map { [Self.dutyToNotifyRow($0)] } ?? []
        rows[Table.reviews.rawValue] += c.reviews.map(Self.reviewRow)
        rows[Table.warnings.rawValue] += c.warnings.map(Self.warningRow)
    }

    /// Rows per table in this batch.
    var counts: [Int] { rows.map(\.count) }

    var steps: SQLWriteSteps {
        var steps = SQLWriteSteps()
        for table in Table.allCases { steps.insert(into: table.name, columns: table.columns, rows: rows[table.rawValue]) }
        return steps
    }

    // MARK: Columns and rows

    static let caseColumns = ["id", "code", "chosen_name", "status", "risk_level", "interpreter_needed", "language", "account", "lead_agency_id",
                              "report_id", "opened_at", "opened_by_id", "closed_at", "closure_reason", "follow_up_plan", "updated_at", "age_group"]

    static func caseRow(_ c: SupportCase) -> [SQLValue] {
        [SQLValue(c.id), SQLValue(c.code), SQLValue(c.chosenName), SQLValue(c.status), SQLValue(c.riskLevel), SQLValue(c.interpreterNeeded),
         SQLValue(c.language), SQLValue(c.account), SQLValue(c.leadAgencyID), SQLValue(c.reportID), SQLValue(c.openedAt), SQLValue(c.openedByID),
         SQLValue(c.closedAt), SQLValue(c.closureReason), SQLValue(c.followUpPlan), SQLValue(c.updatedAt), SQLValue(c.ageGroup)]
    }

    static let identityColumns = ["id", "case_id", "legal_name", "date_of_birth", "nationality", "languages", "contact"]

    static func identityRow(_ p: CaseIdentityRecord) -> [SQLValue] {
        [SQLValue(p.id), SQLValue(p.caseID), SQLValue(p.legalName), SQLValue(p.dateOfBirth), SQLValue(p.nationality), SQLValue(p.languages),
         SQLValue(p.contact)]
    }

    static let teamColumns = ["id", "case_id", "user_id", "added_at", "added_by_id"]

    static func teamRow(_ m: CaseTeamMember) -> [SQLValue] {
        [SQLValue(m.id), SQLValue(m.caseID), SQLValue(m.userID), SQLValue(m.addedAt), SQLValue(m.addedByID)]
    }

    static let consentColumns = ["id", "case_id", "categories", "purposes", "agencies", "method", "interpreter_language", "valid_from",
                                 "valid_until", "withdrawn_on", "withdrawn_note", "nrm_consent", "anonymised_sharing", "recorded_by_id", "recorded_at"]

    static func consentRow(_ c: CaseConsent) -> [SQLValue] {
        [SQLValue(c.id), SQLValue(c.caseID), SQLValue(c.categories), SQLValue(c.purposes), SQLValue(c.agencies), SQLValue(c.method),
         SQLValue(c.interpreterLanguage), SQLValue(c.validFrom), SQLValue(c.validUntil), SQLValue(c.withdrawnOn), SQLValue(c.withdrawnNote),
         SQLValue(c.nrmConsent), SQLValue(c.anonymisedSharing), SQLValue(c.recordedByID), SQLValue(c.recordedAt)]
    }

    static let nrmColumns = ["id", "case_id", "referral_date", "first_responder", "reference", "competent_authority", "rg_decision", "rg_date",
                             "cg_decision", "cg_date", "reconsiderations", "updated_by_id", "updated_at"]

    static func nrmRow(_ n: CaseNRM) -> [SQLValue] {
        [SQLValue(n.id), SQLValue(n.caseID), SQLValue(n.referralDate), SQLValue(n.firstResponder), SQLValue(n.reference),
         SQLValue(n.competentAuthority), SQLValue(n.rgDecision), SQLValue(n.rgDate), SQLValue(n.cgDecision), SQLValue(n.cgDate),
         SQLValue(n.reconsiderations), SQLValue(n.updatedByID), SQLValue(n.updatedAt)]
    }

    static let dutyToNotifyColumns = ["id", "case_id", "record", "recorded_by_id", "recorded_at"]

    static func dutyToNotifyRow(_ d: CaseDutyToNotify) -> [SQLValue] {
        [SQLValue(d.id), SQLValue(d.caseID), SQLValue(d.record), SQLValue(d.recordedByID), SQLValue(d.recordedAt)]
    }

    static let reviewColumns = ["id", "case_id", "point", "review_date", "ratings", "note", "recorded_by_id", "recorded_at"]

    static func reviewRow(_ r: CaseOutcomeReview) -> [SQLValue] {
        [SQLValue(r.id), SQLValue(r.caseID), SQLValue(r.point), SQLValue(r.reviewDate), SQLValue(r.ratings), SQLValue(r.note),
         SQLValue(r.recordedByID), SQLValue(r.recordedAt)]
    }

    static let warningColumns = ["id", "case_id", "sign", "observed_on", "note", "recorded_by_id", "recorded_at"]

    static func warningRow(_ w: CaseWarning) -> [SQLValue] {
        [SQLValue(w.id), SQLValue(w.caseID), SQLValue(w.sign), SQLValue(w.observedOn), SQLValue(w.note), SQLValue(w.recordedByID),
         SQLValue(w.recordedAt)]
    }
}
