import CairnCore
import FluentKit
import Foundation

/// Fictional survivor-support cases. `caseworker@demo.invalid` is on their teams;
/// `caseworker2@demo.invalid` and `analyst@demo.invalid` are on none of them.
enum DemoCases {
    /// `carWash`: the Jobcentre's report the first case comes from (`DemoReports.load`).
    /// Returns Andrei's case, whose survivor has their own view (`DemoSurvivorView`).
    @discardableResult
    static func load(into services: AppServices, carWash: (id: UUID, reference: String), now: Date = Date()) async throws -> UUID {
        let caseworker = try await DemoReports.identity("caseworker@demo.invalid", services)
        let practitioner = try await DemoReports.identity("practitioner@demo.invalid", services)

        var andrei = CaseService.Input()
        andrei.chosenName = "Andrei"
        andrei.account = "Came to the UK for a job in construction promised by a man in his home town. Was taken to a car wash instead, paid £20 a day, and told he owed £3,000 for travel."
        andrei.language = "Romanian"
        andrei.interpreterNeeded = true
        andrei.legalName = "Andrei Ionescu (fictional)"
        andrei.nationality = "Romanian"
        andrei.languages = "Romanian, some English"
        // A case is opened only from a report the caseworker may see: the Jobcentre, which
        // made the report, refers it to Safe Harbour for support first.
        _ = try await services.reports.refer(carWash.id, to: caseworker.agencyID, shared: [ShareCategory.mentions.rawValue],
                                             request: "Please offer the claimant support.", identity: practitioner, address: "demo",
                                             now: DemoReports.ago(now, days: 50))
        andrei.reportReference = carWash.reference
        andrei.ageGroup = AgeGroup.adult.rawValue
        let andreiCase = try await services.cases.open(andrei, identity: caseworker, address: "demo", now: DemoReports.ago(now, days: 45))

        var mira = CaseService.Input()
        mira.chosenName = "Mira"
        mira.account = "Was recruited online for hotel work, held in a flat and sexually exploited for eight months. Left with help from a neighbour."
        mira.language = "Albanian"
        mira.interpreterNeeded = true
        mira.legalName = "Mira K. (fictional)"
        mira.dateOfBirth = "1999-05-17"
        mira.nationality = "Albanian"
        mira.languages = "Albanian, Italian"
        mira.ageGroup = AgeGroup.adult.rawValue
        let miraCase = try await services.cases.open(mira, identity: caseworker, address: "demo", now: DemoReports.ago(now, days: 200))

        var daniel = CaseService.Input()
        daniel.chosenName = "Daniel"
        daniel.account = "Cuckooed in his own flat by a county-lines group; moved to safe accommodation by the council."
        daniel.language = "English"
        daniel.legalName = "Daniel P. (fictional)"
        daniel.nationality = "British"
        daniel.ageGroup = AgeGroup.adult.rawValue
        let closed = try await services.cases.open(daniel, identity: caseworker, address: "demo", now: DemoReports.ago(now, days: 520))
        // The caseworker opened each case, so is on its team.
        func team(_ record: SupportCase) async throws -> AuthorisedCase { try await services.cases.authorise(try record.requireID(), identity: caseworker) }
        let closedCase = try await team(closed)
        try await history(try await team(andreiCase), mira: try await team(miraCase), daniel: closedCase, services: services, now: now)
        _ = try await services.cases.move(closedCase, to: .closed, reason: ClosureReason.goalsMet.rawValue,
                                          plan: "Monthly call from Safe Harbour for six months; he has the helpline number.",
                                          address: "demo", now: DemoReports.ago(now, days: 150))
        return try andreiCase.requireID()
    }

