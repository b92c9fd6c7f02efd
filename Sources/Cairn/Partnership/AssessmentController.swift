import CairnCore
import Foundation
import Hummingbird

/// The self-assessment's pages (`AssessmentRoute`): the rounds, opening one, a round's
/// progress and heat map, the caller's agency's rating form, one agency's ratings, and closing
/// a round. Everything read and changed goes through `AssessmentService`; the view models are
/// in `AssessmentController+Round.swift` and `+Rating.swift`.
struct AssessmentController {
    let services: AppServices
    let views: Views
    var assessments: AssessmentService { services.assessments }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(AssessmentRoute.list, table: table) { request, context, identity in
            let rounds = try await assessments.rounds(identity: identity)
            return try views.render("partnership/assessment-list", Self.listPage(rounds, identity: identity), title: "Self-assessment",
                                    request: request, context: context)
        }
        router.add(AssessmentRoute.new, table: table) { request, context, identity in
            // This year's name is offered unless a round has it already.
            let taken = Set(try await assessments.rounds(identity: identity).map { AssessmentRound.nameKey($0.round.name) })
            var offer = AssessmentService.RoundInput()
            let year = String(AssessmentService.today(Date()).year)
            offer.name = taken.contains(year) ? "" : year
            return try views.render("partnership/assessment-new", Self.newPage(offer, now: Date(), fresh: true), title: "Open a self-assessment round",
                                    request: request, context: context)
        }
        router.add(AssessmentRoute.create, table: table) { request, context, identity in
            let (form, dates) = try await NewRoundForm.readWithDates(request)
            do {
                try dates.check()
                let round = try await assessments.openRound(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(AssessmentRoute.round(.value(try round.requireID())).path,
                                 flash: "Round “\(round.name)” opened: every agency can now rate itself.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try views.render("partnership/assessment-new", Self.newPage(form.input, now: Date()), title: "Open a self-assessment round",
                                        request: request, context: context, errors: Self.fieldErrors(error, default: "name"),
                                        status: error.status, dates: dates)
            }
        }
        router.add(AssessmentRoute.round(.key), table: table) { request, context, identity in
            let results = try await assessments.results(try context.id(.roundId, "self-assessment round"), identity: identity)
            return try views.render("partnership/assessment-round", try Self.roundPage(results, identity: identity),
                                    title: "Self-assessment \(results.round.name)", request: request, context: context)
        }
        router.add(AssessmentRoute.rate(.key), table: table) { request, context, identity in
            let own = try await assessments.ownRatings(try context.id(.roundId, "self-assessment round"), identity: identity)
            try AssessmentService.checkOpen(own.round, now: Date())
            return try views.render("partnership/assessment-rate", try Self.ratePage(own), title: "Rate \(own.agencyName) · \(own.round.name)",
                                    request: request, context: context)
        }
        router.add(AssessmentRoute.saveRatings(.key), table: table) { request, context, identity in
            let id = try context.id(.roundId, "self-assessment round")
            let form = try await RatingsForm.read(request)
            var agency: UUID?
            if let text = form.agency, !text.isEmpty {
                guard let parsed = UUID(uuidString: text) else { throw AppError.badRequest("The form names an agency that is not an id.") }
                agency = parsed
            }
            do {
                let saved = try await assessments.saveRatings(id, agencyID: agency, form.ratings, identity: identity, address: context.clientAddress)
                return .seeOther(AssessmentRoute.rate(.value(id)).path,
                                 flash: "Saved: \(saved.ratings.count) of \(Assessment.total) rated for \(saved.agencyName). You can change them until the round closes.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let own = try await assessments.ownRatings(id, identity: identity)
                return try views.render("partnership/assessment-rate", try Self.ratePage(own, typed: form.ratings, errors: error.fieldErrors),
                                        title: "Rate \(own.agencyName) · \(own.round.name)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(AssessmentRoute.agency(.key, agency: .key), table: table) { request, context, identity in
            let ratings = try await assessments.agencyRatings(try context.id(.roundId, "self-assessment round"),
                                                              agencyID: try context.id(.agencyId, "agency"), identity: identity)
            return try views.render("partnership/assessment-agency", try Self.agencyPage(ratings), title: "\(ratings.agencyName) · \(ratings.round.name)",
                                    request: request, context: context)
        }
        router.add(AssessmentRoute.confirmClose(.key), table: table) { request, context, identity in
            let results = try await assessments.results(try context.id(.roundId, "self-assessment round"), identity: identity)
            if results.round.isClosed { throw AssessmentService.closed(results.round, closing: true) }
            return try views.render("partnership/assessment-close", try Self.closePage(results), title: "Close round \(results.round.name)",
                                    request: request, context: context)
        }
        router.add(AssessmentRoute.close(.key), table: table) { _, context, identity in
            let id = try context.id(.roundId, "self-assessment round")
            let round = try await assessments.closeRound(id, identity: identity, address: context.clientAddress)
            return .seeOther(AssessmentRoute.round(.value(id)).path, flash: "Round “\(round.name)” closed. Its results are final.")
        }
    }

    /// A conflict (a round still open, a name taken) shown in the error summary, beside the
    /// field it names or `default`.
    static func fieldErrors(_ error: AppError, default field: String) -> [AppError.FieldError] {
        error.fieldErrors.isEmpty ? [.init(field, error.detail)] : error.fieldErrors
    }
}
