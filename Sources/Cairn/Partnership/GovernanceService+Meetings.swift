import CairnCore
import FluentKit
import Foundation

/// Meetings of the board, a sub-group or a network: the date, which member agencies were there
/// or sent apologies, the papers (a title and a link each) and the decisions, in order.
extension GovernanceService {
    enum MeetingSort: String, CaseIterable, Sendable {
        case newest, oldest

        var label: String { self == .newest ? "Newest first" : "Oldest first" }
    }

    struct Paper: Sendable, Equatable {
        var title: String
        var url: String
    }

    struct MeetingInput: Sendable {
        var groupID = ""
        var heldOn = ""
        var title = ""
        var present: [String] = []
        var apologies: [String] = []
        var papers: [Paper] = []
        var decisions: [String] = []
    }

    struct MeetingRow: Sendable {
        let meeting: GovernanceMeeting
        let group: GovernanceGroup?
        let present: Int
        let openActions: Int
    }

    struct MeetingDetail: Sendable {
        let meeting: GovernanceMeeting
        let group: GovernanceGroup
        /// Each agency with its attendance, by name.
        let attendance: [(agency: Agency, status: AttendanceStatus)]
        let papers: [Paper]
        let decisions: [String]
        let actions: [GovernanceAction]
        let agencies: [UUID: Agency]
    }

    static let maxPapers = 20
    static let maxDecisions = 50

    func meetings(identity: Identity, groupID: UUID? = nil, sort: MeetingSort = .newest, page: Int = 1, perPage: Int = 25) async throws -> ListPage<MeetingRow> {
        try require(identity, .viewPartnership)
        var query = GovernanceMeeting.query(on: db)
        if let groupID { query = query.filter(\.$groupID == groupID) }
        let total = try await query.copy().count()
        let range = Pagination.rows(page: page, perPage: perPage)
        let meetings = try await query.sort(\.$heldOn, sort == .newest ? .descending : .ascending).sort(\.$createdAt, .descending)
            .range(range).all()
        let ids = try meetings.map { try $0.requireID() }
        let groups = Dictionary(try await GovernanceGroup.query(on: db).all().map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        var present: [UUID: Int] = [:], open: [UUID: Int] = [:]
        for row in try await MeetingAttendance.query(on: db).filter(\.$meetingID ~~ ids).filter(\.$status == AttendanceStatus.present.rawValue).all() {
            present[row.meetingID, default: 0] += 1
        }
        for action in try await GovernanceAction.query(on: db).filter(\.$meetingID ~~ ids).filter(\.$status == GovernanceActionStatus.open.rawValue).all() {
            open[action.meetingID, default: 0] += 1
        }
        let rows = try meetings.map { m in
            let id = try m.requireID()
            return MeetingRow(meeting: m, group: groups[m.groupID], present: present[id] ?? 0, openActions: open[id] ?? 0)
        }
        return ListPage(rows: rows, total: total, page: page, perPage: perPage)
    }

    func meeting(_ id: UUID, identity: Identity) async throws -> MeetingDetail {
        try require(identity, .viewPartnership)
        guard let meeting = try await GovernanceMeeting.find(id, on: db), let group = try await GovernanceGroup.find(meeting.groupID, on: db) else {
            throw AppError.notFound("meeting")
        }
        let agencies = try await Self.agencies(on: db)
        let attendance = try await MeetingAttendance.query(on: db).filter(\.$meetingID == id).all().compactMap { row -> (Agency, AttendanceStatus)? in
            guard let agency = agencies[row.agencyID] else { return nil }
            return (agency, AttendanceStatus(rawValue: row.status) ?? .present)
        }.sorted { $0.0.name.localizedCaseInsensitiveCompare($1.0.name) == .orderedAscending }
        let items = try await MeetingItem.query(on: db).filter(\.$meetingID == id).sort(\.$position).all()
        let actions = try await GovernanceAction.query(on: db).filter(\.$meetingID == id).sort(\.$dueOn).sort(\.$createdAt).all()
        return MeetingDetail(meeting: meeting, group: group, attendance: attendance,
                             papers: items.filter { $0.kind == MeetingItem.Kind.paper.rawValue }.map { Paper(title: $0.text, url: $0.url) },
                             decisions: items.filter { $0.kind == MeetingItem.Kind.decision.rawValue }.map(\.text),
                             actions: actions, agencies: agencies)
    }

    /// Records a meeting, and any actions agreed at it (the API sends them together).
    func recordMeeting(_ input: MeetingInput, actions: [ActionInput] = [], identity: Identity, address: String, now: Date = Date()) async throws -> GovernanceMeeting {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            let meeting = GovernanceMeeting()
            meeting.id = UUID()
            meeting.createdAt = now
            var v = Validator()
            let checked = try await check(input, into: &v, on: tx)
            let current = try await Self.currentMembers(on: tx), agencies = try await Self.agencies(on: tx)
            let owned = actions.enumerated().map { index, action in
                checkAction(action, prefix: "actions[\(index)].", members: current, agencies: agencies, into: &v)
            }
            try v.check()
            let id = try meeting.requireID()
            try await store(checked, in: meeting, now: now, on: tx, isNew: true)
            for (text, owner, due) in owned.compactMap({ $0 }) {
                try await newAction(meeting: id, text: text, owner: owner, due: due, now: now).create(on: tx)
            }
            try await log(identity, "meeting.recorded", "partnership_meeting", id, address: address,
                          detail: "\(checked.attendance.count) agencies; \(checked.papers.count) papers; \(checked.decisions.count) decisions; \(owned.count) actions", on: tx)
            return meeting
        }
    }

