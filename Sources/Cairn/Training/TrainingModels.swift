import CairnCore
import FluentKit
import Foundation

/// A training course the partnership runs: what it covers, for whom, how long it takes, and
/// the plan action it serves (by id only: the plan is the partnership's, read through
/// `PlanActions`).
final class TrainingCourse: Model, @unchecked Sendable {
    static let schema = "training_courses"
    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    /// `TrainingTopic` raw values, comma-separated, in the topics' order.
    @Field(key: "topics") var topics: String
    /// `Sector` raw values, comma-separated, in the sectors' order.
    @Field(key: "sectors") var sectors: String
    @Field(key: "outcomes") var outcomes: String
    @Field(key: "duration_minutes") var durationMinutes: Int
    @OptionalField(key: "plan_action_id") var planActionID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var topicList: [TrainingTopic] { Self.parse(topics) }
    var sectorList: [Sector] { Self.parse(sectors) }

    static func parse<T: CaseIterable & RawRepresentable>(_ text: String) -> [T] where T.RawValue == String {
        let set = Set(text.split(separator: ",").map(String.init))
        return T.allCases.filter { set.contains($0.rawValue) }
    }
}

/// One delivery of a course: when, by which agency, how, where and in what language.
final class TrainingSession: Model, @unchecked Sendable {
    static let schema = "training_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "course_id") var courseID: UUID
    /// `YYYY-MM-DD`.
    @Field(key: "held_on") var heldOn: String
    @Field(key: "trainer_agency_id") var trainerAgencyID: UUID
    /// `TrainingDelivery` raw value.
    @Field(key: "delivery") var delivery: String
    /// A postcode district (`WM1`).
    @Field(key: "area") var area: String
    @Field(key: "language") var language: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var deliveryMode: TrainingDelivery { TrainingDelivery(rawValue: delivery) ?? .inPerson }
}

/// Attendance as a count: how many people from a sector (and, if given, an agency) came.
final class TrainingAttendance: Model, @unchecked Sendable {
    static let schema = "training_attendance"
    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    /// `Sector` raw value.
    @Field(key: "sector") var sector: String
    /// The attendees' organisation as typed ("Riverside Hotels"), or empty.
    @Field(key: "agency") var agency: String
    @Field(key: "people") var people: Int

    init() {}
}

/// A named attendee on a session's register (personal data: only `manageTraining` reads it,
/// and every read and write is audited). `personKey` matches the same person across sessions.
final class TrainingAttendee: Model, @unchecked Sendable {
    static let schema = "training_attendees"
    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "name") var name: String
    @Field(key: "agency") var agency: String
    @Field(key: "email") var email: String
    /// `Sector` raw value.
    @Field(key: "sector") var sector: String
    /// `AttendeeIdentity.key`.
    @Field(key: "person_key") var personKey: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One anonymous confidence answer sheet: a pairing number per attendee, before or after, and
/// the answer (1–5) to each question.
final class TrainingResponse: Model, @unchecked Sendable {
    static let schema = "training_responses"
    @ID(key: .id) var id: UUID?
    @Field(key: "session_id") var sessionID: UUID
    /// `ConfidencePhase` raw value.
    @Field(key: "phase") var phase: String
    @Field(key: "pair") var pair: Int
    @Field(key: "recognise_signs") var recogniseSigns: Int
    @Field(key: "how_to_report") var howToReport: Int
    @Field(key: "after_reporting") var afterReporting: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    var sheet: ConfidenceSheet {
        ConfidenceSheet(pair: pair, phase: ConfidencePhase(rawValue: phase) ?? .before,
                        answers: [.recogniseSigns: recogniseSigns, .howToReport: howToReport, .afterReporting: afterReporting])
    }
}
