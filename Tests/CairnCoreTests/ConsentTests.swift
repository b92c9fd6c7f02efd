import Foundation
import Testing
@testable import CairnCore

@Suite struct ConsentTests {
    func consent(from: String = "2026-11-01", until: String? = "2027-05-01") -> ConsentRecord {
        ConsentRecord(categories: [.needsAndCarePlan, .account], purposes: [.supportAndCarePlanning],
                      agencies: ["council-housing", "ngo-1"], method: .written,
                      validFrom: day(from), validUntil: until.map(day))
    }

    @Test func endingBeforeStartingIsAnError() {
        let issues = consent(from: "2026-11-01", until: "2026-10-31").validate()
        #expect(issues.map(\.field) == ["validUntil"])
        #expect(issues[0].message.contains("cannot end"))
        #expect(consent().validate().isEmpty)
    }

    @Test func interpreterMethodNeedsTheLanguage() {
        var c = consent()
        c.method = .verbalWithInterpreter
        #expect(c.validate().map(\.field) == ["interpreterLanguage"])
        c.interpreterLanguage = "Vietnamese"
        #expect(c.validate().isEmpty)
    }

    @Test func emptyConsentIsAnError() {
        let c = ConsentRecord(categories: [], purposes: [], agencies: [], method: .electronic, validFrom: day("2026-11-01"))
        #expect(Set(c.validate().map(\.field)) == ["categories", "purposes", "agencies"])
    }

    @Test func activeOnlyInsideItsWindow() {
        let c = consent()
        #expect(!c.isActive(on: day("2026-10-31")))
        #expect(c.isActive(on: day("2026-11-01")))
        #expect(c.isActive(on: day("2027-05-01")))
        #expect(!c.isActive(on: day("2027-05-02")))
        #expect(consent(until: nil).isActive(on: day("2040-01-01")))
    }

    @Test func withdrawalTakesEffectThatDayAndKeepsTheFirstDate() throws {
        var c = consent()
        try c.withdraw(on: day("2026-11-23"))
        #expect(c.isActive(on: day("2026-11-22")))
        #expect(!c.isActive(on: day("2026-11-23")))
        try c.withdraw(on: day("2026-12-01"))
        #expect(c.withdrawnOn == day("2026-11-23"))
        var early = consent()
        #expect(throws: ValidationFailure.self) { try early.withdraw(on: day("2026-10-01")) }
    }

    @Test func permitsOnlyWhatWasAgreed() {
        let c = consent()
        let on = day("2026-11-23")
        #expect(c.permits(.account, for: .supportAndCarePlanning, to: "ngo-1", on: on))
        #expect(!c.permits(.healthInformation, for: .supportAndCarePlanning, to: "ngo-1", on: on))
        #expect(!c.permits(.account, for: .criminalInvestigation, to: "ngo-1", on: on))
        #expect(!c.permits(.account, for: .supportAndCarePlanning, to: "police", on: on))
        var withdrawn = c
        withdrawn.withdrawnOn = on
        #expect([withdrawn, c].permit(.account, for: .supportAndCarePlanning, to: "ngo-1", on: on))
        #expect(![withdrawn].permit(.account, for: .supportAndCarePlanning, to: "ngo-1", on: on))
    }

    @Test func nrmRouteFollowsAgeAndConsent() {
        #expect(NRMRoute.route(for: .child, adultConsents: false) == .nrmReferralWithoutConsent)
        #expect(NRMRoute.route(for: .possibleChild, adultConsents: false) == .nrmReferralWithoutConsent)
        #expect(NRMRoute.route(for: .adult, adultConsents: true) == .nrmReferralWithConsent)
        #expect(NRMRoute.route(for: .adult, adultConsents: false) == .dutyToNotify)
        #expect(NRMRoute.route(for: .unknown, adultConsents: true) == .establishAgeFirst)
    }
}

