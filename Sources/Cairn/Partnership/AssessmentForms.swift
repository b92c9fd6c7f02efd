import CairnCore
import Foundation

/// Opening a round (`partnership/assessment-new`): its name and two GOV.UK dates.
struct NewRoundForm: DatedForm {
    var name: String?
    var opensOn: String?
    var closesBy: String?

    var dateFields: [DateFormField<Self>] {
        [DateFormField("opensOn", \.opensOn, DateInput.Rules(label: "Opening date")),
         DateFormField("closesBy", \.closesBy, DateInput.Rules(label: "Closing date", timing: .todayOrFuture))]
    }

    var input: AssessmentService.RoundInput {
        AssessmentService.RoundInput(name: name ?? "", opensOn: opensOn ?? "", closesBy: closesBy ?? "")
    }
}

/// An agency's ratings (`partnership/assessment-rate`): for each assessed principle and factor
/// its level (`design-training`, a radio 1–4, absent when not chosen), evidence
/// (`design-training-evidence`), link and comment; and the agency the form was for (`agency`).
struct RatingsForm: FormInput {
    var agency: String?
    var ratings: [AssessmentService.RatingInput]

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: FormKey.self)
        agency = try fields.decodeIfPresent(String.self, forKey: FormKey("agency"))
        var ratings: [AssessmentService.RatingInput] = []
        for factor in Framework.assessed {
            func text(_ part: String) throws -> String {
                try fields.decodeIfPresent(String.self, forKey: FormKey(AssessmentService.field(factor.key, part))) ?? ""
            }
            let levelText = try fields.decodeIfPresent(String.self, forKey: FormKey(AssessmentService.field(factor.key))) ?? ""
            let trimmed = levelText.trimmingCharacters(in: .whitespaces)
            // A level that is not a small whole number is still a level: the service refuses it by name.
            let level: Int? = trimmed.isEmpty ? nil : (trimmed.count <= 2 ? Int(trimmed) : nil) ?? 0
            ratings.append(.init(factor: factor.key, level: level, evidence: try text("evidence"), evidenceLink: try text("link"),
                                 comment: try text("comment")))
        }
        self.ratings = ratings
    }
}
