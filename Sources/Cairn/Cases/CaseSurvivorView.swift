import CairnCore
import FluentKit
import Foundation

/// Cases' read interface for the survivor's own view (`Survivor/`): what a survivor may see of
/// their own case, as plain values, and the few things their view may change in it (withdrawing
/// a consent, a warning when their safe passphrase is used, a notice to the team). The Survivor
/// capability decides who the survivor is; this never checks a staff identity except in
/// `authorise`, which is the case team's own check.
struct CaseSurvivorView: Sendable {
    let cases: CaseService
    let support: CaseSupportService
    var db: any Database { cases.db }

    /// A case its team member may offer the view on, as the team's access check let them at it.
    struct TeamCase: Sendable {
        let id: UUID
        let code: String
        let chosenName: String
        let identity: Identity
        fileprivate let authorised: AuthorisedCase
    }

    struct Summary: Sendable {
        let id: UUID
        let code: String
        let chosenName: String
        let open: Bool
        let leadAgencyID: UUID
        let leadAgency: String
    }

    /// One agency's consent as the survivor sees it: every purpose of the consents naming it
    /// now, the earliest date one was given and the latest it lasts until (nil: until withdrawn).
    struct AgencyConsent: Sendable {
        let agencyID: UUID
        let agency: String
        let purposes: [ConsentPurpose]
        let given: CalendarDate
        let until: CalendarDate?
    }

    struct Need: Sendable {
        let domain: NeedDomain
        let urgency: NeedUrgency
    }

    /// A care-plan task without its detail or staff notes.
    struct Task: Sendable {
        let title: String
        let need: NeedDomain?
        let agency: String
        let dueOn: CalendarDate?
        let status: CarePlanTaskStatus
    }

    struct Appointment: Sendable {
        let date: CalendarDate
        let method: String
    }

    struct Person: Sendable {
        let legalName: String
        let dateOfBirth: String
        let nationality: String
        let languages: String
        let contact: String
        let account: String
    }

    // MARK: The case team

    /// The case, if the person is on its team; 404 for everyone else (as every case page).
    func authorise(_ caseID: UUID, identity: Identity) async throws -> TeamCase {
        let c = try await cases.authorise(caseID, identity: identity)
        return TeamCase(id: c.id, code: c.record.code, chosenName: c.record.chosenName, identity: identity, authorised: c)
    }

    /// The case's heading and section tabs, with the survivor's view as the current one.
    func header(_ c: TeamCase) -> CaseSupportController.Header {
        CaseSupportController.header(c.authorised, current: .survivorView)
    }

    /// The ids of the cases a person is on the team of (for their work queue).
    func teamCases(of userID: UUID) async throws -> [UUID: String] {
        let ids = try await CaseTeamMember.query(on: db).filter(\.$userID == userID).all().map(\.caseID)
        guard !ids.isEmpty else { return [:] }
        let rows = try await SupportCase.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(try rows.map { (try $0.requireID(), $0.code) }, uniquingKeysWith: { first, _ in first })
    }

    /// Tells every member of the team (each sees it on the case and in their work queue).
    func notifyTeam(_ caseID: UUID, message: String, on db: (any Database)? = nil, now: Date = Date()) async throws {
        try await support.notifyTeam(caseID, except: nil, on: db ?? self.db, now: now, message: message)
    }

    // MARK: What the survivor sees

    func summary(_ caseID: UUID) async throws -> Summary {
        guard let record = try await SupportCase.find(caseID, on: db) else { throw AppError.notFound("case") }
        let lead = try await Agency.find(record.leadAgencyID, on: db)
        return Summary(id: caseID, code: record.code, chosenName: record.chosenName, open: record.caseStatus != .closed,
                       leadAgencyID: record.leadAgencyID, leadAgency: lead?.name ?? "")
    }

