import CairnCore
import FluentKit
import Foundation

/// A round's results: every agency's progress, the heat map of their ratings with the
/// partnership's median per factor, and the change since the previous closed round.
extension AssessmentService {
    struct AgencyProgress: Sendable {
        let id: UUID
        let name: String
        /// Principles and factors rated, of `Assessment.total`.
        let rated: Int
        let lastSaved: Date?
    }

    struct RoundResults: Sendable {
        let round: AssessmentRound
        /// The closed round before this one, whose medians the change is measured from.
        let previous: AssessmentRound?
        /// Every agency of the partnership, by name, with how far it got.
        let progress: [AgencyProgress]
        /// Columns: the agencies that rated anything, by name.
        let columns: [AgencyProgress]
        let map: Assessment.HeatMap
        let ratings: [AssessmentRating]
        /// The plan's actions made from this round's gaps, by the factor each answers.
        let answeredBy: [String: [PlannedAction]]
    }

    struct PlannedAction: Sendable {
        let id: UUID
        let title: String
    }

    func results(_ roundID: UUID, identity: Identity) async throws -> RoundResults {
        try require(identity, .viewPartnership)
        let round = try await find(roundID)
        let ratings = try await AssessmentRating.query(on: db).filter(\.$roundID == roundID).all()
        var previous: AssessmentRound?
        var previousRatings: [AssessmentRating]?
        if let place = round.place {
            let rounds = try await AssessmentRound.query(on: db).all()
            if let id = Assessment.previousClosed(before: place, among: rounds.compactMap(\.place)) {
                previous = rounds.first { $0.id == id }
                previousRatings = try await AssessmentRating.query(on: db).filter(\.$roundID == id).all()
            }
        }
        let agencies = try await Agency.query(on: db).sort(\.$name).all()
        let rated = ratings.compactMap(\.rated)
        let counts = Assessment.progress(rated)
        var lastSaved: [UUID: Date] = [:]
        for rating in ratings { lastSaved[rating.agencyID] = max(lastSaved[rating.agencyID] ?? .distantPast, rating.ratedAt) }
        let progress = agencies.compactMap { agency in
            agency.id.map { AgencyProgress(id: $0, name: agency.name, rated: counts[$0] ?? 0, lastSaved: lastSaved[$0]) }
        }
        let columns = progress.filter { $0.rated > 0 }
        let map = Assessment.heatMap(agencies: columns.map(\.id), ratings: rated, previous: previousRatings.map { $0.compactMap(\.rated) })
        return RoundResults(round: round, previous: previous, progress: progress, columns: columns, map: map, ratings: ratings,
                            answeredBy: try await actionsAnswering(roundID))
    }

    /// The results of the round closed most recently before `end` (the plan's page and the
    /// board report show them), or nil if none had closed.
    func latestClosed(before end: Date, identity: Identity) async throws -> RoundResults? {
        try require(identity, .viewPartnership)
        guard let round = try await AssessmentRound.query(on: db).filter(\.$closedAt != nil).filter(\.$closedAt < end)
            .sort(\.$closedAt, .descending).first(), let id = round.id else { return nil }
        return try await results(id, identity: identity)
    }

    /// The plan's actions made from the round's heat map, by the factors they address.
    func actionsAnswering(_ roundID: UUID) async throws -> [String: [PlannedAction]] {
        let actions = try await PlanAction.query(on: db).filter(\.$assessmentRoundID == roundID).sort(\.$createdAt).all()
        guard !actions.isEmpty else { return [:] }
        let factors = Dictionary(grouping: try await PlanActionFactor.query(on: db).filter(\.$actionID ~~ actions.compactMap(\.id)).all(), by: \.actionID)
        var answered: [String: [PlannedAction]] = [:]
        for action in actions {
            guard let id = action.id else { continue }
            for link in factors[id] ?? [] { answered[link.factor, default: []].append(PlannedAction(id: id, title: action.title)) }
        }
        return answered
    }
}
