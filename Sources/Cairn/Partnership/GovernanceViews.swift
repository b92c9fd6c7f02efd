import CairnCore
import Foundation

/// View models of the partnership's profile pages (`partnership/governance-*.mustache`).
extension GovernanceController {
    struct GroupRow: Sendable {
        let id: String
        let name: String
        let kind: String
        let members: Int
        let chair: String
    }

    struct OverviewPage: Sendable {
        let canEdit: Bool
        let members: Int
        let chair: String?
        let secretariat: String?
        let groups: [GroupRow]
        let noGroups: Bool
        let meetings: [MeetingController.MeetingRow]
        let noMeetings: Bool
        let openActions: Int
        let overdueActions: Int
        let overdue: [MeetingController.ActionRow]
        let noOverdue: Bool
        let agreements: Int
        let flagged: [AgreementController.AgreementRow]
        let noneFlagged: Bool
        let uncoveredShares: Int
    }

    struct MemberRow: Sendable {
        let id: String
        let name: String
        let type: String
        let role: String
        let joined: String
        let left: String?
        let contacts: Int
    }

    struct MembersPage: Sendable {
        let rows: [MemberRow]
        let empty: Bool
        let canEdit: Bool
        let sorts: [Choice]
        let showLeft: Bool
        let showLeftHref: String
        let pagination: Pagination
    }

    struct ContactRow: Sendable {
        let id: String
        let removeHref: String
        let name: String
        let role: String
        let email: String?
        let phone: String?
    }

    struct MemberPage: Sendable {
        let id: String
        let agencyID: String
        let name: String
        let type: String
        let role: String
        let roleHint: String
        let joined: String
        let left: String?
        let current: Bool
        let canEdit: Bool
        let contacts: [ContactRow]
        let noContacts: Bool
        let groups: [Choice]
        let noGroups: Bool
        /// The add-contact form, as typed when it came back with an error.
        let contactName: String
        let contactRole: String
        let contactEmail: String
        let contactPhone: String
    }

    struct MemberFormPage: Sendable, DateFieldPage {
        let isNew: Bool
        let id: String
        let name: String
        let action: String
        let cancel: String
        let agencies: [Choice]
        let noAgencies: Bool
        let roles: [Choice]
        var dates: [String: DateField]
    }

    struct GroupSection: Sendable {
        let heading: String
        let kind: String
        let rows: [GroupRow]
        let empty: Bool
    }

    struct GroupsPage: Sendable {
        let sections: [GroupSection]
        let canEdit: Bool
    }

    struct GroupPage: Sendable {
        let id: String
        let name: String
        let kind: String
        /// nil when none are written (Mustache shows a section for any non-nil value, "" too).
        let terms: String?
        let termsHeading: String
        let chair: String?
        let members: [Choice]
        let noMembers: Bool
        let meetings: [MeetingController.MeetingRow]
        let noMeetings: Bool
        let canEdit: Bool
    }

    struct GroupFormPage: Sendable {
        let isNew: Bool
        let id: String
        let action: String
        let cancel: String
        let kinds: [Choice]
        let name: String
        let terms: String
        let chairs: [Choice]
        let members: [Choice]
        let noMembers: Bool
    }
}
