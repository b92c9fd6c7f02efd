import CairnCore
import Crypto
import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// One case as the pseudonymous exports see it: no name, no contact details, no free text, and
/// an id that is not the case's (an HMAC of it under the installation's secret).
struct PseudonymousCase: Sendable, Equatable {
    let pseudonymousID: String
    let openedOn: CalendarDate
    let status: CaseStatus
    let closureReason: ClosureReason?
    let closedOn: CalendarDate?
    let ageGroup: AgeGroup
    /// The latest NRM referral's decisions, if the case has one.
    let nrm: NRMFacts?
    /// The report the case was opened from (its exploitation types come from Reports).
    let reportID: UUID?

    struct NRMFacts: Sendable, Equatable {
        let competentAuthority: CompetentAuthority?
        let reasonableGrounds: NRMDecision?
        let conclusiveGrounds: NRMDecision?
    }
}

/// A case the HTCDS import makes, already validated.
struct ImportedCase: Sendable {
    let openedOn: CalendarDate
    let status: CaseStatus
    let closureReason: ClosureReason?
    let closedOn: CalendarDate?
    let ageGroup: AgeGroup
}

/// What Cases lets Insight's exports read (pseudonymous cases of survivors who agreed to
/// anonymised sharing, and counts over all cases), and the one write a demonstration import
/// makes. Permission checks and audits are the exporter's (`ExportService`); this never
/// returns a name, contact details, free text or a case id.
struct CaseExchange: Sendable {
    let database: CairnDatabase
    var db: any Database { database.db }

    /// The cases opened from `from` to `to` (London days, inclusive) whose survivor has a
    /// consent in force on `today` agreeing to anonymised sharing.
    private func consenting(from: CalendarDate, to: CalendarDate, today: CalendarDate) -> QueryBuilder<SupportCase> {
        let day = today.description
        return SupportCase.query(on: db)
            .filter(\.$openedAt >= Self.start(of: from)).filter(\.$openedAt < Self.start(of: to.adding(days: 1)))
            .filter(.sql(embed: """
                cases.id IN (SELECT c.case_id FROM case_consents c WHERE c.anonymised_sharing = \(bind: true) \
                AND c.valid_from <= \(bind: day) AND (c.valid_until IS NULL OR c.valid_until >= \(bind: day)) \
                AND (c.withdrawn_on IS NULL OR c.withdrawn_on > \(bind: day)))
                """))
    }

    func consentingCount(from: CalendarDate, to: CalendarDate, today: CalendarDate) async throws -> Int {
        try await consenting(from: from, to: to, today: today).count()
    }

    /// A page of those cases, oldest first, after the case `after` (keyset on opened, id).
    func consentingPage(from: CalendarDate, to: CalendarDate, today: CalendarDate, after: UUID?, limit: Int) async throws -> (cases: [PseudonymousCase], last: UUID?) {
        var query = consenting(from: from, to: to, today: today).sort(\.$openedAt).sort(\.$id).limit(limit)
        if let after {
            query = query.filter(.sql(embed: "(cases.opened_at, cases.id) > (SELECT k.opened_at, k.id FROM cases k WHERE k.id = \(bind: after))"))
        }
        let rows = try await query.all()
        let ids = rows.compactMap(\.id)
        var nrm: [UUID: CaseNRM] = [:]
        for chunk in SQLRows.chunks(ids) {
            for row in try await CaseNRM.query(on: db).filter(\.$caseID ~~ chunk).sort(\.$referralDate).all() { nrm[row.caseID] = row }
        }
        let key = try await secret()
        let cases = try rows.map { c in
            let id = try c.requireID()
            return PseudonymousCase(
                pseudonymousID: Self.pseudonym(id, key: key), openedOn: CalendarDate(c.openedAt, in: .london), status: c.caseStatus,
                closureReason: c.closureReason.flatMap(ClosureReason.init(rawValue:)), closedOn: c.closedAt.map { CalendarDate($0, in: .london) },
                ageGroup: c.age,
                nrm: nrm[id].map { n in
                    .init(competentAuthority: n.competentAuthority.flatMap(CompetentAuthority.init(rawValue:)),
                          reasonableGrounds: n.rgDecision.flatMap(NRMDecision.init(rawValue:)), conclusiveGrounds: n.cgDecision.flatMap(NRMDecision.init(rawValue:)))
                },
                reportID: c.reportID)
        }
        return (cases, rows.count < limit ? nil : ids.last)
    }

