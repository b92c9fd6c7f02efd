import Testing
@testable import CairnCore

@Suite struct NRMTests {
    let today = day("2026-11-23")

    func referral(_ date: String = "2026-11-20") -> NRMReferral {
        NRMReferral(referralDate: day(date), firstResponderOrganisation: "Northshire Police", competentAuthority: .singleCompetentAuthority)
    }

    @Test func reasonableGroundsTargetIsFiveWorkingDays() {
        #expect(referral("2026-11-20").reasonableGroundsTarget() == day("2026-11-27"))
        // Referred the day before Good Friday 2026: the target skips the Easter weekend.
        #expect(referral("2026-04-02").reasonableGroundsTarget() == day("2026-04-13"))
    }

    @Test func overdueOnlyAfterTheTargetAndOnlyWithoutADecision() {
        var r = referral("2026-11-20")
        #expect(!r.isReasonableGroundsOverdue(on: day("2026-11-27")))
        #expect(r.isReasonableGroundsOverdue(on: day("2026-11-28")))
        r.reasonableGrounds = .init(.positive, on: day("2026-11-30"))
        #expect(!r.isReasonableGroundsOverdue(on: day("2026-12-10")))
    }

    @Test func stagesFollowTheDecisions() {
        var r = referral("2026-09-01")
        #expect(r.stage == .awaitingReasonableGrounds)
        r.reasonableGrounds = .init(.positive, on: day("2026-09-07"))
        #expect(r.stage == .recoveryPeriod)
        #expect(r.recoveryPeriodEarliestEnd == day("2026-10-07"))
        r.conclusiveGrounds = .init(.negative, on: day("2026-11-02"))
        #expect(r.stage == .negativeConclusiveGrounds)
        r.reconsiderations = [ReconsiderationRequest(of: .conclusiveGrounds, requestedOn: day("2026-11-05"))]
        #expect(r.stage == .reconsiderationRequested)
        r.reconsiderations[0].outcome = .init(.positive, on: day("2026-11-20"))
        #expect(r.stage == .positiveConclusiveGrounds)
        #expect(r.validate(today: today).isEmpty)
    }

    @Test func negativeReasonableGroundsHasNoRecoveryPeriod() {
        var r = referral()
        r.reasonableGrounds = .init(.negative, on: day("2026-11-23"))
        #expect(r.stage == .negativeReasonableGrounds)
        #expect(r.recoveryPeriodEarliestEnd == nil)
    }

    @Test func decisionBeforeReferralIsAnError() {
        var r = referral("2026-11-20")
        r.reasonableGrounds = .init(.positive, on: day("2026-11-19"))
        let issues = r.validate(today: today)
        #expect(issues.map(\.field) == ["reasonableGrounds.date"])
        #expect(issues[0].message.contains("cannot be before the referral"))
    }

    @Test func conclusiveBeforeReasonableGroundsIsAnError() {
        var r = referral("2026-09-01")
        r.reasonableGrounds = .init(.positive, on: day("2026-09-10"))
        r.conclusiveGrounds = .init(.positive, on: day("2026-09-09"))
        #expect(r.validate(today: today).map(\.field) == ["conclusiveGrounds.date"])
    }

    @Test func conclusiveNeedsAPositiveReasonableGrounds() {
        var r = referral("2026-09-01")
        r.conclusiveGrounds = .init(.positive, on: day("2026-10-09"))
        #expect(r.validate(today: today).map(\.field) == ["conclusiveGrounds"])
        r.reasonableGrounds = .init(.negative, on: day("2026-09-05"))
        #expect(r.validate(today: today).map(\.field) == ["conclusiveGrounds"])
        r.reconsiderations = [ReconsiderationRequest(of: .reasonableGrounds, requestedOn: day("2026-09-08"),
                                                     outcome: .init(.positive, on: day("2026-09-20")))]
        #expect(r.validate(today: today).isEmpty)
    }

    @Test func reconsiderationDatesAreChecked() {
        var r = referral("2026-09-01")
        r.reconsiderations = [ReconsiderationRequest(of: .reasonableGrounds, requestedOn: day("2026-09-02"))]
        #expect(r.validate(today: today).map(\.field) == ["reconsiderations[0].decision"])
        r.reasonableGrounds = .init(.negative, on: day("2026-09-05"))
        r.reconsiderations[0].outcome = .init(.positive, on: day("2026-09-01"))
        #expect(Set(r.validate(today: today).map(\.field)) == ["reconsiderations[0].requestedOn", "reconsiderations[0].outcome.date"])
    }

    @Test func futureDatesAndMissingFirstResponderAreErrors() {
        var r = NRMReferral(referralDate: day("2026-11-24"), firstResponderOrganisation: "  ")
        #expect(Set(r.validate(today: today).map(\.field)) == ["firstResponderOrganisation", "referralDate"])
        r.firstResponderOrganisation = "Northshire County Council"
        r.referralDate = today
        #expect(r.validate(today: today).isEmpty)
    }

    @Test func competentAuthoritiesAreStoredAsShortCodes() {
        #expect(CompetentAuthority.allCases.map(\.rawValue) == ["sca", "ieca", "devolved_child_pilot"])
    }
}
