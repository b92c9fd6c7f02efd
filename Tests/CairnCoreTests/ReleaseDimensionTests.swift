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