    /// Counts over every case (no consent needed: nobody is named or singled out, and the
    /// exporter suppresses small numbers): by status, by age group, by month opened, by NRM stage.
    func aggregates() async throws -> [(measure: String, key: String, count: Int)] {
        let sql = try db.sqlDatabase()
        var out: [(String, String, Int)] = []
        for (measure, column) in [("cases_by_status", "status"), ("cases_by_age_group", "age_group")] {
            let rows = try await sql.raw("SELECT \(ident: column) AS k, COUNT(*) AS n FROM cases GROUP BY \(ident: column) ORDER BY 1").all()
            for row in rows { out.append((measure, try row.decode(column: "k", as: String.self), try row.decode(column: "n", as: Int.self))) }
        }
        // Months in London time: read the opening instants a page at a time, count in Swift.
        var months: [String: Int] = [:]
        var after: UUID?
        while true {
            var query = SupportCase.query(on: db).field(\.$id).field(\.$openedAt).sort(\.$id).limit(5000)
            if let after { query = query.filter(\.$id > after) }
            let page = try await query.all()
            for c in page {
                let day = CalendarDate(c.openedAt, in: .london)
                months[String(format: "%04d-%02d", day.year, day.month), default: 0] += 1
            }
            guard page.count == 5000, let last = page.last?.id else { break }
            after = last
        }
        for (month, n) in months.sorted(by: { $0.key < $1.key }) { out.append(("cases_opened_by_month", month, n)) }
        let stages = try await sql.raw("""
            SELECT CASE WHEN cg_decision IS NOT NULL THEN 'cg_' || cg_decision WHEN rg_decision IS NOT NULL THEN 'rg_' || rg_decision \
            ELSE 'awaiting_reasonable_grounds' END AS k, COUNT(*) AS n FROM case_nrm GROUP BY 1 ORDER BY 1
            """).all()
        for row in stages { out.append(("nrm_referrals_by_decision", try row.decode(column: "k", as: String.self), try row.decode(column: "n", as: Int.self))) }
        return out
    }

    // MARK: Demonstration import

    /// Writes imported cases (pseudonymous demonstration cases: a code, a chosen name saying so,
    /// no identity, and the consent to anonymised sharing the file records) for `agencyID`, opened by `userID`, in one transaction.
    func importCases(_ cases: [ImportedCase], agencyID: UUID, userID: UUID, now: Date = Date()) async throws {
        try await db.transaction { tx in
            for (n, item) in cases.enumerated() {
                let c = SupportCase()
                c.id = UUID()
                c.code = CaseService.newCode()
                c.chosenName = "Imported case \(n + 1)"
                c.status = item.status.rawValue
                c.riskLevel = RiskLevel.low.rawValue
                c.interpreterNeeded = false
                c.language = ""
                c.account = ""
                c.leadAgencyID = agencyID
                c.openedAt = Self.start(of: item.openedOn).addingTimeInterval(12 * 3600)
                c.openedByID = userID
                if item.status != .open {
                    c.closedAt = item.closedOn.map { Self.start(of: $0).addingTimeInterval(12 * 3600) } ?? (item.status == .closed ? now : nil)
                    c.closureReason = item.closureReason?.rawValue
                }
                c.updatedAt = now
                c.ageGroup = item.ageGroup.rawValue
                try await c.create(on: tx)
                try await CaseTeamMember(caseID: try c.requireID(), userID: userID, addedBy: userID, at: now).create(on: tx)
                // The file says the survivor agreed to anonymised sharing (`con_Consent`): kept as
                // a consent to that alone, from the day the case was opened.
                let consent = CaseConsent()
                consent.id = UUID()
                consent.caseID = try c.requireID()
                consent.categories = ""
                consent.purposes = ""
                consent.agencies = ""
                consent.method = ConsentMethod.written.rawValue
                consent.validFrom = item.openedOn.description
                consent.nrmConsent = false
                consent.anonymisedSharing = true
                consent.recordedByID = userID
                consent.recordedAt = now
                try await consent.create(on: tx)
            }
        }
    }

    // MARK: Pseudonyms

    /// The installation's secret for pseudonyms (made by the migration that added the table).
    private func secret() async throws -> SymmetricKey {
        let row = try await db.sqlDatabase().raw("SELECT secret FROM case_pseudonym_keys WHERE id = \(bind: 1)").first()
        guard let text = try row?.decode(column: "secret", as: String.self), !text.isEmpty else {
            throw AppError(.internalServerError, title: "No pseudonym key", "The installation's pseudonym key is missing: run the migrations.")
        }
        return SymmetricKey(data: Data(text.utf8))
    }

    /// `HMAC-SHA256(secret, case id)`, the first 16 bytes in hexadecimal: stable for a case on
    /// this installation, and nothing to anyone without the secret.
    static func pseudonym(_ id: UUID, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(id.uuidString.lowercased().utf8), using: key)
        return Secrets.hex(Array(mac).prefix(16))
    }

    /// The start of a London day.
    static func start(of day: CalendarDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .london
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }
}
