import CairnCore
import Foundation
import HTTPTypes

/// A case's sections for its team: consent, needs and the care plan, NRM and Duty to Notify,
/// contacts, outcomes and warning signs, and marking a case alert as read; the care-plan tasks
/// given to the person's agency; and the partnership's case figures.
enum CaseSupportRoute: PageRoute {
    /// The consent page.
    case consent(Param<UUID>)
    /// Recording a consent.
    case recordConsent(Param<UUID>)
    /// The page that confirms withdrawing a consent.
    case withdrawal(Param<UUID>, consent: Param<UUID>)
    /// Withdrawing a consent.
    case withdraw(Param<UUID>, consent: Param<UUID>)
    /// The needs and care-plan page.
    case carePlan(Param<UUID>)
    /// Assessing a need.
    case assessNeed(Param<UUID>)
    /// Giving an agency a care-plan task.
    case addTask(Param<UUID>)
    /// The NRM and Duty to Notify page.
    case nrm(Param<UUID>)
    /// Saving the NRM record.
    case saveNRM(Param<UUID>)
    /// The NRM referral draft, to copy from.
    case nrmDraft(Param<UUID>)
    /// The NRM referral draft as a text file.
    case nrmDraftText(Param<UUID>)
    /// Recording a Duty to Notify notice.
    case dutyToNotify(Param<UUID>)
    /// The contact log.
    case contacts(Param<UUID>)
    /// Planning or recording a contact.
    case planContact(Param<UUID>)
    /// Recording what became of a planned contact.
    case updateContact(Param<UUID>, contact: Param<UUID>)
    /// The outcomes page.
    case outcomes(Param<UUID>)
    /// Recording an outcome review.
    case recordReview(Param<UUID>)
    /// Recording a warning sign (from the case page).
    case recordWarning(Param<UUID>)
    /// Marking a case alert as read.
    case dismissAlert(Param<UUID>)
    /// The agency's task inbox (and the link to it).
    case taskInbox
    /// A task's page, for the owning agency or the case team.
    case task(Param<UUID>)
    /// Updating a task's status.
    case updateTask(Param<UUID>)
    /// The partnership's case figures: counts, never a case or a person.
    case figures

    static let endpoints: [CaseSupportRoute] = [
        .consent(.key), .recordConsent(.key), .withdrawal(.key, consent: .key), .withdraw(.key, consent: .key),
        .carePlan(.key), .assessNeed(.key), .addTask(.key),
        .nrm(.key), .saveNRM(.key), .nrmDraft(.key), .nrmDraftText(.key), .dutyToNotify(.key),
        .contacts(.key), .planContact(.key), .updateContact(.key, contact: .key),
        .outcomes(.key), .recordReview(.key), .recordWarning(.key), .dismissAlert(.key),
        .taskInbox, .task(.key), .updateTask(.key), .figures,
    ]
    static let navigation = [NavEntry(40, "Tasks", CaseSupportRoute.taskInbox), NavEntry(50, "Case figures", CaseSupportRoute.figures)]

    var method: HTTPRequest.Method {
        switch self {
        case .consent, .withdrawal, .carePlan, .nrm, .nrmDraft, .nrmDraftText, .contacts, .outcomes, .taskInbox, .task, .figures: .get
        case .recordConsent, .withdraw, .assessNeed, .addTask, .saveNRM, .dutyToNotify, .planContact, .updateContact, .recordReview,
             .recordWarning, .dismissAlert, .updateTask: .post
        }
    }

    var path: String {
        switch self {
        case .consent(let c), .recordConsent(let c): Self.casePath(c, "/consent")
        case .withdrawal(let c, let consent), .withdraw(let c, let consent): Self.casePath(c, "/consent/\(consent.segment(.consentId))/withdraw")
        case .carePlan(let c): Self.casePath(c, "/care-plan")
        case .assessNeed(let c): Self.casePath(c, "/needs")
        case .addTask(let c): Self.casePath(c, "/tasks")
        case .nrm(let c), .saveNRM(let c): Self.casePath(c, "/nrm")
        case .nrmDraft(let c): Self.casePath(c, "/nrm/draft")
        case .nrmDraftText(let c): Self.casePath(c, "/nrm/draft.txt")
        case .dutyToNotify(let c): Self.casePath(c, "/duty-to-notify")
        case .contacts(let c), .planContact(let c): Self.casePath(c, "/contacts")
        case .updateContact(let c, let contact): Self.casePath(c, "/contacts/\(contact.segment(.contactId))")
        case .outcomes(let c), .recordReview(let c): Self.casePath(c, "/outcomes")
        case .recordWarning(let c): Self.casePath(c, "/warnings")
        case .dismissAlert(let alert): "/alerts/\(alert.segment(.alertId))/dismiss"
        case .taskInbox: "/tasks"
        case .task(let t), .updateTask(let t): "/tasks/\(t.segment(.taskId))"
        case .figures: "/case-figures"
        }
    }

    var permission: Permission {
        switch self {
        case .consent, .recordConsent, .withdrawal, .withdraw, .carePlan, .assessNeed, .addTask, .nrm, .saveNRM, .nrmDraft, .nrmDraftText,
             .dutyToNotify, .contacts, .planContact, .updateContact, .outcomes, .recordReview, .recordWarning, .dismissAlert: .workCases
        case .taskInbox, .task, .updateTask: .workCareTasks
        case .figures: .viewCaseStatistics
        }
    }

    /// A section of the case page: `/cases/<case>` and the rest.
    private static func casePath(_ c: Param<UUID>, _ rest: String) -> String { "/cases/\(c.segment(.caseId))\(rest)" }
}
