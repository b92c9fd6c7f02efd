import CairnCore
import Foundation

/// The forms of the case pages (`CaseController`), read with `FormInput`: opening a case,
/// adding to its team, and closing or re-opening it. A field left out reads as empty.
struct OpenCaseForm: DatedForm {
    var chosenName: String?
    var account: String?
    var language: String?
    var interpreterNeeded: Checkbox?
    var legalName: String?
    var dateOfBirth: String?
    var nationality: String?
    var languages: String?
    var contact: String?
    var reportReference: String?
    var ageGroup: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("dateOfBirth", \.dateOfBirth, DateInput.Rules(label: "Date of birth", required: false, timing: .past))]
    }

    var input: CaseService.Input {
        var input = CaseService.Input()
        input.chosenName = chosenName ?? ""
        input.account = account ?? ""
        input.language = language ?? ""
        input.interpreterNeeded = interpreterNeeded.isOn
        input.legalName = legalName ?? ""
        input.dateOfBirth = dateOfBirth ?? ""
        input.nationality = nationality ?? ""
        input.languages = languages ?? ""
        input.contact = contact ?? ""
        input.reportReference = reportReference ?? ""
        input.ageGroup = ageGroup ?? AgeGroup.unknown.rawValue
        return input
    }
}

/// Adding someone to the case team, by their email address.
struct TeamMemberForm: FormInput {
    let email: String?
}

/// Closing a case (`status=closed`, with a reason and a follow-up plan) or re-opening it
/// (`status=open`, with a reason).
struct CaseStatusForm: FormInput {
    let status: String?
    let reason: String?
    let followUpPlan: String?

    var target: CaseStatus { status == "open" ? .open : .closed }
}
