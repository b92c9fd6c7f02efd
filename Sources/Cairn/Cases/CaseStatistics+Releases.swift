import CairnCore
import FluentKit
import Foundation

/// One person referred in a release period, as statistics may count them: categories only.
/// The first responder's name and the report the case came from stay inside the release
/// computation, which turns them into a referral route and an exploitation type and area.
struct ReferralFact: Sendable {
    let quarter: ReleasePeriod
    let age: AgeCategory
    let gender: GenderCategory
    let nationality: NationalityGroup
    /// The NRM first responder organisation as recorded; nil for a Duty to Notify.
    let firstResponder: String?
    let outcome: ReferralOutcome
    /// Known from a Duty to Notify record; otherwise read from the case's report.
    let exploitation: ExploitationCategory?
    let reportID: UUID?
}

extension CaseStatistics {
    /// Every NRM referral dated in the period, and every Duty to Notify notification made in
    /// it, with the outcome as it stood on `asOf` (the release's period end, or earlier).
    func referralFacts(_ period: ReleasePeriod, asOf: CalendarDate) async throws -> [ReferralFact] {
        let from = period.firstDay.description, through = period.lastDay.description
        var facts: [ReferralFact] = []
        let referrals = try await CaseNRM.query(on: db).filter(\.$referralDate >= from).filter(\.$referralDate <= through).all()
        let notices = try await CaseDutyToNotify.query(on: db).all()
        let caseIDs = Array(Set(referrals.map(\.caseID) + notices.map(\.caseID)))
        var cases: [UUID: (age: AgeGroup, report: UUID?)] = [:]
        var nationalities: [UUID: String] = [:]
        for chunk in stride(from: 0, to: caseIDs.count, by: 500).map({ Array(caseIDs[$0 ..< min($0 + 500, caseIDs.count)]) }) {
            for row in try await SupportCase.query(on: db).filter(\.$id ~~ chunk).all() {
                guard let id = row.id else { continue }
                cases[id] = (AgeGroup(rawValue: row.ageGroup) ?? .unknown, row.reportID)
            }
            for row in try await CaseIdentityRecord.query(on: db).filter(\.$caseID ~~ chunk).all() {
                nationalities[row.caseID] = row.nationality
            }
        }
        for row in referrals {
            guard let known = cases[row.caseID], let referred = try? CalendarDate(parsing: row.referralDate) else { continue }
            let referral = row.referral
            facts.append(ReferralFact(
                quarter: ReleasePeriod(quarterOf: referred), age: AgeCategory.of(known.age), gender: .notKnown,
                nationality: NationalityGroup.of(nationalities[row.caseID]), firstResponder: row.firstResponder,
                outcome: ReferralOutcome.of(reasonableGrounds: referral.reasonableGrounds, conclusiveGrounds: referral.conclusiveGrounds, on: asOf),
                exploitation: nil, reportID: known.report))
        }
        for row in notices {
            guard let record = try? JSONDecoder().decode(DutyToNotifyRecord.self, from: Data(row.record.utf8)),
                  record.notifiedOn >= period.firstDay, record.notifiedOn <= period.lastDay else { continue }
            facts.append(ReferralFact(
                quarter: ReleasePeriod(quarterOf: record.notifiedOn), age: .adult, gender: GenderCategory.of(record.gender),
                nationality: NationalityGroup.of(record.nationality), firstResponder: nil, outcome: .notInNRM,
                exploitation: ExploitationCategory.of(record.exploitationTypes), reportID: cases[row.caseID]?.report))
        }
        return facts
    }
}
