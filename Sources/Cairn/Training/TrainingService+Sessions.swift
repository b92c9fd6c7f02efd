import CairnCore
import FluentKit
import Foundation

/// Sessions: one delivery of a course. A session cannot be dated before its course was
/// recorded (the course did not exist then).
extension TrainingService {
    struct SessionInput: Sendable {
        var courseID = ""
        /// `YYYY-MM-DD`.
        var heldOn = ""
        var trainerAgencyID = ""
        var delivery = ""
        var area = ""
        var language = ""
    }

    /// A session with what its page shows (never the register's names).
    struct SessionDetail: Sendable {
        let session: TrainingSession
        let course: TrainingCourse
        let trainerAgency: String
        let attendance: [TrainingAttendance]
        /// How many people are on the register (0 when it keeps counts).
        let registered: Int
        let sheets: [ConfidenceSheet]
        var peopleCounted: Int { attendance.reduce(0) { $0 + $1.people } + registered }
        var hasAttendance: Bool { !attendance.isEmpty || registered > 0 }
    }

    struct SessionQuery: Sendable {
        var courseID: UUID?
        /// Upcoming (today on) or past sessions only.
        var when: When?
        var page = 1
        var perPage = 25
        enum When: String, Sendable { case upcoming, past }
    }

    /// Sessions, newest first (upcoming ones soonest first when only they are asked for), a page
    /// at a time, with the total.
    func sessions(_ q: SessionQuery, identity: Identity, today: CalendarDate = TrainingService.today()) async throws -> ([TrainingSession], Int) {
        try require(identity, .viewTraining)
        let query = TrainingSession.query(on: db)
        if let course = q.courseID { query.filter(\.$courseID == course) }
        switch q.when {
        case .upcoming: query.filter(\.$heldOn >= today.description).sort(\.$heldOn, .ascending)
        case .past: query.filter(\.$heldOn < today.description).sort(\.$heldOn, .descending)
        case nil: query.sort(\.$heldOn, .descending)
        }
        query.sort(\.$createdAt, .descending)
        let total = try await query.copy().count()
        let rows = try await query.range(Pagination.rows(page: q.page, perPage: q.perPage)).all()
        return (rows, total)
    }

    func session(_ id: UUID, identity: Identity) async throws -> SessionDetail {
        try require(identity, .viewTraining)
        guard let session = try await TrainingSession.find(id, on: db),
              let course = try await TrainingCourse.find(session.courseID, on: db) else { throw AppError.notFound("session") }
        let agency = try await Agency.find(session.trainerAgencyID, on: db)
        let attendance = try await TrainingAttendance.query(on: db).filter(\.$sessionID == id).sort(\.$sector).sort(\.$agency).all()
        let registered = try await TrainingAttendee.query(on: db).filter(\.$sessionID == id).count()
        let sheets = try await TrainingResponse.query(on: db).filter(\.$sessionID == id).sort(\.$pair).all().map(\.sheet)
        return SessionDetail(session: session, course: course, trainerAgency: agency?.name ?? "", attendance: attendance, registered: registered, sheets: sheets)
    }

    /// Course titles by id, for lists.
    func courseTitles(identity: Identity) async throws -> [UUID: String] {
        try require(identity, .viewTraining)
        let courses = try await TrainingCourse.query(on: db).field(\.$id).field(\.$title).all()
        return Dictionary(courses.compactMap { c in c.id.map { ($0, c.title) } }, uniquingKeysWith: { first, _ in first })
    }

    @discardableResult
    func createSession(_ input: SessionInput, identity: Identity, address: String, now: Date = Date()) async throws -> TrainingSession {
        try require(identity, .manageTraining)
        return try await db.transaction { tx in
            let (course, heldOn, agency, delivery, area, language) = try await Self.checkSession(input, on: tx)
            let session = TrainingSession()
            session.id = UUID()
            session.courseID = try course.requireID()
            session.heldOn = heldOn.description
            session.trainerAgencyID = try agency.requireID()
            session.delivery = delivery.rawValue
            session.area = area
            session.language = language
            session.createdAt = now
            session.updatedAt = now
            try await session.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "training.session.created", recordType: "training_session",
                                              recordID: try session.requireID().uuidString, address: address,
                                              detail: "course \(session.courseID.uuidString); held \(Format.day(session.heldOn)); \(delivery.rawValue); \(area)"), on: tx)
            return session
        }
    }

    /// Checks a session as typed, all problems at once (422): the course and trainer agency
    /// exist, the date is real and not before the course was recorded.
    static func checkSession(_ input: SessionInput, on tx: any Database) async throws
        -> (course: TrainingCourse, heldOn: CalendarDate, agency: Agency, delivery: TrainingDelivery, area: String, language: String) {
        var v = Validator()
        let course = try await UUID(uuidString: input.courseID.trimmingCharacters(in: .whitespaces)).asyncFlatMap { try await TrainingCourse.find($0, on: tx) }
        if course == nil { v.add("courseId", input.courseID.isEmpty ? "Choose the course" : "Choose a course from the list") }
        var heldOn: CalendarDate?
        let dateText = input.heldOn.trimmingCharacters(in: .whitespaces)
        if dateText.isEmpty { v.add("heldOn", "Enter the date of the session") }
        else if let day = try? CalendarDate(parsing: dateText) { heldOn = day }
        else { v.add("heldOn", "The date of the session must be a real date") }
        if let heldOn, let course {
            let added = CalendarDate(course.createdAt, in: .london)
            if heldOn < added {
                v.add("heldOn", "The session is dated before its course existed: the course was added on \(Format.day(added.description)). "
                      + "Check the date, or record the course first.")
            }
        }
        let agency = try await UUID(uuidString: input.trainerAgencyID.trimmingCharacters(in: .whitespaces)).asyncFlatMap { try await Agency.find($0, on: tx) }
        if agency == nil { v.add("trainerAgencyId", "Choose the agency that delivered the training") }
        let delivery = TrainingDelivery(rawValue: input.delivery.trimmingCharacters(in: .whitespaces))
        if delivery == nil { v.add("delivery", "Choose in person or online") }
        let area = Self.district(input.area, &v)
        let language = v.text(input.language, field: "language", label: "Language", required: false, max: 60)
        if language.isEmpty, v.message(for: "language") == nil { v.add("language", "Enter the language the session was given in") }
        try v.check()
        guard let course, let heldOn, let agency, let delivery else { throw AppError.invalid(v.errors) }
        return (course, heldOn, agency, delivery, area, language)
    }

    /// A postcode district (`WM1`), as the rest of Cairn takes an area: letters and digits, up
    /// to four, starting with a letter.
    static func district(_ text: String, _ v: inout Validator) -> String {
        let area = text.trimmingCharacters(in: .whitespaces).uppercased()
        if area.isEmpty { v.add("area", "Enter the area as a postcode district, such as WM1"); return "" }
        guard area.count <= 4, area.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), area.first?.isLetter == true else {
            v.add("area", "An area is a postcode district such as WM1")
            return ""
        }
        return area
    }
}
