import Foundation
import Testing
@testable import CairnCore

@Suite struct IndicatorTests {
    let catalogue = IndicatorCatalogue.standard

    @Test func shipsTheElevenILOIndicators() {
        let ilo = catalogue.items(in: .iloForcedLabour)
        #expect(ilo.count == 11)
        #expect(ilo.first?.id == "ilo.abuse-of-vulnerability")
        #expect(ilo.last?.id == "ilo.excessive-overtime")
    }

    @Test func everyListHasItemsAndIdsAreStableAndUnique() {
        for list in IndicatorList.allCases {
            #expect(!catalogue.items(in: list).isEmpty, "\(list)")
        }
        let ids = catalogue.items.map(\.id)
        #expect(Set(ids).count == ids.count)
        for item in catalogue.items {
            #expect(item.id.hasPrefix(item.list.rawValue + "."))
            #expect(item.id.range(of: "^[a-z-]+\\.[a-z-]+$", options: .regularExpression) != nil, "\(item.id)")
            #expect(item.version == 1)
            #expect(!item.text.isEmpty)
        }
    }

    @Test func theUKListCoversTheRecognisedSigns() {
        let ids = Set(catalogue.items(in: .ukGeneral).map(\.id))
        for id in ["uk.unkempt-appearance", "uk.isolated", "uk.poor-living-conditions", "uk.few-possessions",
                   "uk.restricted-freedom", "uk.unusual-travel-times", "uk.reluctant-to-seek-help", "uk.in-debt", "uk.no-documents"] {
            #expect(ids.contains(id), "\(id)")
        }
    }

    @Test func dimensionsAreReadFromObservationsIgnoringRetiredIds() {
        let observed = [IndicatorObservation("ilo.debt-bondage", .disclosed),
                        IndicatorObservation("ilo.isolation", .observed),
                        IndicatorObservation("uk.no-documents", .observed),
                        IndicatorObservation("uk.retired-item", .observed)]
        #expect(catalogue.dimensions(of: observed) == [.coercion, .control])
        #expect(!catalogue.containsAny(of: .cuckooing, in: observed))
        #expect(catalogue.containsAny(of: .cuckooing, in: [IndicatorObservation("cuckooing.many-visitors", .observed)]))
    }

    @Test func observationsCodeAsStrings() throws {
        let data = try JSONEncoder().encode(IndicatorObservation("ilo.deception", .disclosed))
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"disclosed\"") && json.contains("ilo.deception"))
    }
}

@Suite struct IndicatorExportTests {
    @Test func methodsOfControlMapOnlyKnownIds() {
        let catalogue = IndicatorCatalogue.standard
        let ids = Set(catalogue.items.map(\.id))
        #expect(HTCDSMethodOfControl.byIndicator.keys.allSatisfy(ids.contains))
        #expect(catalogue.indicator(id: "ilo.debt-bondage")?.htcdsMethodOfControl == .debtBondage)
        #expect(catalogue.indicator(id: "uk.few-possessions")?.htcdsMethodOfControl == nil)
    }

    @Test func retiredItemsLeaveTheChecklistButStillCount() {
        let old = Indicator(id: "uk.old-sign", list: .ukGeneral, dimension: .movement, text: "An old sign", retired: true)
        let catalogue = IndicatorCatalogue(version: 2, items: IndicatorCatalogue.standard.items + [old])
        #expect(!catalogue.checklist(.ukGeneral).contains(old))
        #expect(catalogue.dimensions(of: [IndicatorObservation("uk.old-sign", .observed)]) == [.movement])
    }
}
