import CairnCore
import Foundation

/// Intelligence items' pages: the list, the form to record one, and one item as its reader
/// may see it (with the sharing form for its originator).
extension IntelligenceController {
    struct ItemRow: Sendable {
        let id: String
        let reference: String
        let title: String
        let grading: String
        let created: String
        let full: Bool
    }

    struct ItemsPage: Sendable {
        let rows: [ItemRow]
        let empty: Bool
        let canCreate: Bool
    }

    struct ItemForm: Sendable {
        let title: String
        let content: String
        let sanitised: String
        let partnerTitle: String
        let conditions: String
        let legacyGrading: String
        let reportReference: String
        let sources: [Choice]
        let assessments: [Choice]
        let handlings: [Choice]
        let agencies: [Choice]
    }

    struct ItemPage: Sendable {
        let id: String
        let reference: String
        let title: String
        let full: Bool
        let content: String
        let sanitised: String
        /// Originator's view: the title partners see.
        let partnerTitle: String
        let partnerTitleShown: String
        let noSanitised: Bool
        let grading: String
        // nil (not "") hides their sections: Mustache renders a section for any non-nil value.
        let gradingMeaning: String?
        let conditions: String?
        let legacy: String?
        let legacyMeaning: String
        let reason: String
        let originator: String
        let created: String
        let reportID: String
        let reportReference: String?
        let approved: String?
        let agencies: [Choice]
        let isC: Bool
    }

    func itemForm(_ input: IntelligenceService.ItemInput) async throws -> ItemForm {
        let agencies = try await services.accounts.agencies()
        return ItemForm(
            title: input.title, content: input.content, sanitised: input.sanitised, partnerTitle: input.partnerTitle,
            conditions: input.conditions, legacyGrading: input.legacyGrading,
            reportReference: input.reportReference,
            sources: SourceEvaluation.allCases.map { Choice(value: $0.rawValue, label: "\($0.rawValue) — \($0.meaning)", selected: $0.rawValue == input.sourceEvaluation) },
            assessments: IntelligenceAssessment.allCases.map { Choice(value: $0.rawValue, label: "\($0.rawValue) — \($0.meaning)", selected: $0.rawValue == input.assessment.uppercased()) },
            handlings: HandlingCode.allCases.map { Choice(value: $0.rawValue, label: "\($0.rawValue) — \($0.meaning)", selected: $0.rawValue == input.handling.uppercased()) },
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: input.approvedAgencies.contains(try $0.requireID().uuidString)) })
    }

    func itemPage(_ d: IntelligenceService.ItemDetail, identity: Identity) async throws -> ItemPage {
        let item = d.item
        let full: Bool
        var conditions = item.conditions
        switch d.view {
        case .full: full = true
        case .sanitised(let c): full = false; conditions = c ?? conditions
        }
        let agencies = full ? try await services.accounts.agencies().filter { $0.id != identity.agencyID } : []
        return ItemPage(
            id: try item.requireID().uuidString, reference: item.reference, title: item.title, full: full, content: full ? item.content : "",
            sanitised: item.sanitised, partnerTitle: full ? item.partnerTitle : "",
            partnerTitleShown: item.partnerTitle.isEmpty ? "Intelligence item \(item.reference)" : item.partnerTitle, noSanitised: item.sanitised.isEmpty, grading: item.grading?.description ?? "Not graded 3x5x2",
            gradingMeaning: item.grading?.meaning, conditions: conditions.flatMap { $0.isEmpty ? nil : $0 }, legacy: item.legacy?.description,
            legacyMeaning: item.legacy.map { "\($0.source.meaning); \($0.intelligence.meaning.lowercased()); \($0.handling.meaning.lowercased())." } ?? "",
            reason: d.reason, originator: d.originator?.name ?? "", created: Self.when(item.createdAt),
            reportID: d.report?.id.uuidString ?? "", reportReference: d.report?.reference,
            approved: d.approved.isEmpty ? nil : d.approved.map(\.name).joined(separator: ", "),
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: item.approved.contains(try $0.requireID())) },
            isC: item.handling == HandlingCode.c.rawValue)
    }

    static func itemsPage(_ items: [(IntelligenceItem, IntelligenceService.ItemView)], canCreate: Bool) throws -> ItemsPage {
        ItemsPage(
            rows: try items.map { item, view in
                var full = false
                if case .full = view { full = true }
                return ItemRow(id: try item.requireID().uuidString, reference: item.reference, title: item.title,
                               grading: item.grading?.description ?? item.legacy.map { "5x5x5 \($0.description)" } ?? "", created: when(item.createdAt), full: full)
            },
            empty: items.isEmpty, canCreate: canCreate)
    }
}
