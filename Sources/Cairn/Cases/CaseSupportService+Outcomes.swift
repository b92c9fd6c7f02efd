import CairnCore
import FluentKit
import Foundation

/// Core outcomes rated with the survivor at each review point.
extension CaseSupportService {
    /// The case's reviews, earliest first.
    func reviews(of c: AuthorisedCase) async throws -> [CaseOutcomeReview] {
        let rows = try await CaseOutcomeReview.query(on: db).filter(\.$caseID == c.id).all()
        return rows.sorted { $0.reviewDate < $1.reviewDate }
    }

    /// Records the core outcomes rated with the survivor at a review point (once per point).
    func recordReview(_ c: AuthorisedCase, point: String, date: String, ratings: [String: String], note: String,
                      address: String, now: Date = Date()) async throws -> CaseOutcomeReview {
        var v = Validator()
        let reviewPoint = ReviewPoint(rawValue: point)
        if reviewPoint == nil { v.add("point", "Choose the review point.") }
        let day = Self.date(date.isEmpty ? Self.today(now).description : date, field: "reviewDate", label: "Review date", required: true, into: &v)
        if let day, day > Self.today(now) { v.add("reviewDate", "The review date (\(day)) is in the future.") }
        var values: [String: String] = [:]
        for outcome in CoreOutcome.allCases {
            let raw = ratings[outcome.rawValue] ?? ""
            if raw.isEmpty { continue }
            if OutcomeRating(rawValue: raw) == nil { v.add("rating_\(outcome.rawValue)", "Choose a rating for “\(outcome.label)”.") } else { values[outcome.rawValue] = raw }
        }
        for key in ratings.keys where CoreOutcome(rawValue: key) == nil { v.add("ratings", "“\(key.prefix(40))” is not a core outcome.") }
        if values.isEmpty { v.add("ratings", "Rate at least one outcome with the survivor.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        let checked = v
        return try await db.transaction { [values] tx in
            var v = checked
            let record = c.record  // opened-on and chosen name are fixed when a case is opened
            if let day, day < CalendarDate(record.openedAt, in: Self.london) {
                v.add("reviewDate", "The review date (\(day)) is before the case was opened (\(CalendarDate(record.openedAt, in: Self.london))).")
            }
            if let reviewPoint, try await CaseOutcomeReview.query(on: tx).filter(\.$caseID == c.id).filter(\.$point == reviewPoint.rawValue).first() != nil {
                v.add("point", "The \(reviewPoint.label.lowercased()) review is already recorded.")
            }
            try v.check()
            let row = CaseOutcomeReview()
            row.id = UUID()
            row.caseID = c.id
            row.point = try reviewPoint.checked().rawValue
            row.reviewDate = try day.checked().description
            row.ratings = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
            row.note = cleaned
            row.recordedByID = c.identity.userID
            row.recordedAt = now
            try await row.create(on: tx)
            try await log(c, "case.outcomes.recorded", address, try reviewPoint.checked().rawValue, on: tx)
            return row
        }
    }
}
