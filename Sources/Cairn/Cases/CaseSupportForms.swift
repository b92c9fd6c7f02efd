import CairnCore
import Foundation

/// The forms of a case's sections and the task pages (`CaseSupportController`), read with
/// `FormInput`. A field left out reads as empty, an unticked box as off, and a checkbox group
/// with nothing ticked as none.

/// Recording the survivor's consent: what may be shared, for what, with whom, and from when.
struct ConsentForm: DatedForm {
    static let lists: Set<String> = ["categories", "purposes", "agencies"]
    var categories: [String]?
    var purposes: [String]?
    var agencies: [String]?
    var method: String?
    var interpreterLanguage: String?
    var validFrom: String?
    var validUntil: String?
    var nrmConsent: Checkbox?
    var anonymisedSharing: Checkbox?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("validFrom", \.validFrom, DateInput.Rules(label: "Date consent starts")),
         DateFormField("validUntil", \.validUntil, DateInput.Rules(label: "Date consent ends", required: false))]
    }

    var input: CaseSupportService.ConsentInput {
        CaseSupportService.ConsentInput(categories: categories ?? [], purposes: purposes ?? [], agencies: agencies ?? [], method: method ?? "",
                                        interpreterLanguage: interpreterLanguage ?? "", validFrom: validFrom ?? "", validUntil: validUntil ?? "",
                                        nrmConsent: nrmConsent.isOn, anonymisedSharing: anonymisedSharing.isOn)
    }
}

/// Withdrawing a consent, with a note of how the survivor said so.
struct WithdrawConsentForm: FormInput {
    let note: String?
}

/// Assessing a need.
struct NeedForm: FormInput {
    let domain: String?
    let urgency: String?
    let survivorPriority: String?
    let note: String?
}

/// Giving an agency a care-plan task.
struct CareTaskForm: DatedForm {
    var need: String?
    var title: String?
    var detail: String?
    var agencyID: String?
    var dueOn: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("dueOn", \.dueOn, DateInput.Rules(label: "Due date", required: false, timing: .todayOrFuture))]
    }

    var input: CaseSupportService.TaskInput {
        CaseSupportService.TaskInput(need: need ?? "", title: title ?? "", detail: detail ?? "", agencyID: agencyID ?? "", dueOn: dueOn ?? "")
    }
}

/// The NRM record: the referral, its decisions and any reconsideration.
struct NRMForm: DatedForm {
    var referralDate: String?
    var firstResponder: String?
    var reference: String?
    var competentAuthority: String?
    var rgDecision: String?
    var rgDate: String?
    var cgDecision: String?
    var cgDate: String?
    var reconsiderationOf: String?
    var reconsiderationRequested: String?

    /// A decision's date is needed once the decision is chosen; a reconsideration's once its
    /// decision is chosen. None of them can be in the future.
    var dateFields: [DateFormField<Self>] {
        [DateFormField("referralDate", \.referralDate, DateInput.Rules(label: "Referral date", timing: .todayOrPast)),
         DateFormField("rgDate", \.rgDate, DateInput.Rules(label: "Reasonable-grounds decision date", required: !(rgDecision ?? "").isEmpty,
                                                           timing: .todayOrPast)),
         DateFormField("cgDate", \.cgDate, DateInput.Rules(label: "Conclusive-grounds decision date", required: !(cgDecision ?? "").isEmpty,
                                                           timing: .todayOrPast)),
         DateFormField("reconsiderationRequested", \.reconsiderationRequested,
                       DateInput.Rules(label: "Date reconsideration was requested", required: !(reconsiderationOf ?? "").isEmpty, timing: .todayOrPast))]
    }

    var input: CaseSupportService.NRMInput {
        CaseSupportService.NRMInput(
            referralDate: referralDate ?? "", firstResponder: firstResponder ?? "", reference: reference ?? "",
            competentAuthority: competentAuthority ?? "", rgDecision: rgDecision ?? "", rgDate: rgDate ?? "",
            cgDecision: cgDecision ?? "", cgDate: cgDate ?? "", reconsiderationOf: reconsiderationOf ?? "",
            reconsiderationRequested: reconsiderationRequested ?? "")
    }
}

/// A Duty to Notify notice (it does not identify the person).
struct DutyToNotifyForm: DatedForm {
    static let lists: Set<String> = ["exploitationTypes"]
    var notifiedOn: String?
    var exploitationTypes: [String]?
    var countyLines: Checkbox?
    var location: String?
    var gender: String?
    var ageBand: String?
    var nationality: String?
    var account: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("notifiedOn", \.notifiedOn, DateInput.Rules(label: "Date notified", timing: .todayOrPast))]
    }

    var input: CaseSupportService.DutyToNotifyInput {
        CaseSupportService.DutyToNotifyInput(
            notifiedOn: notifiedOn ?? "", exploitationTypes: exploitationTypes ?? [], countyLines: countyLines.isOn,
            location: location ?? "", gender: gender ?? "", ageBand: ageBand ?? "", nationality: nationality ?? "", account: account ?? "")
    }
}

/// Planning a contact with the survivor, or recording one.
struct ContactForm: DatedForm {
    var plannedOn: String?
    var method: String?
    var status: String?
    var note: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("plannedOn", \.plannedOn, DateInput.Rules(label: "Date"))]
    }
}

/// A new status with a note: what became of a planned contact, or of a care-plan task.
struct StatusUpdateForm: FormInput {
    let status: String?
    let note: String?
}

/// An outcome review: the review point, its date, and each core outcome's rating
/// (`rating_<outcome>`, empty where it was not discussed).
struct ReviewForm: DatedForm {
    var point: String?
    var reviewDate: String?
    var note: String?
    var ratings: [String: String]

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: FormKey.self)
        point = try fields.decodeIfPresent(String.self, forKey: FormKey("point"))
        reviewDate = try fields.decodeIfPresent(String.self, forKey: FormKey("reviewDate"))
        note = try fields.decodeIfPresent(String.self, forKey: FormKey("note"))
        var ratings: [String: String] = [:]
        for outcome in CoreOutcome.allCases {
            ratings[outcome.rawValue] = try fields.decodeIfPresent(String.self, forKey: FormKey("rating_\(outcome.rawValue)")) ?? ""
        }
        self.ratings = ratings
    }

    var dateFields: [DateFormField<Self>] {
        [DateFormField("reviewDate", \.reviewDate, DateInput.Rules(label: "Date of the review", timing: .todayOrPast))]
    }
}

/// A warning sign of re-exploitation, seen on a day.
struct WarningForm: DatedForm {
    var sign: String?
    var observedOn: String?
    var note: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("observedOn", \.observedOn, DateInput.Rules(label: "Date seen", timing: .todayOrPast))]
    }
}

/// Marking an alert as read, and the page to go back to.
struct DismissAlertForm: FormInput {
    let back: String?
}
