import CairnCore
import Foundation
import HTTPTypes

/// The partnership's profile: the overview, its members and their named contacts, and the
/// board, sub-groups and sector networks. Meetings and the action log are `MeetingRoute`,
/// agreements `AgreementRoute`. Every signed-in role reads; coordinators and administrators change.
enum GovernanceRoute: PageRoute {
    /// Members, groups, recent meetings, overdue actions and agreements needing attention.
    case overview
    case members
    case newMember
    case addMember
    case member(Param<UUID>)
    case editMember(Param<UUID>)
    case updateMember(Param<UUID>)
    case addContact(Param<UUID>)
    /// Removing a contact, or the agency leaving: a page asks to confirm, the POST does it.
    case confirmRemoveContact(Param<UUID>, contact: Param<UUID>)
    case removeContact(Param<UUID>, contact: Param<UUID>)
    case confirmRemoveMember(Param<UUID>)
    case removeMember(Param<UUID>)
    case groups
    case newGroup
    case createGroup
    case group(Param<UUID>)
    case editGroup(Param<UUID>)
    case updateGroup(Param<UUID>)

    /// In the order they are registered: removals last, so a walk over the routes reaches the
    /// others while what they remove is still there.
    static let endpoints: [GovernanceRoute] = [
        .overview, .members, .newMember, .addMember, .member(.key), .editMember(.key), .updateMember(.key), .addContact(.key),
        .groups, .newGroup, .createGroup, .group(.key), .editGroup(.key), .updateGroup(.key),
        .confirmRemoveContact(.key, contact: .key), .removeContact(.key, contact: .key), .confirmRemoveMember(.key), .removeMember(.key),
    ]
    static let navigation = [NavEntry(86, "Partnership", GovernanceRoute.overview)]

    var method: HTTPRequest.Method {
        switch self {
        case .overview, .members, .newMember, .member, .editMember, .confirmRemoveContact, .confirmRemoveMember, .groups, .newGroup, .group, .editGroup: .get
        case .addMember, .updateMember, .addContact, .removeContact, .removeMember, .createGroup, .updateGroup: .post
        }
    }

    var path: String {
        switch self {
        case .overview: "/partnership"
        case .members, .addMember: "/partnership/members"
        case .newMember: "/partnership/members/new"
        case .member(let id), .updateMember(let id): "/partnership/members/\(id.segment(.memberId))"
        case .editMember(let id): "/partnership/members/\(id.segment(.memberId))/edit"
        case .addContact(let id): "/partnership/members/\(id.segment(.memberId))/contacts"
        case .confirmRemoveContact(let id, let contact), .removeContact(let id, let contact):
            "/partnership/members/\(id.segment(.memberId))/contacts/\(contact.segment(.contactId))/remove"
        case .confirmRemoveMember(let id), .removeMember(let id): "/partnership/members/\(id.segment(.memberId))/remove"
        case .groups, .createGroup: "/partnership/groups"
        case .newGroup: "/partnership/groups/new"
        case .group(let id), .updateGroup(let id): "/partnership/groups/\(id.segment(.groupId))"
        case .editGroup(let id): "/partnership/groups/\(id.segment(.groupId))/edit"
        }
    }

    var permission: Permission {
        switch self {
        case .overview, .members, .member, .groups, .group: .viewPartnership
        default: .editPartnership
        }
    }
}

/// Meetings of the board, its sub-groups and networks, and the action log.
enum MeetingRoute: PageRoute {
    case meetings
    case newMeeting
    case recordMeeting
    case meeting(Param<UUID>)
    case editMeeting(Param<UUID>)
    case updateMeeting(Param<UUID>)
    /// An action agreed at the meeting.
    case addAction(Param<UUID>)
    case actions
    /// Mark an action done, or open again.
    case actionStatus(Param<UUID>)

    static let endpoints: [MeetingRoute] = [.meetings, .newMeeting, .recordMeeting, .meeting(.key), .editMeeting(.key), .updateMeeting(.key),
                                            .addAction(.key), .actions, .actionStatus(.key)]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method {
        switch self {
        case .meetings, .newMeeting, .meeting, .editMeeting, .actions: .get
        case .recordMeeting, .updateMeeting, .addAction, .actionStatus: .post
        }
    }

    var path: String {
        switch self {
        case .meetings, .recordMeeting: "/partnership/meetings"
        case .newMeeting: "/partnership/meetings/new"
        case .meeting(let id), .updateMeeting(let id): "/partnership/meetings/\(id.segment(.meetingId))"
        case .editMeeting(let id): "/partnership/meetings/\(id.segment(.meetingId))/edit"
        case .addAction(let id): "/partnership/meetings/\(id.segment(.meetingId))/actions"
        case .actions: "/partnership/actions"
        case .actionStatus(let id): "/partnership/actions/\(id.segment(.actionId))/status"
        }
    }

    var permission: Permission {
        switch self {
        case .meetings, .meeting, .actions: .viewPartnership
        default: .editPartnership
        }
    }
}

/// Information-sharing agreements.
enum AgreementRoute: PageRoute {
    case agreements
    case newAgreement
    case createAgreement
    case agreement(Param<UUID>)
    case editAgreement(Param<UUID>)
    case updateAgreement(Param<UUID>)
    /// Record that the parties reviewed it, with the next review date.
    case review(Param<UUID>)

    static let endpoints: [AgreementRoute] = [.agreements, .newAgreement, .createAgreement, .agreement(.key), .editAgreement(.key),
                                              .updateAgreement(.key), .review(.key)]
    static let navigation: [NavEntry] = []

    var method: HTTPRequest.Method {
        switch self {
        case .agreements, .newAgreement, .agreement, .editAgreement: .get
        case .createAgreement, .updateAgreement, .review: .post
        }
    }

    var path: String {
        switch self {
        case .agreements, .createAgreement: "/partnership/agreements"
        case .newAgreement: "/partnership/agreements/new"
        case .agreement(let id), .updateAgreement(let id): "/partnership/agreements/\(id.segment(.agreementId))"
        case .editAgreement(let id): "/partnership/agreements/\(id.segment(.agreementId))/edit"
        case .review(let id): "/partnership/agreements/\(id.segment(.agreementId))/review"
        }
    }

    var permission: Permission {
        switch self {
        case .agreements, .agreement: .viewPartnership
        default: .editPartnership
        }
    }
}
