import Testing

@testable import CairnCore

@Suite struct ReleaseDimensionTests {
    @Test func eachPersonFallsInExactlyOneExploitationCategory() {
        #expect(ExploitationCategory.of([]) == .notKnown)
        #expect(ExploitationCategory.of([.notKnown]) == .notKnown)
        #expect(ExploitationCategory.of([.labour]) == .labour)
        #expect(ExploitationCategory.of([.labour, .notKnown]) == .labour)
        #expect(ExploitationCategory.of([.labour, .sexual]) == .multiple)
        #expect(ExploitationCategory.of([.organHarvesting]) == .organHarvesting)
    }

    @Test func possibleChildrenCountAsChildren() {
        #expect(AgeCategory.of(.possibleChild) == .child)
        #expect(AgeCategory.of(.unknown) == .notKnown)
        #expect(AgeCategory.of(.adult) == .adult)
    }

    @Test func nationalityIsGroupedFromCodesNamesAndNationalityWords() {
        #expect(NationalityGroup.of("RO") == .euEEA)
        #expect(NationalityGroup.of(" Romanian ") == .euEEA)
        #expect(NationalityGroup.of("albania") == .otherEurope)
        #expect(NationalityGroup.of("Vietnamese") == .asiaMiddleEast)
        #expect(NationalityGroup.of("ER") == .africa)
        #expect(NationalityGroup.of("British") == .uk)
        #expect(NationalityGroup.of("Côte d'Ivoire") == .africa)
        #expect(NationalityGroup.of("Atlantean") == .notKnown)
        #expect(NationalityGroup.of("") == .notKnown)
        #expect(NationalityGroup.of(nil) == .notKnown)
        // Every code and name in the table is unique, so no country is in two groups.
        #expect(Set(NationalityGroup.countries.map(\.code)).count == NationalityGroup.countries.count)
        let names = NationalityGroup.countries.flatMap(\.names)
        #expect(Set(names).count == names.count)
    }

    @Test func outcomesAreAsTheyStoodAtTheEndOfThePeriod() throws {
        let end = try CalendarDate(parsing: "2026-03-31")
        let rg = NRMDecisionRecord(.positive, on: try CalendarDate(parsing: "2026-02-01"))
        let lateCG = NRMDecisionRecord(.positive, on: try CalendarDate(parsing: "2026-05-01"))
        #expect(ReferralOutcome.of(reasonableGrounds: nil, conclusiveGrounds: nil, on: end) == .awaitingReasonableGrounds)
        #expect(ReferralOutcome.of(reasonableGrounds: rg, conclusiveGrounds: lateCG, on: end) == .awaitingConclusiveGrounds)
        #expect(ReferralOutcome.of(reasonableGrounds: rg, conclusiveGrounds: lateCG, on: try CalendarDate(parsing: "2026-06-30")) == .positiveConclusiveGrounds)
        let negative = NRMDecisionRecord(.negative, on: try CalendarDate(parsing: "2026-01-10"))
        #expect(ReferralOutcome.of(reasonableGrounds: negative, conclusiveGrounds: nil, on: end) == .negativeReasonableGrounds)
    }

    @Test func categoryListsAreFixedAndKeysUnique() {
        for dimension in ReleaseDimension.allCases {
            let keys = dimension.categories(areas: ["WM1", "WM2"]).map(\.key)
            #expect(!keys.isEmpty)
            #expect(Set(keys).count == keys.count, "\(dimension)")
        }
        #expect(ReleaseDimension.area.categories(areas: ["WM1"]).map(\.key) == ["WM1", ReleaseDimension.otherArea])
        #expect(ReleasePopulation.reports.dimensions.contains(.reporterType))
        #expect(!ReleasePopulation.referrals.dimensions.contains(.reporterType))
    }
}

@Suite struct ReleasePeriodTests {
    @Test func periodsParseOnlyTheirTwoForms() {
        #expect(ReleasePeriod(parsing: "2026-Q1") == .quarter(year: 2026, quarter: 1))
        #expect(ReleasePeriod(parsing: "2026") == .year(2026))
        for bad in ["2026-Q5", "2026-Q0", "2026-q1", "26-Q1", "2026-Q12", "2026-03", "", "1999", "２０２６", "2026-Q1 ", "-Q1"] {
            #expect(ReleasePeriod(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func aYearIsItsFourQuartersAndTheirMonths() throws {
        let year = ReleasePeriod.year(2026)
        #expect(year.quarters.map(\.description) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(year.months.count == 12)
        #expect(ReleasePeriod.quarter(year: 2026, quarter: 2).months.map(\.description) == ["2026-04", "2026-05", "2026-06"])
        #expect(ReleasePeriod.quarter(year: 2024, quarter: 1).lastDay.description == "2024-03-31")
        #expect(year.lastDay.description == "2026-12-31")
        #expect(ReleasePeriod(quarterOf: try CalendarDate(parsing: "2026-09-30")) == .quarter(year: 2026, quarter: 3))
        #expect(ReleasePeriod.quarter(year: 2026, quarter: 4) < .year(2027))
    }

    @Test func areasOutsideTheListCountAsOther() {
        #expect(ReleaseRecord.area("wm1", in: ["WM1"]) == "WM1")
        #expect(ReleaseRecord.area("ZZ9", in: ["WM1"]) == ReleaseDimension.otherArea)
        #expect(ReleaseRecord.area(nil, in: ["WM1"]) == ReleaseDimension.otherArea)
    }
}
