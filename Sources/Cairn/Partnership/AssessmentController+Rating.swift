import CairnCore
import Foundation

/// The rating form for the caller's agency, and one agency's ratings as others read them.
extension AssessmentController {
    struct LevelChoice: Sendable {
        let id: String
        let value: String
        let label: String
        let selected: Bool
    }

    struct FactorField: Sendable {
        /// The level's field name and the fieldset's id (`design-training`).
        let field: String
        let name: String
        let wording: String
        let levels: [LevelChoice]
        let evidence: String
        let link: String
        let comment: String
        let rated: Bool
        // nil (not "") hides each message.
        let levelError: String?
        let evidenceError: String?
        let linkError: String?
        let commentError: String?
    }

    struct FactorGroup: Sendable {
        let id: String
        let label: String
        let rated: Int
        let total: Int
        let factors: [FactorField]
    }

    struct RatePage: Sendable {
        let roundName: String
        let roundHref: String
        let action: String
        let agencyID: String
        let agencyName: String
        let closesBy: String
        let rated: Int
        let total: Int
        let groups: [FactorGroup]
        let scale: [Choice]
    }

    /// The form: what is stored, or (after a refusal) what was typed, with each field's message.
    static func ratePage(_ own: AssessmentService.AgencyRatings, typed: [AssessmentService.RatingInput]? = nil,
                         errors: [AppError.FieldError] = []) throws -> RatePage {
        let id = try own.round.requireID()
        let typedByFactor = Dictionary((typed ?? []).map { ($0.factor, $0) }, uniquingKeysWith: { first, _ in first })
        var message: [String: String] = [:]
        for error in errors where message[error.field] == nil { message[error.field] = error.message }
        let groups = FrameworkGroup.allCases.filter(\.isAssessed).map { group in
            let factors = Framework.assessed.filter { $0.group == group }.map { factor -> FactorField in
                let stored = own.ratings[factor.key]
                let input = typedByFactor[factor.key]
                let field = AssessmentService.field(factor.key)
                let level = input.map { $0.level.map(String.init) ?? "" } ?? stored.map { String($0.level) } ?? ""
                let errors = ["", "evidence", "link", "comment"].map { message[AssessmentService.field(factor.key, $0.isEmpty ? nil : $0)] }
                return FactorField(
                    field: field, name: factor.name, wording: factor.wording,
                    levels: MaturityLevel.allCases.map { m in
                        LevelChoice(id: "\(field)-\(m.rawValue)", value: String(m.rawValue), label: "\(m.rawValue) – \(m.label)", selected: level == String(m.rawValue))
                    },
                    evidence: input?.evidence ?? stored?.evidence ?? "", link: input?.evidenceLink ?? stored?.evidenceLink ?? "",
                    comment: input?.comment ?? stored?.comment ?? "", rated: stored != nil,
                    levelError: errors[0], evidenceError: errors[1], linkError: errors[2], commentError: errors[3])
            }
            return FactorGroup(id: group.rawValue, label: group.label, rated: factors.filter(\.rated).count, total: factors.count, factors: factors)
        }
        return RatePage(
            roundName: own.round.name, roundHref: AssessmentRoute.round(.value(id)).path, action: AssessmentRoute.saveRatings(.value(id)).path,
            agencyID: own.agencyID.uuidString, agencyName: own.agencyName, closesBy: Format.day(own.round.closesBy),
            rated: own.ratings.count, total: Assessment.total, groups: groups,
            scale: MaturityLevel.allCases.map { Choice(value: String($0.rawValue), label: $0.label, selected: false, hint: $0.hint) })
    }

    struct RatingRow: Sendable {
        let name: String
        let wording: String
        let level: String?
        let label: String
        let evidence: String
        let link: String?
        let comment: String?
        let ratedAt: String
    }

    struct RatingGroup: Sendable {
        let label: String
        let rows: [RatingRow]
    }

    struct AgencyPage: Sendable {
        let agencyName: String
        let roundName: String
        let roundHref: String
        let rated: Int
        let total: Int
        let groups: [RatingGroup]
        let empty: Bool
    }

    static func agencyPage(_ a: AssessmentService.AgencyRatings) throws -> AgencyPage {
        let id = try a.round.requireID()
        let groups = FrameworkGroup.allCases.filter(\.isAssessed).map { group in
            RatingGroup(label: group.label, rows: Framework.assessed.filter { $0.group == group }.map { factor in
                let r = a.ratings[factor.key]
                return RatingRow(name: factor.name, wording: factor.wording, level: r.map { String($0.level) }, label: r?.maturity?.label ?? "Not rated",
                                 evidence: r?.evidence ?? "", link: r.flatMap { $0.evidenceLink.isEmpty ? nil : $0.evidenceLink },
                                 comment: r.flatMap { $0.comment.isEmpty ? nil : $0.comment }, ratedAt: r.map { Format.dateTime($0.ratedAt) } ?? "")
            })
        }
        return AgencyPage(agencyName: a.agencyName, roundName: a.round.name, roundHref: AssessmentRoute.round(.value(id)).path,
                          rated: a.ratings.count, total: Assessment.total, groups: groups, empty: a.ratings.isEmpty)
    }
}
