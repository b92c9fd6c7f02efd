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

    static let endpoints: [TrainingRoute] = [
        .totals, .courses, .newCourse, .createCourse, .course(.key), .editCourse(.key), .updateCourse(.key), .sessions, .newSession,
        .createSession, .session(.key), .recordAttendance(.key), .register(.key), .addAttendee(.key), .recordFeedback(.key),
    ]
    static let navigation = [NavEntry(89, "Training", TrainingRoute.totals)]

    var method: HTTPRequest.Method {
        switch self {
        case .createCourse, .updateCourse, .createSession, .recordAttendance, .addAttendee, .recordFeedback: .post
        case .totals, .courses, .newCourse, .course, .editCourse, .sessions, .newSession, .session, .register: .get
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
        case .session(let id): "/training/sessions/\(id.segment(.sessionId))"
        case .recordAttendance(let id): "/training/sessions/\(id.segment(.sessionId))/attendance"
        case .register(let id), .addAttendee(let id): "/training/sessions/\(id.segment(.sessionId))/register"
        case .recordFeedback(let id): "/training/sessions/\(id.segment(.sessionId))/feedback"
        }
    }

    var permission: Permission {
        switch self {
        case .totals, .courses, .course, .sessions, .session: .viewTraining
        case .newCourse, .createCourse, .editCourse, .updateCourse, .newSession, .createSession, .recordAttendance, .register, .addAttendee,
             .recordFeedback: .manageTraining
        }
    }
}
