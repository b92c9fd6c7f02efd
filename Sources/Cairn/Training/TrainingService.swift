import CairnCore
import FluentKit
import Foundation

/// Training: courses, their sessions, attendance (counts, or a register of named attendees),
/// anonymous before/after confidence sheets, and the totals of people trained. The only way to
/// the training tables: every signed-in person reads courses, sessions and totals
/// (`viewTraining`); trainers and coordinators change them (`manageTraining`), and only they
/// read a register. Every change, and every read of a register, is written to the audit log
/// (ids and counts, never a name or an email).
///
/// The parts: courses here, sessions in `+Sessions`, attendance and feedback in `+Attendance`,
/// totals in `+Totals`, the home page's work in `+Work`.
struct TrainingService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    /// The plan's actions a course may serve.
    let planActions: PlanActions
    /// The attendance and sheets the totals count (the same reads the plan's indicators use).
    let statistics: TrainingStatistics

    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// The partnership's calendar day.
    static func today(_ now: Date = Date()) -> CalendarDate { CalendarDate(now, in: .london) }

    // MARK: Courses

    /// A course as typed or sent.
    struct CourseInput: Sendable {
        var title = ""
        var topics: [String] = []
        var sectors: [String] = []
        var outcomes = ""
        var duration = ""
        var planActionID = ""
    }

    struct CheckedCourse: Sendable {
        let title: String
        let topics: [TrainingTopic]
        let sectors: [Sector]
        let outcomes: String
        let duration: Int
        let planActionID: UUID?
    }

    /// One course with its sessions (newest first) and the plan action it serves.
    struct CourseDetail: Sendable {
        let course: TrainingCourse
        let planAction: String?
        let sessions: [TrainingSession]
    }

    func courses(identity: Identity) async throws -> [TrainingCourse] {
        try require(identity, .viewTraining)
        return try await TrainingCourse.query(on: db).sort(\.$title).all()
    }

    func course(_ id: UUID, identity: Identity) async throws -> CourseDetail {
        try require(identity, .viewTraining)
        guard let course = try await TrainingCourse.find(id, on: db) else { throw AppError.notFound("course") }
        let sessions = try await TrainingSession.query(on: db).filter(\.$courseID == id).sort(\.$heldOn, .descending).all()
        let action = try await course.planActionID.asyncFlatMap { try await planActions.title(of: $0) }
        return CourseDetail(course: course, planAction: action, sessions: sessions)
    }

    /// The plan's actions, for the course form.
    func actionChoices(identity: Identity) async throws -> [PlanActions.Choice] {
        try require(identity, .viewTraining)
        return try await planActions.choices()
    }

    @discardableResult
    func createCourse(_ input: CourseInput, identity: Identity, address: String, now: Date = Date()) async throws -> TrainingCourse {
        try require(identity, .manageTraining)
        let checked = try await check(input)
        return try await db.transaction { tx in
            let course = TrainingCourse()
            course.id = UUID()
            Self.apply(checked, to: course)
            course.createdAt = now
            course.updatedAt = now
            try await course.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.course.created", recordType: "training_course",
                                              recordID: try course.requireID().uuidString, address: address,
                                              detail: "\(checked.topics.count) topics, \(checked.sectors.count) sectors, \(checked.duration) minutes"), on: tx)
            return course
        }
    }

    @discardableResult
    func updateCourse(_ id: UUID, _ input: CourseInput, identity: Identity, address: String, now: Date = Date()) async throws -> TrainingCourse {
        try require(identity, .manageTraining)
        let checked = try await check(input)
        return try await db.transaction { tx in
            guard let course = try await TrainingCourse.find(id, on: tx) else { throw AppError.notFound("course") }
            var changed: [String] = []
            if course.title != checked.title { changed.append("title") }
            if course.topicList != checked.topics { changed.append("topics") }
            if course.sectorList != checked.sectors { changed.append("sectors") }
            if course.outcomes != checked.outcomes { changed.append("outcomes") }
            if course.durationMinutes != checked.duration { changed.append("duration") }
            if course.planActionID != checked.planActionID { changed.append("plan action") }
            Self.apply(checked, to: course)
            course.updatedAt = now
            try await course.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.course.updated", recordType: "training_course",
                                              recordID: id.uuidString, address: address,
                                              detail: changed.isEmpty ? "no change" : "changed: " + changed.joined(separator: ", ")), on: tx)
            return course
        }
    }

    static func apply(_ c: CheckedCourse, to course: TrainingCourse) {
        course.title = c.title
        course.topics = c.topics.map(\.rawValue).joined(separator: ",")
        course.sectors = c.sectors.map(\.rawValue).joined(separator: ",")
        course.outcomes = c.outcomes
        course.durationMinutes = c.duration
        course.planActionID = c.planActionID
    }

    /// Every field checked, all problems at once (422).
    func check(_ input: CourseInput) async throws -> CheckedCourse {
        var v = Validator()
        let title = v.text(input.title, field: "title", label: "Title", required: false, max: 200)
        if title.isEmpty, v.message(for: "title") == nil { v.add("title", "Enter the course title") }
        let topics = Self.pick(input.topics, TrainingTopic.self)
        if input.topics.isEmpty { v.add("topics", "Choose at least one topic") }
        else if topics == nil { v.add("topics", "Choose topics from the list") }
        let sectors = Self.pick(input.sectors, Sector.self)
        if input.sectors.isEmpty { v.add("sectors", "Choose at least one audience sector") }
        else if sectors == nil { v.add("sectors", "Choose sectors from the list") }
        let outcomes = v.text(input.outcomes, field: "outcomes", label: "Learning outcomes", required: false, max: 4000)
        let durationText = input.duration.trimmingCharacters(in: .whitespaces)
        var duration = 0
        if durationText.isEmpty { v.add("duration", "Enter how long the course takes, in minutes") }
        else if durationText.count <= 6, let minutes = Int(durationText), (1...10_080).contains(minutes) { duration = minutes }
        else { v.add("duration", "The duration must be a whole number of minutes from 1 to 10080") }
        var action: UUID?
        let actionText = input.planActionID.trimmingCharacters(in: .whitespaces)
        if !actionText.isEmpty {
            if let id = UUID(uuidString: actionText), try await planActions.title(of: id) != nil { action = id }
            else { v.add("planActionId", "Choose a plan action from the list") }
        }
        try v.check()
        return CheckedCourse(title: title, topics: topics ?? [], sectors: sectors ?? [], outcomes: outcomes, duration: duration, planActionID: action)
    }

    /// The values in the enum's order, repeats dropped; nil if any is unknown.
    static func pick<T: CaseIterable & RawRepresentable>(_ values: [String], _ type: T.Type) -> [T]? where T.RawValue == String {
        guard values.count <= 100 else { return nil }
        var chosen = Set<String>()
        for value in values {
            guard T(rawValue: value) != nil else { return nil }
            chosen.insert(value)
        }
        return T.allCases.filter { chosen.contains($0.rawValue) }
    }
}
