import CairnCore
import Foundation

/// Training's forms (`training/*`), read with `FormInput`. A field left out reads as empty, for
/// the service to refuse with its own message.

/// A new or edited course.
struct CourseForm: FormInput {
    static let lists: Set<String> = ["topics", "sectors"]
    var title: String?
    var topics: [String]?
    var sectors: [String]?
    var outcomes: String?
    var duration: String?
    var planActionId: String?

    var input: TrainingService.CourseInput {
        .init(title: title ?? "", topics: topics ?? [], sectors: sectors ?? [], outcomes: outcomes ?? "", duration: duration ?? "",
              planActionID: planActionId ?? "")
    }
}

/// A new session, its date in GOV.UK boxes (`heldOn-day`…).
struct SessionForm: DatedForm {
    var courseId: String?
    var heldOn: String?
    var trainerAgencyId: String?
    var delivery: String?
    var area: String?
    var language: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("heldOn", \.heldOn, DateInput.Rules(label: "Date of the session"))]
    }

    var input: TrainingService.SessionInput {
        .init(courseID: courseId ?? "", heldOn: heldOn ?? "", trainerAgencyID: trainerAgencyId ?? "", delivery: delivery ?? "",
              area: area ?? "", language: language ?? "")
    }
}

/// The attendance counts: rows of sector, agency and number of people, in order.
struct AttendanceForm: FormInput {
    static let lists: Set<String> = ["sector", "agency", "people"]
    var sector: [String]?
    var agency: [String]?
    var people: [String]?

    var rows: [TrainingService.CountInput] {
        let sectors = sector ?? [], agencies = agency ?? [], counts = people ?? []
        let n = max(sectors.count, agencies.count, counts.count)
        func at(_ list: [String], _ i: Int) -> String { list.indices.contains(i) ? list[i] : "" }
        return (0..<n).map { .init(sector: at(sectors, $0), agency: at(agencies, $0), people: at(counts, $0)) }
    }
}

/// One named attendee for the register.
struct AttendeeForm: FormInput {
    var name: String?
    var agency: String?
    var email: String?
    var sector: String?

    var input: TrainingService.AttendeeInput {
        .init(name: name ?? "", agency: agency ?? "", email: email ?? "", sector: sector ?? "")
    }
}

/// One anonymous confidence sheet.
struct FeedbackForm: FormInput {
    var phase: String?
    var pair: String?
    var recognise_signs: String?
    var how_to_report: String?
    var after_reporting: String?

    var input: TrainingService.SheetInput {
        .init(phase: phase ?? "", pair: pair ?? "",
              answers: [ConfidenceQuestion.recogniseSigns.rawValue: recognise_signs ?? "", ConfidenceQuestion.howToReport.rawValue: how_to_report ?? "",
                        ConfidenceQuestion.afterReporting.rawValue: after_reporting ?? ""])
    }
}
