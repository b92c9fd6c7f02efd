import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// Self-assessment rounds, an agency's ratings and the results: the same rules and audit as
/// the pages (`AssessmentService`).
extension APIHandler {
    static func round(_ round: AssessmentRound, agenciesRated: Int) throws -> Components.Schemas.AssessmentRound {
        .init(id: try round.requireID().uuidString, name: round.name, opensOn: round.opensOn, closesBy: round.closesBy,
              status: round.isClosed ? .closed : .open, closedAt: round.closedAt, agenciesRated: agenciesRated, createdAt: round.createdAt)
    }

    static func rating(_ r: AssessmentRating, agencyName: String) -> Components.Schemas.AssessmentRating {
        .init(agencyId: r.agencyID.uuidString, agencyName: agencyName, factor: r.factor, level: r.level, evidence: r.evidence,
              evidenceLink: r.evidenceLink, comment: r.comment, ratedAt: r.ratedAt)
    }

    func listAssessmentRounds(_ input: Operations.ListAssessmentRounds.Input) async throws -> Operations.ListAssessmentRounds.Output {
        let (identity, _) = try APIRequest.authorize(.listAssessmentRounds)
        let rounds = try await services.assessments.rounds(identity: identity)
        return .ok(.init(body: .json(.init(items: try rounds.map { try Self.round($0.round, agenciesRated: $0.agenciesRated) }))))
    }

    func createAssessmentRound(_ input: Operations.CreateAssessmentRound.Input) async throws -> Operations.CreateAssessmentRound.Output {
        let (identity, context) = try APIRequest.authorize(.createAssessmentRound)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the round as JSON.") }
        let round = try await services.assessments.openRound(.init(name: body.name, opensOn: body.opensOn, closesBy: body.closesBy),
                                                             identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try Self.round(round, agenciesRated: 0))))
    }

    func getAssessmentRound(_ input: Operations.GetAssessmentRound.Input) async throws -> Operations.GetAssessmentRound.Output {
        let (identity, _) = try APIRequest.authorize(.getAssessmentRound)
        let r = try await services.assessments.results(try Self.uuid(input.path.roundId, "self-assessment round"), identity: identity)
        let names = Dictionary(r.progress.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var byFactor: [String: [AssessmentRating]] = [:]
        for rating in r.ratings { byFactor[rating.factor, default: []].append(rating) }
        let factors = try r.map.rows.map { row in
            Components.Schemas.AssessmentFactorResult(
                key: row.factor.key, group: try APIEnum.map(row.factor.group.rawValue), name: row.factor.name, wording: row.factor.wording,
                median: row.median, previousMedian: row.previousMedian, change: try APIEnum.map(optional: row.change?.direction.rawValue),
                gap: row.isGap,
                ratings: (byFactor[row.factor.key] ?? []).map { Self.rating($0, agencyName: names[$0.agencyID] ?? "") }
                    .sorted { $0.agencyName < $1.agencyName })
        }
        return .ok(.init(body: .json(.init(
            round: try Self.round(r.round, agenciesRated: r.columns.count),
            previousRoundId: r.previous?.id?.uuidString, previousRoundName: r.previous?.name,
            agencies: r.progress.map { .init(agencyId: $0.id.uuidString, agencyName: $0.name, rated: $0.rated, total: Assessment.total,
                                             lastSavedAt: $0.lastSaved) },
            factors: factors))))
    }

    func saveAssessmentRatings(_ input: Operations.SaveAssessmentRatings.Input) async throws -> Operations.SaveAssessmentRatings.Output {
        let (identity, context) = try APIRequest.authorize(.saveAssessmentRatings)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the ratings as JSON.") }
        let roundID = try Self.uuid(input.path.roundId, "self-assessment round")
        var agency: UUID?
        if let text = body.agencyId {
            guard let id = UUID(uuidString: text) else { throw AppError.badRequest("Field 'agencyId' is not a valid id.") }
            agency = id
        }
        let saved = try await services.assessments.saveRatings(
            roundID, agencyID: agency,
            body.ratings.map { .init(factor: $0.factor, level: $0.level, evidence: $0.evidence, evidenceLink: $0.evidenceLink ?? "", comment: $0.comment ?? "") },
            identity: identity, address: context.clientAddress)
        return .ok(.init(body: .json(Self.agencyAssessment(saved))))
    }

    static func agencyAssessment(_ a: AssessmentService.AgencyRatings) -> Components.Schemas.AgencyAssessment {
        let order = Dictionary(Framework.assessed.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        return .init(roundId: a.round.id?.uuidString ?? "", agencyId: a.agencyID.uuidString, agencyName: a.agencyName, rated: a.ratings.count,
                     total: Assessment.total,
                     ratings: a.ratings.values.sorted { (order[$0.factor] ?? .max) < (order[$1.factor] ?? .max) }
                         .map { rating($0, agencyName: a.agencyName) })
    }

    func closeAssessmentRound(_ input: Operations.CloseAssessmentRound.Input) async throws -> Operations.CloseAssessmentRound.Output {
        let (identity, context) = try APIRequest.authorize(.closeAssessmentRound)
        let id = try Self.uuid(input.path.roundId, "self-assessment round")
        let round = try await services.assessments.closeRound(id, identity: identity, address: context.clientAddress)
        let rated = try await services.assessments.results(id, identity: identity).columns.count
        return .ok(.init(body: .json(try Self.round(round, agenciesRated: rated))))
    }
}
