import Foundation

/// An analyst's judgement on one reason of a link (`intelligence/link`): which reason (a
/// hidden index), the decision, and why. What is missing is left for the service to refuse
/// with its own message.
struct LinkDecisionForm: FormInput {
    let reason: Int?
    let decision: String?
    let note: String?
}

/// The form to record an intelligence item (`intelligence/item-form`).
struct NewItemForm: FormInput {
    static let lists: Set<String> = ["approvedAgencies"]
    let title: String?
    let content: String?
    let sanitised: String?
    let partnerTitle: String?
    let sourceEvaluation: String?
    let assessment: String?
    let handling: String?
    let conditions: String?
    let legacyGrading: String?
    let reportReference: String?
    /// The partner agencies the originator confirms may see the item (ticked boxes).
    let approvedAgencies: [String]?

    /// What the service is given; an absent field is empty.
    var input: IntelligenceService.ItemInput {
        IntelligenceService.ItemInput(
            title: title ?? "", content: content ?? "", sanitised: sanitised ?? "", partnerTitle: partnerTitle ?? "",
            sourceEvaluation: sourceEvaluation ?? "", assessment: assessment ?? "", handling: handling ?? "",
            conditions: conditions ?? "", legacyGrading: legacyGrading ?? "", reportReference: reportReference ?? "",
            approvedAgencies: approvedAgencies ?? [])
    }
}

/// The originator's sharing form on an item's page (`intelligence/item`): an absent text field
/// leaves what is stored as it is.
struct ItemSharingForm: FormInput {
    static let lists: Set<String> = ["approvedAgencies"]
    let sanitised: String?
    let partnerTitle: String?
    let approvedAgencies: [String]?
}
