import CairnCore
import FluentKit
import Foundation

/// What the survivor sees of their own case and does in it. A session opened with the safe
/// passphrase sees only its appointments: everything else answers as though it were not there
/// (empty lists to the API, "not here" to pages) and changes nothing.
extension SurvivorService {
    struct Home: Sendable {
        let name: String
        let appointments: [CaseSurvivorView.Appointment]
        let unreadReplies: Int
    }

    /// The appointments page every sign-in opens on, the harmless view included.
    func home(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws -> Home {
        let summary = try await cases.summary(s.caseID)
        let appointments = try await cases.appointments(s.caseID, today: Self.today(now))
        let unread = s.safe ? 0 : try await SurvivorMessage.query(on: db).filter(\.$caseID == s.caseID).filter(\.$fromSurvivor == false)
            .filter(\.$readAt == nil).count()
        try await log(s, "survivor_view.viewed", address, "appointments")
        return Home(name: summary.chosenName, appointments: appointments, unreadReplies: unread)
    }

    struct Consents: Sendable {
        let leadAgencyID: UUID?
        let leadAgency: String
        let others: [CaseSurvivorView.AgencyConsent]
    }

    func consents(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws -> Consents {
        try await log(s, "survivor_view.viewed", address, "consents")
        guard !s.safe else { return Consents(leadAgencyID: nil, leadAgency: "", others: []) }
        let summary = try await cases.summary(s.caseID)
        return Consents(leadAgencyID: summary.leadAgencyID, leadAgency: summary.leadAgency, others: try await cases.consents(summary, today: Self.today(now)))
    }

    /// The survivor withdraws their consent for one agency, at once. Returns its name.
    func withdraw(_ s: SurvivorIdentity, agencyID: UUID, address: String, now: Date = Date()) async throws -> String {
        let t = SurvivorText(language: s.language)
        guard !s.safe else { throw t.error(.notFound, nil, "error.noConsent") }
        _ = try await account(s)
        do {
            return try await cases.withdraw(s.caseID, agencyID: agencyID, actor: s.auditActor, address: address, now: now)
        } catch let refusal as CaseSurvivorView.WithdrawalRefusal {
            switch refusal {
            case .noConsent: throw t.error(.notFound, "agency", "error.noConsent")
            case .leadAgency: throw t.error(.conflict, "agency", "error.leadAgency")
            }
        }
    }

    struct AccessEntry: Sendable, Equatable {
        let agency: String
        let date: CalendarDate
    }

    /// Who opened or changed the record (the case, or one of its care-plan tasks) in the last 12
    /// months: one line per agency and day, newest first, from the audit log. Staff names never appear; the survivor's own use of
    /// their view and Cairn's own work are not "someone looking".
    func accessLog(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws -> [AccessEntry] {
        try await log(s, "survivor_view.viewed", address, "access log")
        guard !s.safe else { return [] }
        let since = Calendar(identifier: .gregorian).date(byAdding: .month, value: -12, to: now) ?? now.addingTimeInterval(-365 * 86400)
        var seen = Set<String>()
        var entries: [AccessEntry] = []
        // The case itself, and its care-plan tasks as the agencies given them opened them.
        let tasks = try await cases.taskIDs(s.caseID).map(\.uuidString)
        let accesses = try await audit.agencyAccess(recordType: "case", recordIDs: [s.caseID.uuidString], since: since)
            + (tasks.isEmpty ? [] : try await audit.agencyAccess(recordType: "care_task", recordIDs: tasks, since: since))
        for access in accesses {
            let day = CalendarDate(access.at, in: Self.london)
            if seen.insert("\(access.agency)|\(day)").inserted { entries.append(AccessEntry(agency: access.agency, date: day)) }
        }
        return entries.sorted { ($1.date, $0.agency) < ($0.date, $1.agency) }
    }

    func plan(_ s: SurvivorIdentity, address: String) async throws -> (needs: [CaseSurvivorView.Need], tasks: [CaseSurvivorView.Task]) {
        try await log(s, "survivor_view.viewed", address, "plan")
        guard !s.safe else { return ([], []) }
        return try await cases.plan(s.caseID)
    }

    struct Journey: Sendable {
        let nrm: NRMReferral?
        let reviews: [OutcomeReview]
        /// The survivor's own ratings, by review point, in the points' order.
        let own: [(point: ReviewPoint, values: [CoreOutcome: OutcomeRating], ratedAt: Date)]
    }

    func journey(_ s: SurvivorIdentity, address: String) async throws -> Journey {
        guard !s.safe else {
            try await log(s, "survivor_view.viewed", address, "journey")
            return Journey(nrm: nil, reviews: [], own: [])
        }
        let journey = try await journey(of: s.caseID)
        try await log(s, "survivor_view.viewed", address, "journey")
        return journey
    }

    /// The NRM referral and reviews, and the survivor's own ratings in the review points' order.
    private func journey(of caseID: UUID) async throws -> Journey {
        let (nrm, reviews) = try await cases.journey(caseID)
        let own = try await SurvivorRating.query(on: db).filter(\.$caseID == caseID).all().sorted { $0.order < $1.order }
            .compactMap { row in ReviewPoint(rawValue: row.point).map { (point: $0, values: row.values, ratedAt: row.ratedAt) } }
        return Journey(nrm: nrm, reviews: reviews, own: own)
    }

    /// The survivor's own ratings at a review point, before or with the caseworker; rating
    /// the same point again replaces them. The team sees them on the case's tab for the view.
    func rate(_ s: SurvivorIdentity, point: String, ratings: [String: String], address: String, now: Date = Date()) async throws {
        guard !s.safe else { throw AppError.notFound() }
        let t = SurvivorText(language: s.language)
        var problems: [AppError.FieldError] = []
        let reviewPoint = ReviewPoint(rawValue: point)
        if reviewPoint == nil { problems.append(.init("point", t("error.point"))) }
        var values: [String: String] = [:]
        for outcome in CoreOutcome.allCases {
            guard let raw = ratings[outcome.rawValue], !raw.isEmpty else { continue }
            if OutcomeRating(rawValue: raw) == nil { problems.append(.init("rating_\(outcome.rawValue)", t("error.rating"))) } else { values[outcome.rawValue] = raw }
        }
        if ratings.keys.contains(where: { CoreOutcome(rawValue: $0) == nil }) { problems.append(.init("ratings", t("error.rating"))) }
        if values.isEmpty, problems.isEmpty { problems.append(.init("ratings", t("error.rating"))) }
        if !problems.isEmpty { throw AppError.invalid(problems) }
        let json = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
        let pointValue = try reviewPoint.checked().rawValue
        try await db.transaction { tx in
            _ = try await account(s, on: tx)
            let row = try await SurvivorRating.query(on: tx).filter(\.$caseID == s.caseID).filter(\.$point == pointValue).first() ?? SurvivorRating()
            if row.id == nil {
                row.id = UUID()
                row.caseID = s.caseID
                row.point = pointValue
            }
            row.ratings = json
            row.ratedAt = now
            try await row.save(on: tx)
            try await log(s, "survivor_view.outcomes_rated", address, pointValue, on: tx)
        }
    }

    struct Information: Sendable {
        let summary: CaseSurvivorView.Summary
        let person: CaseSurvivorView.Person
        let consents: [CaseSurvivorView.AgencyConsent]
        let plan: (needs: [CaseSurvivorView.Need], tasks: [CaseSurvivorView.Task])
        let journey: Journey
        let messages: [SurvivorMessage]
    }

    /// Everything Cairn holds about the survivor that is theirs to see, for a printable copy.
    func information(_ s: SurvivorIdentity, address: String, now: Date = Date()) async throws -> Information {
        let summary = try await cases.summary(s.caseID)
        guard !s.safe else {
            try await log(s, "survivor_view.viewed", address, "information")
            return Information(summary: summary, person: .init(legalName: "", dateOfBirth: "", nationality: "", languages: "", contact: "", account: ""),
                               consents: [], plan: ([], []), journey: Journey(nrm: nil, reviews: [], own: []), messages: [])
        }
        let person = try await cases.person(s.caseID)
        let consents = try await cases.consents(summary, today: Self.today(now))
        let plan = try await cases.plan(s.caseID)
        let journey = try await journey(of: s.caseID)
        let messages = try await SurvivorMessage.query(on: db).filter(\.$caseID == s.caseID).sort(\.$createdAt, .ascending).all()
        try await log(s, "survivor_view.viewed", address, "information")
        return Information(summary: summary, person: person, consents: consents, plan: plan,
                           journey: journey, messages: messages)
    }

    /// Whether a safe passphrase is set (a safe session is told no).
    func hasSafePassphrase(_ s: SurvivorIdentity, address: String) async throws -> Bool {
        try await log(s, "survivor_view.viewed", address, "settings")
        guard !s.safe else { return false }
        return try await account(s).safePassphraseHash != nil
    }

    /// A request to correct or delete something: a task for the case team until they mark it done.
    func request(_ s: SurvivorIdentity, kind: String, detail: String, address: String, now: Date = Date()) async throws {
        guard !s.safe else { throw AppError.notFound() }
        let t = SurvivorText(language: s.language)
        var problems: [AppError.FieldError] = []
        if !["correct", "delete"].contains(kind) { problems.append(.init("kind", t("error.requestKind"))) }
        let text = detail.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { problems.append(.init("detail", t("error.requestEmpty"))) }
        if text.count > Self.maxRequest || text.unicodeScalars.contains(where: Validator.isDisallowedControl) {
            problems.append(.init("detail", t("error.requestLong", ["max": String(Self.maxRequest)])))
        }
        if !problems.isEmpty { throw AppError.invalid(problems) }
        try await db.transaction { tx in
            _ = try await account(s, on: tx)
            let row = SurvivorRequest()
            row.id = UUID()
            row.caseID = s.caseID
            row.kind = kind
            row.detail = text
            row.createdAt = now
            try await row.create(on: tx)
            try await cases.notifyTeam(s.caseID, message: "The survivor asked, in their own view, for something to be \(kind == "delete" ? "deleted" : "corrected").", on: tx, now: now)
            try await log(s, "survivor_view.request_made", address, kind, on: tx)
        }
    }
}
