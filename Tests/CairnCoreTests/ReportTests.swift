import Testing
@testable import CairnCore

@Suite struct ReportWorkflowTests {
    @Test func followsTheHappyPath() throws {
        var status = ReportStatus.new
        for action: ReportAction in [.triage, .assign, .accept, .start, .close(outcome: .nrmReferralMade)] {
            status = try ReportWorkflow.apply(action, to: status)
        }
        #expect(status == .closed)
        #expect(try ReportWorkflow.apply(.reopen(reason: "New report about the same address"), to: status) == .triaged)
    }

    @Test func rejectAndRerouteNeedReasons() throws {
        #expect(throws: ReportTransitionError.reasonRequired(action: "reject")) {
            try ReportWorkflow.apply(.reject(reason: "  "), to: .assigned)
        }
        #expect(try ReportWorkflow.apply(.reroute(reason: "Out of our area"), to: .assigned) == .rerouted)
        #expect(try ReportWorkflow.apply(.accept, to: .rerouted) == .accepted)
        #expect(try ReportWorkflow.apply(.reject(reason: "Not for us"), to: .assigned) == .rejected)
        #expect(try ReportWorkflow.apply(.assign, to: .rejected) == .assigned)
        #expect(throws: ReportTransitionError.reasonRequired(action: "re-open")) {
            try ReportWorkflow.apply(.reopen(reason: ""), to: .closed)
        }
    }

    @Test func refusesSkippedStepsWithAClearMessage() {
        do {
            _ = try ReportWorkflow.apply(.assign, to: .new)
            Issue.record("a new report was assigned without triage")
        } catch {
            #expect(error == .notAllowed(from: .new, action: "assign", allowed: ["triage"]))
            #expect(error.description == "A report that is “new” cannot be assigned. From here you can: triage.")
        }
        #expect(throws: ReportTransitionError.self) { try ReportWorkflow.apply(.start, to: .assigned) }
        #expect(throws: ReportTransitionError.self) { try ReportWorkflow.apply(.triage, to: .closed) }
        #expect(throws: ReportTransitionError.self) { try ReportWorkflow.apply(.close(outcome: .premisesVisited), to: .new) }
        #expect(throws: ReportTransitionError.self) { try ReportWorkflow.apply(.reopen(reason: "x"), to: .inProgress) }
    }

    @Test func triageCanCloseADuplicateAtOnce() throws {
        #expect(try ReportWorkflow.apply(.close(outcome: .duplicateOfAnotherReport), to: .triaged) == .closed)
    }

    @Test func everyStatusCanReachClosed() {
        for start in ReportStatus.allCases {
            var seen: Set<ReportStatus> = [start], frontier = [start]
            while let s = frontier.popLast() {
                for next in ReportWorkflow.transitions[s, default: []] where seen.insert(next).inserted { frontier.append(next) }
            }
            #expect(seen.contains(.closed), "\(start)")
        }
    }

    @Test func publicStatusesAreTranslatedAndCareful() {
        #expect(ReportOutcome.allCases.count == 10)
        let english = PublicReportText.catalogue(for: .en)
        for status in ReportStatus.allCases {
            for outcome in [nil] + ReportOutcome.allCases.map(Optional.some) {
                let key = status.publicStatusKey(outcome: outcome)
                #expect(english[key] != nil, "\(status) \(String(describing: outcome)) → \(key)")
            }
        }
        // The reporter must not learn whether the person accepted support.
        #expect(ReportStatus.closed.publicStatusKey(outcome: .supportOfferedAndAccepted)
                == ReportStatus.closed.publicStatusKey(outcome: .supportOfferedAndDeclined))
        // Nor that the assigned agency turned the report down.
        #expect(ReportStatus.rejected.publicStatusKey(outcome: nil) == ReportStatus.assigned.publicStatusKey(outcome: nil))
        #expect(ReportStatus.new.publicStatusKey(outcome: nil) == "status.received")
        #expect(ReportStatus.closed.publicStatusKey(outcome: .policeInvestigationOpened) == "status.actionTaken")
    }

    @Test func referralsMoveOnlyForward() throws {
        #expect(try ReferralStatus.pending.moving(to: .accepted) == .accepted)
        #expect(try ReferralStatus.accepted.moving(to: .completed) == .completed)
        #expect(try ReferralStatus.pending.moving(to: .rejected, reason: "No capacity this month") == .rejected)
        #expect(throws: ValidationFailure.self) { try ReferralStatus.pending.moving(to: .rejected) }
        #expect(throws: ValidationFailure.self) { try ReferralStatus.pending.moving(to: .completed) }
        #expect(throws: ValidationFailure.self) { try ReferralStatus.rejected.moving(to: .accepted) }
    }
}

@Suite struct ReportVocabularyTests {
    @Test func exploitationTypesMapToHTCDS() {
        #expect(ExploitationType.labour.htcdsTypeOfExploitation == .forcedLabour)
        #expect(ExploitationType.domesticServitude.htcdsTypeOfExploitation == .servitude)
        #expect(ExploitationType.organHarvesting.htcdsTypeOfExploitation?.rawValue == "OrganRemoval")
        #expect(ExploitationType.criminal.htcdsTypeOfExploitation == .other)
        #expect(ExploitationType.notKnown.htcdsTypeOfExploitation == nil)
    }

    @Test func exploitationSummaryIsChecked() {
        #expect(ExploitationSummary(types: [.criminal], countyLines: true).validate().isEmpty)
        #expect(ExploitationSummary(types: [.labour], countyLines: true).validate().map(\.field) == ["countyLines"])
        #expect(ExploitationSummary(types: []).validate().map(\.field) == ["exploitationTypes"])
        #expect(ExploitationSummary(types: [.notKnown, .sexual]).validate().map(\.field) == ["exploitationTypes"])
    }

    @Test func possibleChildIsTreatedAsAChild() {
        #expect(AgeGroup.possibleChild.isTreatedAsChild)
        #expect(AgeGroup.child.isTreatedAsChild)
        #expect(!AgeGroup.adult.isTreatedAsChild && !AgeGroup.unknown.isTreatedAsChild)
    }

    @Test func businessReporters() {
        #expect(ReporterType.hotel.isBusiness && ReporterType.lettingAgent.isBusiness)
        #expect(!ReporterType.memberOfPublic.isBusiness && !ReporterType.practitioner.isBusiness)
    }
}
