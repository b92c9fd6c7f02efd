import Testing
@testable import CairnCore

@Suite struct SurvivorSupportTests {
    let today = day("2026-11-23")

    @Test func needDomainsAreTheElevenAgreed() {
        #expect(NeedDomain.allCases.count == 11)
        #expect(NeedDomain.peerSupport.rawValue == "peer_support")
        #expect(NeedDomain.immigration.htcdsSupportPlanType == .legal)
        #expect(NeedUrgency.immediate > .routine)
    }

    @Test func tasksAreOverdueOnlyWhenOpenAndPastDue() {
        var task = CarePlanTask(need: .accommodation, ownerAgency: "council-housing", dueDate: day("2026-11-22"))
        #expect(task.isOverdue(on: today))
        #expect(!task.isOverdue(on: day("2026-11-22")))
        task.status = .done
        #expect(!task.isOverdue(on: today))
        #expect(!CarePlanTask(need: .safety, ownerAgency: "police").isOverdue(on: today))
    }

    @Test func tasksNeedConsentForTheOwningAgency() {
        let consent = ConsentRecord(categories: [.needsAndCarePlan], purposes: [.supportAndCarePlanning],
                                    agencies: ["council-housing"], method: .verbalWithInterpreter,
                                    interpreterLanguage: "Albanian", validFrom: day("2026-11-01"))
        let housing = CarePlanTask(need: .accommodation, ownerAgency: "council-housing")
        let legal = CarePlanTask(need: .legalAdvice, ownerAgency: "law-centre")
        #expect(housing.validate(consents: [consent], on: today).isEmpty)
        #expect(legal.validate(consents: [consent], on: today).map(\.field) == ["ownerAgency"])
        var withdrawn = consent
        withdrawn.withdrawnOn = today
        #expect(housing.validate(consents: [withdrawn], on: today).map(\.field) == ["ownerAgency"])
    }

    @Test func theSevenCoreOutcomes() {
        #expect(CoreOutcome.allCases.map(\.label) == [
            "Secure and suitable housing", "Safety from any trafficker or other abuser", "Long-term, consistent support",
            "Compassionate, trauma-informed services", "Finding purpose in life and self-actualisation",
            "Access to medical treatment", "Access to education",
        ])
        #expect(OutcomeRating.notAtAll.score == 1 && OutcomeRating.fully.score == 5)
    }

    @Test func reviewPointsFallDueByCalendarMonth() {
        let opened = day("2026-01-31")
        #expect(ReviewPoint.intake.dueDate(caseOpened: opened) == opened)
        #expect(ReviewPoint.oneMonth.dueDate(caseOpened: opened) == day("2026-02-28"))
        #expect(ReviewPoint.threeMonths.dueDate(caseOpened: opened) == day("2026-04-30"))
        #expect(ReviewPoint.twelveMonths.dueDate(caseOpened: opened) == day("2027-01-31"))
        #expect(ReviewPoint.exit.dueDate(caseOpened: opened) == nil)
        let next = ReviewPoint.next(caseOpened: opened, completed: [.intake, .oneMonth])
        #expect(next?.point == .threeMonths && next?.due == day("2026-04-30"))
        #expect(ReviewPoint.next(caseOpened: opened, completed: Set(ReviewPoint.allCases).subtracting([.exit])) == nil)
    }

    @Test func movementBetweenReviews() {
        let intake = OutcomeReview(point: .intake, date: day("2026-01-31"), ratings: [.secureSuitableHousing: .notAtAll, .education: .aLittle])
        let later = OutcomeReview(point: .threeMonths, date: day("2026-04-30"), ratings: [.secureSuitableHousing: .mostly, .medicalTreatment: .fully])
        #expect(later.movement(since: intake) == [.secureSuitableHousing: 3])
    }

    @Test func reexploitationRiskRule() {
        #expect(ReexploitationRisk.assess([], on: today).level == .low)
        #expect(ReexploitationRisk.assess([.init(.missedContacts, on: day("2026-11-20"))], on: today).level == .medium)
        let two = ReexploitationRisk.assess([.init(.missedContacts, on: day("2026-11-20")), .init(.newDebt, on: day("2026-10-01"))], on: today)
        #expect(two.level == .high)
        #expect(two.reasons.first?.contains("missed contacts") == true)
        let severe = ReexploitationRisk.assess([.init(.contactFromExploiter, on: day("2026-11-23"))], on: today)
        #expect(severe.level == .high && severe.reasons.first?.contains("exploiter") == true)
        // Old signs are history, not current risk; the same sign twice is still one sign.
        #expect(ReexploitationRisk.assess([.init(.goingMissing, on: day("2026-01-01"))], on: today).level == .low)
        #expect(ReexploitationRisk.assess([.init(.newDebt, on: day("2026-11-01")), .init(.newDebt, on: day("2026-11-10"))], on: today).level == .medium)
    }

    @Test func closingNeedsAReasonAndAFollowUpPlan() throws {
        #expect(throws: ValidationFailure.self) { try CaseClosure(reason: .goalsMet, followUpPlan: " ", closedOn: today) }
        let closure = try CaseClosure(reason: .transferredToAnotherService, followUpPlan: "Caseworker calls at 3 months.", closedOn: today)
        #expect(throws: ValidationFailure.self) { try CaseWorkflow.move(from: .open, to: .closed) }
        #expect(try CaseWorkflow.move(from: .open, to: .closed, closure: closure) == .closed)
        #expect(CaseStatus.closed.htcdsStatus(closureReason: closure.reason) == "ClosedReferred")
        #expect(throws: ValidationFailure.self) { try CaseWorkflow.move(from: .closed, to: .open) }
        #expect(try CaseWorkflow.move(from: .closed, to: .open, reopenReason: "New contact from the exploiter") == .open)
        #expect(throws: ValidationFailure.self) { try CaseWorkflow.move(from: .closed, to: .followUp) }
    }
}
