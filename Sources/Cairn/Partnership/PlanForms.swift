import CairnCore
import Foundation

/// The plan's forms (`partnership/plan-*`), read with `FormInput`. A field left out reads as
/// empty, for the service to refuse with its own message.

/// Adding or editing a goal.
struct GoalForm: FormInput {
    let title: String?
    let description: String?
    let position: String?

    var input: PlanService.GoalInput {
        PlanService.GoalInput(title: title ?? "", description: description ?? "", position: position ?? "")
    }
}

/// A new or edited action, its dates in GOV.UK boxes (`startsOn-day`…). The status is read
/// only for a new action.
struct ActionForm: DatedForm {
    static let lists: Set<String> = ["factors"]
    var goalId: String?
    var title: String?
    var description: String?
    var pathway: String?
    var level: String?
    var strand: String?
    var factors: [String]?
    var ownerAgencyId: String?
    var lead: String?
    var startsOn: String?
    var dueOn: String?
    var status: String?
    var livedExperience: String?
    /// The self-assessment round a gap came from (hidden; the heat map's link sets it).
    var assessmentRoundId: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("startsOn", \.startsOn, DateInput.Rules(label: "Start date")),
         DateFormField("dueOn", \.dueOn, DateInput.Rules(label: "Due date"))]
    }

    var input: PlanService.ActionInput {
        PlanService.ActionInput(goalID: goalId ?? "", title: title ?? "", description: description ?? "", pathway: pathway ?? "", level: level ?? "",
                                strand: strand ?? "", factors: factors ?? [], ownerAgencyID: ownerAgencyId ?? "", lead: lead ?? "",
                                startsOn: startsOn ?? "", dueOn: dueOn ?? "", status: status ?? "", livedExperience: livedExperience ?? "",
                                assessmentRoundID: assessmentRoundId ?? "")
    }
}

/// A status update on an action's page.
struct ActionUpdateForm: FormInput {
    let status: String?
    let note: String?
}