    /// The agencies other than the lead one that the survivor's consents name today.
    func consents(_ summary: Summary, today: CalendarDate) async throws -> [AgencyConsent] {
        let caseID = summary.id
        let active = try await CaseConsent.query(on: db).filter(\.$caseID == caseID).all().map(\.record).filter { $0.isActive(on: today) }
        var byAgency: [UUID: [ConsentRecord]] = [:]
        for consent in active {
            for raw in consent.agencies {
                guard let id = UUID(uuidString: raw), id != summary.leadAgencyID else { continue }
                byAgency[id, default: []].append(consent)
            }
        }
        guard !byAgency.isEmpty else { return [] }
        let agencies = try await Agency.query(on: db).filter(\.$id ~~ Array(byAgency.keys)).all()
        let names = Dictionary(try agencies.map { (try $0.requireID(), $0.name) }, uniquingKeysWith: { first, _ in first })
        return byAgency.map { id, consents in
            let purposes = Set(consents.flatMap(\.purposes))
            let open = consents.contains { $0.validUntil == nil }
            return AgencyConsent(agencyID: id, agency: names[id] ?? "", purposes: ConsentPurpose.allCases.filter(purposes.contains),
                                 given: consents.map(\.validFrom).min() ?? today, until: open ? nil : consents.compactMap(\.validUntil).max())
        }.sorted { ($0.agency.lowercased(), $0.agencyID.uuidString) < ($1.agency.lowercased(), $1.agencyID.uuidString) }
    }

    enum WithdrawalRefusal: Error, Equatable {
        /// No consent in force names the agency.
        case noConsent
        /// The agency holds the case: ending that is a conversation, not a button.
        case leadAgency
    }

    /// The survivor withdraws every consent in force naming `agencyID`, effective today, by the
    /// same rule as when the caseworker records it. A consent that also names other agencies is
    /// withdrawn and recorded again, from today, for those others, so its history stays true.
    /// The team is told; `actor` (the survivor's view) is written to the audit log.
    func withdraw(_ caseID: UUID, agencyID: UUID, actor: AuditActor, address: String, now: Date = Date()) async throws -> String {
        let today = CaseSupportService.today(now)
        return try await db.transaction { tx in
            guard let record = try await SupportCase.find(caseID, on: tx) else { throw AppError.notFound("case") }
            if agencyID == record.leadAgencyID { throw WithdrawalRefusal.leadAgency }
            let rows = try await CaseConsent.query(on: tx).filter(\.$caseID == caseID).all()
                .filter { $0.record.isActive(on: today) && $0.record.agencies.contains(agencyID.uuidString) }
            guard !rows.isEmpty else { throw WithdrawalRefusal.noConsent }
            for row in rows {
                var consent = row.record
                do { try consent.withdraw(on: today) } catch { throw WithdrawalRefusal.noConsent }
                row.withdrawnOn = consent.withdrawnOn?.description
                row.withdrawnNote = "Withdrawn by the survivor in their own view, for one agency."
                try await row.save(on: tx)
                let others = row.agencies.split(separator: ",").map(String.init).filter { $0 != agencyID.uuidString }
                guard !others.isEmpty else { continue }
                let again = CaseConsent()
                again.id = UUID()
                again.caseID = caseID
                again.categories = row.categories
                again.purposes = row.purposes
                again.agencies = others.joined(separator: ",")
                again.method = row.method
                again.interpreterLanguage = row.interpreterLanguage
                again.validFrom = today.description
                again.validUntil = row.validUntil
                again.nrmConsent = row.nrmConsent
                again.anonymisedSharing = row.anonymisedSharing
                again.recordedByID = row.recordedByID
                again.recordedAt = now
                try await again.create(on: tx)
            }
            let name = try await Agency.find(agencyID, on: tx)?.name ?? "an agency"
            try await support.notifyTeam(caseID, except: nil, on: tx, now: now,
                                         message: "Case \(record.code): the survivor withdrew their consent for \(name) in their own view. It no longer sees their plan or information.")
            try await support.audit.append(AuditEvent(actor: actor, action: "case.consent.withdrawn", recordType: "case", recordID: caseID.uuidString,
                                                      address: address, detail: "by the survivor; agency \(agencyID.uuidString); consents \(rows.count)"), on: tx)
            return name
        }
    }