    /// Changes a meeting's date, title, attendance, papers and decisions (its actions stay).
    func updateMeeting(_ id: UUID, _ input: MeetingInput, identity: Identity, address: String, now: Date = Date()) async throws -> GovernanceMeeting {
        try require(identity, .editPartnership)
        return try await db.transaction { tx in
            guard let meeting = try await GovernanceMeeting.find(id, on: tx) else { throw AppError.notFound("meeting") }
            var v = Validator()
            let checked = try await check(input, keeping: Set(try await MeetingAttendance.query(on: tx).filter(\.$meetingID == id).all().map(\.agencyID)),
                                          into: &v, on: tx)
            try v.check()
            try await store(checked, in: meeting, now: now, on: tx, isNew: false)
            try await log(identity, "meeting.updated", "partnership_meeting", id, address: address,
                          detail: "\(checked.attendance.count) agencies; \(checked.papers.count) papers; \(checked.decisions.count) decisions", on: tx)
            return meeting
        }
    }

    struct CheckedMeeting {
        var group: GovernanceGroup?
        var heldOn: CalendarDate?
        var title: String
        var attendance: [(UUID, AttendanceStatus)]
        var papers: [Paper]
        var decisions: [String]
    }

    /// Checks a meeting: a group that exists, a real date, attendance by member agencies (an
    /// agency that has left since may stay on a meeting it attended: `keeping`), each named
    /// once; papers with a title and a web address; decisions of bounded length.
    private func check(_ input: MeetingInput, keeping: Set<UUID> = [], into v: inout Validator, on tx: any Database) async throws -> CheckedMeeting {
        var group: GovernanceGroup?
        if let id = UUID(uuidString: input.groupID.trimmingCharacters(in: .whitespaces)) { group = try await GovernanceGroup.find(id, on: tx) }
        if group == nil { v.add("groupId", "Choose the board, sub-group or network that met.") }
        let heldOn = Self.date(input.heldOn, field: "heldOn", label: "The date of the meeting", into: &v)
        var title = v.text(input.title, field: "title", label: "Title", required: false, max: 200)
        if title.isEmpty, let group, let heldOn { title = "\(group.name), \(Format.day(heldOn))" }
        let agencies = try await Self.agencies(on: tx)
        var members = try await Self.currentMembers(on: tx)
        for id in keeping where members[id] == nil {
            if let former = try await PartnershipMember.query(on: tx).filter(\.$agencyID == id).first() { members[id] = former }
        }
        let present = Self.memberAgencies(input.present, field: "present", members: members, agencies: agencies, into: &v)
        let apologies = Self.memberAgencies(input.apologies, field: "apologies", members: members, agencies: agencies, into: &v)
        if let both = present.first(where: apologies.contains) {
            v.add("apologies", "\(agencies[both]?.name ?? "An agency") is marked both present and as sending apologies: choose one.")
        }
        var papers: [Paper] = []
        if input.papers.count > Self.maxPapers { v.add("papers", "A meeting can have up to \(Self.maxPapers) papers.") }
        for (index, paper) in input.papers.prefix(Self.maxPapers).enumerated() {
            let t = paper.title.trimmingCharacters(in: .whitespacesAndNewlines), u = paper.url.trimmingCharacters(in: .whitespaces)
            if t.isEmpty && u.isEmpty { continue }
            let cleaned = v.text(t, field: "paperTitle\(index + 1)", label: "Paper \(index + 1)'s title", max: 200)
            if let problem = DocumentLink.problem(u, label: "Paper \(index + 1)'s link") {
                v.add("paperUrl\(index + 1)", problem)
            }
            papers.append(Paper(title: cleaned, url: u))
        }
        var decisions: [String] = []
        let given = input.decisions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if given.count > Self.maxDecisions { v.add("decisions", "Record up to \(Self.maxDecisions) decisions for one meeting.") }
        for text in given.prefix(Self.maxDecisions) {
            let before = v.errors.count
            let cleaned = v.text(text, field: "decisions", label: "Each decision", max: 1000)
            if v.errors.count > before { break }
            decisions.append(cleaned)
        }
        return CheckedMeeting(group: group, heldOn: heldOn, title: title,
                              attendance: present.map { ($0, .present) } + apologies.map { ($0, .apologies) }, papers: papers, decisions: decisions)
    }

    private func store(_ checked: CheckedMeeting, in meeting: GovernanceMeeting, now: Date, on tx: any Database, isNew: Bool) async throws {
        let id = try meeting.requireID()
        meeting.groupID = try checked.group.checked("group").requireID()
        meeting.heldOn = try checked.heldOn.checked("date").description
        meeting.title = checked.title
        meeting.updatedAt = now
        if isNew { try await meeting.create(on: tx) } else { try await meeting.save(on: tx) }
        try await MeetingAttendance.query(on: tx).filter(\.$meetingID == id).delete()
        try await MeetingItem.query(on: tx).filter(\.$meetingID == id).delete()
        for (agency, status) in checked.attendance { try await MeetingAttendance(meeting: id, agency: agency, status: status).create(on: tx) }
        for (index, paper) in checked.papers.enumerated() {
            try await MeetingItem(meeting: id, kind: .paper, position: index, text: paper.title, url: paper.url).create(on: tx)
        }
        for (index, decision) in checked.decisions.enumerated() {
            try await MeetingItem(meeting: id, kind: .decision, position: index, text: decision).create(on: tx)
        }
    }
}
