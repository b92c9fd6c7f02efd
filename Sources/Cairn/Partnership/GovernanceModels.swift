import CairnCore
import FluentKit
import Foundation

// Storage of the partnership's members and governance (`CreatePartnershipGovernance`). Only
// the governance service reads or writes these; agencies are referred to by id, as every
// capability refers to the shared directory.

/// An agency's membership of the partnership.
final class PartnershipMember: Model, @unchecked Sendable {
    static let schema = "partnership_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    /// `MemberRole` raw value.
    @Field(key: "role") var role: String
    @Field(key: "joined_on") var joinedOn: String
    @OptionalField(key: "left_on") var leftOn: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var memberRole: MemberRole { MemberRole(rawValue: role) ?? .member }
    var isCurrent: Bool { leftOn == nil }
}

/// A named contact at a member agency: name, job role, and optionally a work e-mail address and
/// phone number. The least personal data that lets the partnership reach the agency.
final class PartnershipContact: Model, @unchecked Sendable {
    static let schema = "partnership_contacts"
    @ID(key: .id) var id: UUID?
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// The board, a sub-group or a sector network.
final class GovernanceGroup: Model, @unchecked Sendable {
    static let schema = "partnership_groups"
    @ID(key: .id) var id: UUID?
    /// `GovernanceGroupKind` raw value.
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    /// Terms of reference (for a network, what it is for).
    @Field(key: "terms") var terms: String
    @OptionalField(key: "chair_agency_id") var chairAgencyID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var groupKind: GovernanceGroupKind { GovernanceGroupKind(rawValue: kind) ?? .subgroup }
}

final class GovernanceGroupMember: Model, @unchecked Sendable {
    static let schema = "partnership_group_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "group_id") var groupID: UUID
    @Field(key: "agency_id") var agencyID: UUID

    init() {}
    init(group: UUID, agency: UUID) {
        id = UUID()
        groupID = group
        agencyID = agency
    }
}

final class GovernanceMeeting: Model, @unchecked Sendable {
    static let schema = "partnership_meetings"
    @ID(key: .id) var id: UUID?
    @Field(key: "group_id") var groupID: UUID
    @Field(key: "held_on") var heldOn: String
    @Field(key: "title") var title: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class MeetingAttendance: Model, @unchecked Sendable {
    static let schema = "partnership_meeting_attendance"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "agency_id") var agencyID: UUID
    /// `AttendanceStatus` raw value.
    @Field(key: "status") var status: String

    init() {}
    init(meeting: UUID, agency: UUID, status: AttendanceStatus) {
        id = UUID()
        meetingID = meeting
        agencyID = agency
        self.status = status.rawValue
    }
}

/// A paper (title and link) or a decision of a meeting, in order.
final class MeetingItem: Model, @unchecked Sendable {
    static let schema = "partnership_meeting_items"
    enum Kind: String { case paper, decision }
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    /// A paper's address; empty for a decision.
    @Field(key: "url") var url: String

    init() {}
    init(meeting: UUID, kind: Kind, position: Int, text: String, url: String = "") {
        id = UUID()
        meetingID = meeting
        self.kind = kind.rawValue
        self.position = position
        self.text = text
        self.url = url
    }
}

/// An item of the action log, agreed at a meeting.
final class GovernanceAction: Model, @unchecked Sendable {
    static let schema = "governance_actions"
    @ID(key: .id) var id: UUID?
    @Field(key: "meeting_id") var meetingID: UUID
    @Field(key: "text") var text: String
    @Field(key: "owner_agency_id") var ownerAgencyID: UUID
    @Field(key: "due_on") var dueOn: String
    /// `GovernanceActionStatus` raw value.
    @Field(key: "status") var status: String
    @OptionalField(key: "done_on") var doneOn: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var actionStatus: GovernanceActionStatus { GovernanceActionStatus(rawValue: status) ?? .open }
    var due: CalendarDate? { try? CalendarDate(parsing: dueOn) }
    func isOverdue(today: CalendarDate) -> Bool { due.map { actionStatus.isOverdue(due: $0, today: today) } ?? false }
}
