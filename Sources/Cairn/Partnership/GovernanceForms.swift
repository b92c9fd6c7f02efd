import CairnCore
import Foundation

/// Adding a member, or changing its role and the date it joined (`partnership/governance-member-form`).
struct MemberForm: DatedForm {
    var agencyId: String?
    var role: String?
    var joinedOn: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("joinedOn", \.joinedOn, DateInput.Rules(label: "The date it joined", timing: .todayOrPast))]
    }

    var input: GovernanceService.MemberInput {
        GovernanceService.MemberInput(agencyID: agencyId ?? "", role: role ?? "", joinedOn: joinedOn ?? "")
    }
}

/// A named contact of a member (on the member's page).
struct MemberContactForm: FormInput {
    let name: String?
    let role: String?
    let email: String?
    let phone: String?

    var input: GovernanceService.ContactInput {
        GovernanceService.ContactInput(name: name ?? "", role: role ?? "", email: email ?? "", phone: phone ?? "")
    }
}

/// The board, a sub-group or a network (`partnership/governance-group-form`).
struct GroupForm: FormInput {
    static let lists: Set<String> = ["members"]
    let kind: String?
    let name: String?
    let terms: String?
    let chairAgencyId: String?
    let members: [String]?

    var input: GovernanceService.GroupInput {
        GovernanceService.GroupInput(kind: kind ?? "", name: name ?? "", terms: terms ?? "", chairAgencyID: chairAgencyId ?? "", members: members ?? [])
    }
}

/// Recording or changing a meeting (`partnership/meeting-form`): attendance as two groups of
/// checkboxes, papers as rows of a title and a link (sent in order), decisions one a line.
struct MeetingForm: DatedForm {
    static let lists: Set<String> = ["present", "apologies", "paperTitle", "paperUrl"]
    var groupId: String?
    var heldOn: String?
    var title: String?
    var present: [String]?
    var apologies: [String]?
    var paperTitle: [String]?
    var paperUrl: [String]?
    var decisions: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("heldOn", \.heldOn, DateInput.Rules(label: "The date of the meeting"))]
    }

    var input: GovernanceService.MeetingInput {
        let titles = paperTitle ?? [], urls = paperUrl ?? []
        let papers = (0..<max(titles.count, urls.count)).map { i in
            GovernanceService.Paper(title: i < titles.count ? titles[i] : "", url: i < urls.count ? urls[i] : "")
        }
        return GovernanceService.MeetingInput(groupID: groupId ?? "", heldOn: heldOn ?? "", title: title ?? "", present: present ?? [],
                                              apologies: apologies ?? [], papers: papers,
                                              decisions: (decisions ?? "").split(whereSeparator: \.isNewline).map(String.init))
    }
}

/// An action agreed at a meeting (on the meeting's page).
struct MeetingActionForm: DatedForm {
    var text: String?
    var ownerAgencyId: String?
    var dueOn: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("dueOn", \.dueOn, DateInput.Rules(label: "The date it is due"))]
    }

    var input: GovernanceService.ActionInput {
        GovernanceService.ActionInput(text: text ?? "", ownerAgencyID: ownerAgencyId ?? "", dueOn: dueOn ?? "")
    }
}

/// Marking an action done or open again.
struct ActionStatusForm: FormInput {
    let status: String?
    /// "log" when the button was on the action log rather than the meeting's page.
    let from: String?
}

extension FormDates {
    /// Every problem of a form at once: the service's, with each date's own problem (read
    /// from its boxes: "… must include a month") in place of what the service said of the
    /// text it was given, so a wrong date and a missing name are reported together.
    func merged(_ errors: [AppError.FieldError]) -> [AppError.FieldError] {
        let own = Dictionary(problems.map { ($0.field, $0) }, uniquingKeysWith: { first, _ in first })
        var result = errors.map { own[$0.field] ?? $0 }
        for problem in problems where !result.contains(where: { $0.field == problem.field }) { result.append(problem) }
        return result
    }
}