    func plan(_ caseID: UUID) async throws -> (needs: [Need], tasks: [Task]) {
        let needs = try await CaseNeed.query(on: db).filter(\.$caseID == caseID).all()
            .filter { $0.needUrgency != .none }
            .sorted { ($0.needUrgency, $0.domain) < ($1.needUrgency, $1.domain) }
            .map { Need(domain: $0.needDomain, urgency: $0.needUrgency) }
        let taskRows = try await CareTask.query(on: db).filter(\.$caseID == caseID).all()
        let agencyIDs = Array(Set(taskRows.map(\.agencyID)))
        let agencies = agencyIDs.isEmpty ? [] : try await Agency.query(on: db).filter(\.$id ~~ agencyIDs).all()
        let names = Dictionary(try agencies.map { (try $0.requireID(), $0.name) }, uniquingKeysWith: { first, _ in first })
        let tasks: [Task] = taskRows.map { row in
            let due: CalendarDate? = row.dueOn.flatMap { try? CalendarDate(parsing: $0) }
            let status: CarePlanTaskStatus = CarePlanTaskStatus(rawValue: row.status) ?? .notStarted
            return Task(title: row.title, need: NeedDomain(rawValue: row.need), agency: names[row.agencyID] ?? "", dueOn: due, status: status)
        }
        func key(_ task: Task) -> (Int, CalendarDate) {
            (task.status == .done || task.status == .cancelled ? 1 : 0, task.dueOn ?? CalendarDate.last)
        }
        return (needs, tasks.sorted { key($0) < key($1) })
    }

    /// The NRM referral (if any) and the reviews rated with the caseworker, earliest first.
    func journey(_ caseID: UUID) async throws -> (nrm: NRMReferral?, reviews: [OutcomeReview]) {
        let nrm = try await CaseNRM.query(on: db).filter(\.$caseID == caseID).first()?.referral
        let reviews = try await CaseOutcomeReview.query(on: db).filter(\.$caseID == caseID).all().compactMap(\.review).sorted { $0.date < $1.date }
        return (nrm, reviews)
    }

    /// The ids of the case's care-plan tasks (agencies' views of them are views of the survivor's record).
    func taskIDs(_ caseID: UUID) async throws -> [UUID] {
        try await CareTask.query(on: db).filter(\.$caseID == caseID).all().compactMap(\.id)
    }

    /// Planned contacts from today on, soonest first.
    func appointments(_ caseID: UUID, today: CalendarDate) async throws -> [Appointment] {
        try await CaseContact.query(on: db).filter(\.$caseID == caseID).filter(\.$status == ContactStatus.planned.rawValue).all()
            .compactMap { row in
                guard let day = try? CalendarDate(parsing: row.plannedOn), day >= today else { return nil }
                return Appointment(date: day, method: row.method)
            }
            .sorted { $0.date < $1.date }
    }

    /// Who the survivor is, as the case holds it (for their own printable copy).
    func person(_ caseID: UUID) async throws -> Person {
        guard let record = try await SupportCase.find(caseID, on: db) else { throw AppError.notFound("case") }
        let who = try await CaseIdentityRecord.query(on: db).filter(\.$caseID == caseID).first()
        return Person(legalName: who?.legalName ?? "", dateOfBirth: who?.dateOfBirth ?? "", nationality: who?.nationality ?? "",
                      languages: who?.languages ?? "", contact: who?.contact ?? "", account: record.account)
    }

    /// The survivor signed in with their safe passphrase: a warning sign Cairn records, which
    /// re-assesses the risk and alerts the whole team.
    func safePassphraseUsed(_ caseID: UUID, address: String, now: Date = Date()) async throws {
        guard let record = try await SupportCase.find(caseID, on: db) else { return }
        _ = try await support.recordDetectedWarning(try cases.forCairn(record), sign: WarningSign.safePassphrase.rawValue,
                                                    observedOn: CaseSupportService.today(now).description,
                                                    note: "The survivor signed in to their own view with their safe passphrase. Someone may be making them; contact them with care.",
                                                    address: address, now: now)
    }
}
