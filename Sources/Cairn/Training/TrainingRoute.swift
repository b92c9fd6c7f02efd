import CairnCore
import Foundation
import HTTPTypes

/// Training's pages and forms under `/training`: the totals, courses, sessions, and on a
/// session its attendance, register and confidence feedback.
enum TrainingRoute: PageRoute {
    /// People trained by sector, area, course or month over a period, with a chart.
    case totals
    case courses
    case newCourse
    case createCourse
    case course(Param<UUID>)
    case editCourse(Param<UUID>)
    case updateCourse(Param<UUID>)
    /// Sessions, newest first (`?when=upcoming|past`, `?course=`), a page at a time.
    case sessions
    /// The form for a new session (`?course=` fills in the course).
    case newSession
    case createSession
    /// One session: attendance, feedback results, and the forms to record them.
    case session(Param<UUID>)
    /// Replace the session's attendance counts.
    case recordAttendance(Param<UUID>)
    /// The session's register of named attendees (trainers and coordinators only).
    case register(Param<UUID>)
    case addAttendee(Param<UUID>)
    /// Record one anonymous confidence sheet.
    case recordFeedback(Param<UUID>)
    /// The form to edit a session's details.
    case editSession(Param<UUID>)
    case updateSession(Param<UUID>)
    /// Ask before deleting a session with its attendance, register and sheets.
    case confirmDeleteSession(Param<UUID>)
    case deleteSession(Param<UUID>)
    /// Ask before taking a person off a session's register.
    case confirmRemoveAttendee(Param<UUID>, Param<UUID>)
    case removeAttendee(Param<UUID>, Param<UUID>)

    static let endpoints: [TrainingRoute] = [
        .totals, .courses, .newCourse, .createCourse, .course(.key), .editCourse(.key), .updateCourse(.key), .sessions, .newSession,
        .createSession, .session(.key), .recordAttendance(.key), .register(.key), .addAttendee(.key), .recordFeedback(.key),
        .editSession(.key), .updateSession(.key), .confirmDeleteSession(.key), .deleteSession(.key), .confirmRemoveAttendee(.key, .key),
        .removeAttendee(.key, .key),
    ]
    static let navigation = [NavEntry(89, "Training", TrainingRoute.totals)]

    var method: HTTPRequest.Method {
        switch self {
        case .createCourse, .updateCourse, .createSession, .recordAttendance, .addAttendee, .recordFeedback, .updateSession, .deleteSession,
             .removeAttendee: .post
        case .totals, .courses, .newCourse, .course, .editCourse, .sessions, .newSession, .session, .register, .editSession, .confirmDeleteSession,
             .confirmRemoveAttendee: .get
        }
    }

    var path: String {
        switch self {
        case .totals: "/training"
        case .courses, .createCourse: "/training/courses"
        case .newCourse: "/training/courses/new"
        case .course(let id), .updateCourse(let id): "/training/courses/\(id.segment(.courseId))"
        case .editCourse(let id): "/training/courses/\(id.segment(.courseId))/edit"
        case .sessions, .createSession: "/training/sessions"
        case .newSession: "/training/sessions/new"
        case .session(let id), .updateSession(let id): "/training/sessions/\(id.segment(.sessionId))"
        case .editSession(let id): "/training/sessions/\(id.segment(.sessionId))/edit"
        case .confirmDeleteSession(let id), .deleteSession(let id): "/training/sessions/\(id.segment(.sessionId))/delete"
        case .confirmRemoveAttendee(let id, let attendee), .removeAttendee(let id, let attendee):
            "/training/sessions/\(id.segment(.sessionId))/register/\(attendee.segment(.attendeeId))/remove"
        case .recordAttendance(let id): "/training/sessions/\(id.segment(.sessionId))/attendance"
        case .register(let id), .addAttendee(let id): "/training/sessions/\(id.segment(.sessionId))/register"
        case .recordFeedback(let id): "/training/sessions/\(id.segment(.sessionId))/feedback"
        }
    }

    var permission: Permission {
        switch self {
        case .totals, .courses, .course, .sessions, .session: .viewTraining
        case .newCourse, .createCourse, .editCourse, .updateCourse, .newSession, .createSession, .recordAttendance, .register, .addAttendee,
             .recordFeedback, .editSession, .updateSession, .confirmDeleteSession, .deleteSession, .confirmRemoveAttendee, .removeAttendee: .manageTraining
        }
    }
}