    /// Consent, needs, tasks for two other agencies, NRM, Duty to Notify, outcome reviews and a
    /// warning sign, dated over the months each case has been open.
    static func history(_ andrei: AuthorisedCase, mira: AuthorisedCase, daniel: AuthorisedCase, services: AppServices,
                        now: Date) async throws {
        let support = services.support
        let today = CaseSupportService.today(now)
        let councilWorker = try await DemoReports.identity("caseworker2@demo.invalid", services)
        let council = councilWorker.agencyID.uuidString
        let jobcentre = try await DemoReports.identity("practitioner@demo.invalid", services).agencyID.uuidString

        // Andrei: consents to an NRM referral and to sharing his care plan and account with the
        // council and the Jobcentre, who each own a task.
        _ = try await support.recordConsent(andrei, .init(
            categories: [ConsentDataCategory.needsAndCarePlan.rawValue, ConsentDataCategory.account.rawValue],
            purposes: [ConsentPurpose.supportAndCarePlanning.rawValue, ConsentPurpose.nrmReferral.rawValue],
            agencies: [council, jobcentre], method: ConsentMethod.verbalWithInterpreter.rawValue, interpreterLanguage: "Romanian",
            validFrom: today.adding(days: -44).description, validUntil: today.adding(days: 320).description, nrmConsent: true,
            anonymisedSharing: true),
            address: "demo", now: DemoReports.ago(now, days: 44))
        for (domain, urgency, priority) in [(NeedDomain.accommodation, NeedUrgency.soon, SurvivorPriority.high),
                                            (.moneyAndBenefits, .immediate, .high), (.legalAdvice, .soon, .medium),
                                            (.interpreterAndLanguage, .routine, .medium)] {
            _ = try await support.assessNeed(andrei, domain: domain.rawValue, urgency: urgency.rawValue, priority: priority.rawValue,
                                             note: "", address: "demo")
        }
        // Tasks for the council and the Jobcentre, both now overdue, and one the council has done
        // (which told the case team).
        _ = try await support.addTask(andrei, .init(need: NeedDomain.accommodation.rawValue, title: "Housing assessment and move-on accommodation",
                                                        detail: "Safe house place ends in six weeks.", agencyID: council,
                                                        dueOn: today.adding(days: -2).description), address: "demo",
                                      now: DemoReports.ago(now, days: 40))
        _ = try await support.addTask(andrei, .init(need: NeedDomain.moneyAndBenefits.rawValue, title: "Universal Credit claim with an interpreter",
                                                        detail: "", agencyID: jobcentre, dueOn: today.adding(days: -1).description),
                                      address: "demo", now: DemoReports.ago(now, days: 30))
        let careAct = try await support.addTask(andrei, .init(need: NeedDomain.safety.rawValue, title: "Care Act needs assessment",
                                                                      detail: "He has asked for a Romanian-speaking assessor.", agencyID: council,
                                                                      dueOn: today.adding(days: 5).description),
                                                address: "demo", now: DemoReports.ago(now, days: 30))
        _ = try await support.updateTask(try careAct.requireID(), status: CarePlanTaskStatus.done.rawValue,
                                         note: "Assessed with an interpreter; eligible needs agreed, support plan starts next week.",
                                         identity: councilWorker, address: "demo", now: DemoReports.ago(now, days: 2))
        _ = try await support.saveNRM(andrei, .init(referralDate: today.adding(days: -40).description, firstResponder: "Westmere Constabulary",
                                                        reference: "NRM-DEMO-0001", competentAuthority: CompetentAuthority.singleCompetentAuthority.rawValue,
                                                        rgDecision: NRMDecision.positive.rawValue, rgDate: today.adding(days: -33).description),
                                      address: "demo")
        try await review(andrei, .intake, today.adding(days: -44), [.secureSuitableHousing: .aLittle, .safetyFromAbusers: .partly,
                                                                    .longTermConsistentSupport: .aLittle, .medicalTreatment: .notAtAll],
                         services: services)
        try await review(andrei, .oneMonth, today.adding(days: -14), [.secureSuitableHousing: .mostly, .safetyFromAbusers: .mostly,
                                                                      .longTermConsistentSupport: .partly, .medicalTreatment: .partly],
                         services: services)

        // Andrei's contact log: weekly meetings, the next one planned.
        for (days, method, status) in [(-42, ContactMethod.inPerson, ContactStatus.attended), (-35, .phone, .attended), (-28, .inPerson, .attended),
                                       (-21, .phone, .missed), (-14, .inPerson, .attended), (-7, .inPerson, .attended), (2, .inPerson, .planned)] {
            _ = try await support.planContact(andrei, date: today.adding(days: days).description, method: method.rawValue, status: status.rawValue,
                                              note: status == .missed ? "No answer; he called back the next day." : "",
                                              address: "demo")
        }

        // Mira: an adult who does not want an NRM referral: an anonymous Duty to Notify, and a
        // warning sign that raises her risk.
        _ = try await support.recordDutyToNotify(mira, .init(
            notifiedOn: today.adding(days: -198).description, exploitationTypes: [ExploitationType.sexual.rawValue], location: "uk",
            gender: "female", ageBand: "25_34", nationality: "AL", account: "Recruited online for hotel work, then held in a flat and sexually exploited for months."),
            address: "demo")
        try await review(mira, .intake, today.adding(days: -198), [.secureSuitableHousing: .notAtAll, .safetyFromAbusers: .aLittle,
                                                                   .traumaInformedServices: .partly], services: services)
        try await review(mira, .oneMonth, today.adding(days: -170), [.secureSuitableHousing: .partly, .safetyFromAbusers: .partly,
                                                                    .traumaInformedServices: .mostly], services: services)
        try await review(mira, .threeMonths, today.adding(days: -108), [.secureSuitableHousing: .mostly, .safetyFromAbusers: .aLittle,
                                                                       .traumaInformedServices: .mostly], services: services)
        _ = try await support.recordWarning(mira, sign: WarningSign.contactFromExploiter.rawValue, observedOn: today.adding(days: -5).description,
                                            note: "Messages on a new social-media account.", address: "demo")

        // Daniel: a year of reviews before his case closed.
        for (point, days, level) in [(ReviewPoint.intake, -518, OutcomeRating.aLittle), (.oneMonth, -488, .partly), (.threeMonths, -428, .partly),
                                     (.sixMonths, -338, .mostly), (.twelveMonths, -158, .fully)] {
            try await review(daniel, point, today.adding(days: days), [.secureSuitableHousing: level, .safetyFromAbusers: level,
                                                                       .purposeAndSelfActualisation: level == .fully ? .mostly : level],
                             services: services)
        }
    }

    static func review(_ c: AuthorisedCase, _ point: ReviewPoint, _ date: CalendarDate, _ ratings: [CoreOutcome: OutcomeRating],
                       services: AppServices) async throws {
        _ = try await services.support.recordReview(c, point: point.rawValue, date: date.description,
                                                    ratings: Dictionary(uniqueKeysWithValues: ratings.map { ($0.key.rawValue, $0.value.rawValue) }),
                                                    note: "", address: "demo")
    }
}