@Suite struct DutyToNotifyTests {
    func record(_ account: String, names: [String] = ["Ana Popescu", "Ani"]) throws(ValidationFailure) -> DutyToNotifyRecord {
        try DutyToNotifyRecord(notifyingAgencyType: .localAuthority, notifiedOn: day("2026-11-23"),
                               exploitationTypes: [.labour], location: .uk, gender: .female, ageBand: .age25to34,
                               nationality: "ro", indicatorIDs: ["ilo.debt-bondage"], account: account, namesToExclude: names)
    }

    @Test func acceptsAnAnonymousAccount() throws {
        let r = try record("Worked 14-hour days at a car wash since March 2026, told she owed £3,000 for travel. Lived above the premises with five others.")
        #expect(r.nationality == "RO")
    }

    @Test(arguments: [
        ("Ana was collected each morning.", IdentifierScreen.Kind.name),
        ("ÁNA said the debt kept growing.", .name),
        ("Her friend calls her Ani.", .name),
        ("Contact her on ana.p@example.com", .email),
        ("Her phone is 07700 900123.", .phoneNumber),
        ("Call +44 (0)20 7946 0018 after six.", .phoneNumber),
        ("DOB 04/07/1998, arrived by coach.", .dateOfBirth),
        ("She was born on 4 July 1998.", .dateOfBirth),
        ("Passport shows 1998-07-04.", .dateOfBirth),
        ("d.o.b.: 01/02/2015 on the form.", .dateOfBirth),
        ("Says she was born 3rd March 2015.", .dateOfBirth),
        ("Lives near NE1 4XF in a shared house.", .postcode),
        ("Lives at sw1a2aa with others.", .postcode),
    ])
    func refusesIdentifiers(text: String, kind: IdentifierScreen.Kind) {
        let findings = IdentifierScreen.findings(in: text, names: ["Ana Popescu", "Ani"], referenceYear: 2026)
        #expect(findings.map(\.kind) == [kind], "\(text)")
        do {
            _ = try record(text)
            Issue.record("accepted identifying text")
        } catch {
            #expect(error.issues.map(\.field) == ["account"])
            #expect(error.issues[0].message.contains("s.52(3)"))
        }
    }

    @Test func messagesDoNotRepeatTheIdentifier() {
        let findings = IdentifierScreen.findings(in: "Email ana.p@example.com now", names: [], referenceYear: 2026)
        #expect(findings.count == 1)
        #expect(findings[0].offset == 6)
        #expect(!findings[0].message.contains("example"))
    }

    @Test func leavesOrdinaryWordsDatesAndNumbersAlone() {
        let text = "Anastasia Road car wash; moved on 12/03/2025 to a farm, paid £250 for 60 hours. Analysis of B12 area."
        #expect(IdentifierScreen.findings(in: text, names: ["Ana Popescu"], referenceYear: 2026).isEmpty)
    }

    @Test func countyLinesNeedsCriminalExploitation() {
        #expect(throws: ValidationFailure.self) {
            try DutyToNotifyRecord(notifyingAgencyType: .police, notifiedOn: day("2026-11-23"), exploitationTypes: [.labour],
                                   countyLines: true, location: .uk, gender: .male, ageBand: .age18to24,
                                   nationality: "GBR", account: "", namesToExclude: [])
        }
    }
}

@Suite struct DutyToNotifyCodingTests {
    @Test func decodingScreensTheAccountAgain() throws {
        let record = try DutyToNotifyRecord(notifyingAgencyType: .police, notifiedOn: day("2026-11-23"), exploitationTypes: [.sexual],
                                            location: .both, gender: .female, ageBand: .age18to24, nationality: nil,
                                            account: "Moved between flats weekly.", namesToExclude: ["Mai"])
        let data = try JSONEncoder().encode(record)
        #expect(try JSONDecoder().decode(DutyToNotifyRecord.self, from: data) == record)
        let tampered = String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "Moved between flats weekly.", with: "Call 07700 900123")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(DutyToNotifyRecord.self, from: Data(tampered.utf8)) }
    }
}
