import CairnCore
import FluentKit
import Foundation
import SQLKit

/// Consent, needs, the multi-agency care plan, NRM and Duty to Notify, outcomes and
/// re-exploitation warnings for a case. The case team does all of it; an agency that owns a
/// care-plan task sees that task, and what the survivor agreed to share with it, only while
/// the consent stands. Every read and change is audited.
public struct CaseSupportService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let cases: CaseService
    var db: any Database { database.db }

    static let london = TimeZone.london
    static func today(_ now: Date = Date()) -> CalendarDate { CalendarDate(now, in: london) }

    static func invalid(_ issues: [ValidationIssue]) -> AppError {
        AppError.invalid(issues.map { .init($0.field, $0.message) })
    }

    /// A date field: empty is nil, anything else must be `yyyy-MM-dd`.
    static func date(_ text: String, field: String, label: String, required: Bool, into v: inout Validator) -> CalendarDate? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty {
            if required { v.add(field, "Enter \(label.lowercased()) as YYYY-MM-DD.") }
            return nil
        }
        guard let date = try? CalendarDate(parsing: cleaned) else {
            v.add(field, "Write \(label.lowercased()) as YYYY-MM-DD, for example 2026-03-14.")
            return nil
        }
        return date
    }

    func log(_ identity: Identity, _ action: String, _ caseID: UUID, _ address: String, _ detail: String = "",
                     on db: (any Database)? = nil) async throws {
        try await audit.append(AuditEvent(actor: identity.auditActor, action: action, recordType: "case", recordID: caseID.uuidString,
                                          address: address, detail: detail), on: db)
    }

    // MARK: Consent

    struct ConsentInput: Sendable {
        var categories: [String] = []
        var purposes: [String] = []
        var agencies: [String] = []
        var method = ""
        var interpreterLanguage = ""
        var validFrom = ""
        var validUntil = ""
        var nrmConsent = false
    }

    func consents(_ caseID: UUID, identity: Identity, address: String, via: String) async throws -> [CaseConsent] {
        _ = try await cases.teamCase(caseID, identity: identity)
        let rows = try await CaseConsent.query(on: db).filter(\.$caseID == caseID).sort(\.$recordedAt, .descending).all()
        try await log(identity, "case.consents.viewed", caseID, address, via)
        return rows
    }

    /// One consent of a case, or nil (also when it belongs to another case).
    func consent(_ consentID: UUID, of caseID: UUID) async throws -> CaseConsent? {
        try await CaseConsent.query(on: db).filter(\.$id == consentID).filter(\.$caseID == caseID).first()
    }

    func recordConsent(_ caseID: UUID, _ input: ConsentInput, identity: Identity, address: String, now: Date = Date()) async throws -> CaseConsent {
        var v = Validator()
        var categories = Set<ConsentDataCategory>()
        for raw in input.categories {
            if let c = ConsentDataCategory(rawValue: raw) { categories.insert(c) } else { v.add("categories", "“\(raw.prefix(40))” is not a kind of information Cairn knows.") }
        }
        var purposes = Set<ConsentPurpose>()
        for raw in input.purposes {
            if let p = ConsentPurpose(rawValue: raw) { purposes.insert(p) } else { v.add("purposes", "“\(raw.prefix(40))” is not a purpose Cairn knows.") }
        }
        let method = ConsentMethod(rawValue: input.method)
        if method == nil { v.add("method", "Choose how the consent was given.") }
        let language = v.text(input.interpreterLanguage, field: "interpreterLanguage", label: "Interpreter's language", required: false, max: 100)
        let from = Self.date(input.validFrom.isEmpty ? Self.today(now).description : input.validFrom, field: "validFrom", label: "The date it starts", required: true, into: &v)
        let until = Self.date(input.validUntil, field: "validUntil", label: "The date it ends", required: false, into: &v)
        let agencyIDs = Set(input.agencies.compactMap(UUID.init(uuidString:)))
        if agencyIDs.count != Set(input.agencies).count { v.add("agencies", "Choose agencies from the list.") }
        let checked = v
        return try await db.transaction { [categories, purposes] tx in
            var v = checked
            let record = try await cases.teamCase(caseID, identity: identity, on: tx)
            let known = try await Agency.query(on: tx).filter(\.$id ~~ agencyIDs).all()
            if known.count != agencyIDs.count { v.add("agencies", "Choose agencies from the list.") }
            if let method, let from {
                let consent = ConsentRecord(categories: categories, purposes: purposes, agencies: Set(agencyIDs.map(\.uuidString)), method: method,
                                            interpreterLanguage: language.isEmpty ? nil : language, validFrom: from, validUntil: until)
                for issue in consent.validate() { v.add(issue.field, issue.message) }
            }
            try v.check()
            let row = CaseConsent()
            row.id = UUID()
            row.caseID = try record.requireID()
            row.categories = ConsentDataCategory.allCases.filter(categories.contains).map(\.rawValue).joined(separator: ",")
            row.purposes = ConsentPurpose.allCases.filter(purposes.contains).map(\.rawValue).joined(separator: ",")
            row.agencies = agencyIDs.map(\.uuidString).sorted().joined(separator: ",")
            row.method = try method.checked().rawValue
            row.interpreterLanguage = language.isEmpty ? nil : language
            row.validFrom = try from.checked().description
            row.validUntil = until?.description
            row.nrmConsent = input.nrmConsent
            row.recordedByID = identity.userID
            row.recordedAt = now
            try await row.create(on: tx)
            try await log(identity, "case.consent.recorded", caseID, address,
                          "consent \(try row.requireID().uuidString); \(agencyIDs.count) agencies; \(purposes.count) purposes", on: tx)
            return row
        }
    }

    /// Withdrawal takes effect at once: from today the consent permits nothing, so shares
    /// that depend on it stop. The record stays, with its withdrawal date.
    func withdrawConsent(_ caseID: UUID, consentID: UUID, note: String, identity: Identity, address: String, now: Date = Date()) async throws -> CaseConsent {
        var v = Validator()
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 500)
        try v.check()
        return try await db.transaction { tx in
            _ = try await cases.teamCase(caseID, identity: identity, on: tx)
            guard let row = try await CaseConsent.query(on: tx).filter(\.$id == consentID).filter(\.$caseID == caseID).first() else {
                throw AppError.notFound("consent")
            }
            if row.withdrawnOn != nil { throw AppError.conflict("This consent was already withdrawn on \(row.withdrawnOn!).") }
            var record = row.record
            do { try record.withdraw(on: Self.today(now)) } catch let failure as ValidationFailure { throw Self.invalid(failure.issues) }
            row.withdrawnOn = record.withdrawnOn?.description
            row.withdrawnNote = cleaned
            try await row.save(on: tx)
            try await log(identity, "case.consent.withdrawn", caseID, address, "consent \(consentID.uuidString)", on: tx)
            return row
        }
    }

    func activeConsents(_ caseID: UUID, on db: any Database, today: CalendarDate) async throws -> [ConsentRecord] {
        try await CaseConsent.query(on: db).filter(\.$caseID == caseID).all().map(\.record).filter { $0.isActive(on: today) }
    }

    // MARK: Needs

    func needs(_ caseID: UUID) async throws -> [CaseNeed] {
        let rows = try await CaseNeed.query(on: db).filter(\.$caseID == caseID).all()
        let order = Dictionary(uniqueKeysWithValues: NeedDomain.allCases.enumerated().map { ($1.rawValue, $0) })
        return rows.sorted { (order[$0.domain] ?? 99) < (order[$1.domain] ?? 99) }
    }

    func assessNeed(_ caseID: UUID, domain: String, urgency: String, priority: String, note: String, identity: Identity, address: String,
                    now: Date = Date()) async throws -> CaseNeed {
        var v = Validator()
        let domainValue = NeedDomain(rawValue: domain)
        if domainValue == nil { v.add("domain", "Choose an area of need from the list.") }
        let urgencyValue = NeedUrgency(rawValue: urgency)
        if urgencyValue == nil { v.add("urgency", "Choose how urgent the need is.") }
        let priorityValue = SurvivorPriority(rawValue: priority)
        if priorityValue == nil { v.add("survivorPriority", "Choose how important it is to them.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        try v.check()
        return try await db.transaction { tx in
            _ = try await cases.teamCase(caseID, identity: identity, on: tx)
            let row = try await CaseNeed.query(on: tx).filter(\.$caseID == caseID).filter(\.$domain == (try domainValue.checked().rawValue)).first() ?? CaseNeed()
            if row.id == nil {
                row.id = UUID()
                row.caseID = caseID
                row.domain = try domainValue.checked().rawValue
            }
            row.urgency = try urgencyValue.checked().rawValue
            row.survivorPriority = try priorityValue.checked().rawValue
            row.note = cleaned
            row.assessedOn = Self.today(now).description
            row.updatedByID = identity.userID
            try await row.save(on: tx)
            try await log(identity, "case.need.assessed", caseID, address, "\((try domainValue.checked()).rawValue): \((try urgencyValue.checked()).rawValue)", on: tx)
            return row
        }
    }

    // MARK: Care-plan tasks

    struct TaskInput: Sendable {
        var need = ""
        var title = ""
        var detail = ""
        var agencyID = ""
        var dueOn = ""
    }

    func tasks(_ caseID: UUID) async throws -> [CareTask] {
        try await CareTask.query(on: db).filter(\.$caseID == caseID).sort(\.$createdAt).all()
    }

    /// A task for an agency the survivor has not consented to share their care plan with (for
    /// support) is refused.
    func addTask(_ caseID: UUID, _ input: TaskInput, identity: Identity, address: String, now: Date = Date()) async throws -> CareTask {
        var v = Validator()
        let need = NeedDomain(rawValue: input.need)
        if need == nil { v.add("need", "Choose the need this task meets.") }
        let title = v.text(input.title, field: "title", label: "What needs doing", max: 200)
        let detail = v.text(input.detail, field: "detail", label: "Detail", required: false, max: 2000)
        let agencyID = UUID(uuidString: input.agencyID)
        if agencyID == nil { v.add("agencyID", "Choose the agency that owns this task.") }
        let due = Self.date(input.dueOn, field: "dueOn", label: "Due date", required: false, into: &v)
        let today = Self.today(now)
        if let due, due < today { v.add("dueOn", "The due date (\(due)) is in the past.") }
        let checked = v
        return try await db.transaction { tx in
            var v = checked
            _ = try await cases.teamCase(caseID, identity: identity, on: tx)
            if let agencyID {
                if try await Agency.find(agencyID, on: tx) == nil {
                    v.add("agencyID", "Choose the agency that owns this task.")
                } else if let need {
                    let task = CarePlanTask(need: need, ownerAgency: agencyID.uuidString, dueDate: due)
                    for issue in task.validate(consents: try await activeConsents(caseID, on: tx, today: today), on: today) {
                        v.add("agencyID", issue.message)
                    }
                }
            }
            try v.check()
            let row = CareTask()
            row.id = UUID()
            row.caseID = caseID
            row.need = try need.checked().rawValue
            row.title = title
            row.detail = detail
            row.agencyID = try agencyID.checked()
            row.dueOn = due?.description
            row.status = CarePlanTaskStatus.notStarted.rawValue
            row.createdByID = identity.userID
            row.createdAt = now
            row.updateNote = ""
            row.updatedAt = now
            try await row.create(on: tx)
            try await log(identity, "case.task.added", caseID, address, "task \(try row.requireID().uuidString) for agency \((try agencyID.checked()).uuidString)", on: tx)
            return row
        }
    }

    /// What an owning agency may see of a task's case: only what the survivor agreed to share
    /// with that agency, and the language to use wherever contact happens.
    struct SharedTask: Sendable {
        let task: CareTask
        let caseCode: String
        let chosenName: String
        let language: String
        let interpreterNeeded: Bool
        /// The survivor's account, when they agreed to share it with this agency.
        let account: String?
        let team: Bool
        /// Who set the task, and how the partnership reaches them.
        let setBy: CaseService.Member?
    }

    /// Whether the agency may see the task now: the survivor's consent to share the care
    /// plan with it, for support, is in force.
    func agencyMaySee(_ task: CareTask, agencyID: UUID, consents: [ConsentRecord], today: CalendarDate) -> Bool {
        task.agencyID == agencyID && consents.permit(.needsAndCarePlan, for: .supportAndCarePlanning, to: agencyID.uuidString, on: today)
    }

    /// Open and recent tasks for the person's agency whose consent stands, soonest due first.
    func inbox(identity: Identity, address: String, via: String, includeDone: Bool = false, now: Date = Date()) async throws -> [(CareTask, SupportCase)] {
        let visible = try await agencyTasks(identity: identity, includeDone: includeDone, now: now)
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "task.listed", recordType: "care_task", address: address,
                                          detail: "\(via); \(visible.count) shown"))
        return visible
    }

    /// The tasks `inbox` lists, unaudited (the caller audits).
    func agencyTasks(identity: Identity, includeDone: Bool = false, now: Date = Date()) async throws -> [(CareTask, SupportCase)] {
        guard identity.can(.workCareTasks) else { throw AppError.forbidden }
        let today = Self.today(now)
        var query = CareTask.query(on: db).filter(\.$agencyID == identity.agencyID)
        if !includeDone { query = query.filter(\.$status ~~ CarePlanTaskStatus.allCases.filter(\.isOpen).map(\.rawValue)) }
        let tasks = try await query.all()
        let caseIDs = Set(tasks.map(\.caseID))
        let consentRows = try await CaseConsent.query(on: db).filter(\.$caseID ~~ caseIDs).all()
        let consentsByCase = Dictionary(grouping: consentRows, by: \.caseID).mapValues { $0.map(\.record) }
        let caseRows = try await SupportCase.query(on: db).filter(\.$id ~~ caseIDs).all()
        let casesByID = Dictionary(uniqueKeysWithValues: try caseRows.map { (try $0.requireID(), $0) })
        let visible = tasks.filter { agencyMaySee($0, agencyID: identity.agencyID, consents: consentsByCase[$0.caseID] ?? [], today: today) }
            .compactMap { task in casesByID[task.caseID].map { (task, $0) } }
            .sorted { ($0.0.dueOn ?? "9999", $0.0.createdAt) < ($1.0.dueOn ?? "9999", $1.0.createdAt) }
        return visible
    }

    /// A task for its owning agency (while consent stands) or the case team; 404 otherwise.
    func sharedTask(_ taskID: UUID, identity: Identity, address: String, via: String, now: Date = Date(), on db: (any Database)? = nil) async throws -> SharedTask {
        let db = db ?? self.db
        guard let task = try await CareTask.find(taskID, on: db), let record = try await SupportCase.find(task.caseID, on: db) else {
            throw AppError.notFound("task")
        }
        let today = Self.today(now)
        var onTeam = false
        if identity.can(.workCases) {
            onTeam = try await CaseTeamMember.query(on: db).filter(\.$caseID == (try record.requireID())).filter(\.$userID == identity.userID).first() != nil
        }
        let consents = try await CaseConsent.query(on: db).filter(\.$caseID == (try record.requireID())).all().map(\.record)
        let asAgency = identity.can(.workCareTasks) && agencyMaySee(task, agencyID: identity.agencyID, consents: consents, today: today)
        guard onTeam || asAgency else { throw AppError.notFound("task") }
        let account = onTeam || consents.permit(.account, for: .supportAndCarePlanning, to: identity.agencyID.uuidString, on: today)
            ? record.account : nil
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "task.viewed", recordType: "care_task", recordID: taskID.uuidString,
                                          address: address, detail: "\(via); case \(try record.requireID().uuidString)\(onTeam ? "" : "; as owning agency")"), on: db)
        return SharedTask(task: task, caseCode: record.code, chosenName: record.chosenName, language: record.language,
                          interpreterNeeded: record.interpreterNeeded, account: account.flatMap { $0.isEmpty ? nil : $0 }, team: onTeam,
                          setBy: try await cases.member(task.createdByID, on: db))
    }

    func updateTask(_ taskID: UUID, status: String, note: String, identity: Identity, address: String, now: Date = Date()) async throws -> CareTask {
        var v = Validator()
        let target = CarePlanTaskStatus(rawValue: status)
        if target == nil { v.add("status", "Choose the task's status.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        try v.check()
        return try await db.transaction { tx in
            let shared = try await sharedTask(taskID, identity: identity, address: address, via: "update", now: now, on: tx)
            let task = shared.task
            let from = task.taskStatus
            task.status = try target.checked().rawValue
            if !cleaned.isEmpty { task.updateNote = cleaned }
            if target == .done, from != .done {
                task.completedAt = now
                task.completedByID = identity.userID
            } else if target != .done {
                task.completedAt = nil
                task.completedByID = nil
            }
            task.updatedAt = now
            try await task.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "task.updated", recordType: "care_task", recordID: taskID.uuidString,
                                              address: address, detail: "\(from.rawValue) → \((try target.checked()).rawValue)"), on: tx)
            if target == .done, from != .done {
                try await notifyTeam(task.caseID, except: identity.userID, on: tx, now: now,
                                     message: "Task done on case \(shared.caseCode): “\(task.title)”, by \(identity.displayName) (\(identity.agencyName))."
                                         + (cleaned.isEmpty ? "" : " Their note: \(cleaned.prefix(300))"))
            }
            return task
        }
    }

    // MARK: NRM and Duty to Notify

    /// Which route the case must take, from the survivor's age and their consent.
    /// The case's NRM route today, from its stored consents: what the NRM page and the API show.
    func route(_ record: SupportCase, today: CalendarDate) async throws -> NRMRoute {
        route(record, consents: try await CaseConsent.query(on: db).filter(\.$caseID == (try record.requireID())).all(), today: today)
    }

    func route(_ record: SupportCase, consents: [CaseConsent], today: CalendarDate) -> NRMRoute {
        let agreed = consents.contains { $0.nrmConsent && $0.record.isActive(on: today) }
        return NRMRoute.route(for: record.age, adultConsents: agreed)
    }

    func nrm(_ caseID: UUID) async throws -> CaseNRM? {
        try await CaseNRM.query(on: db).filter(\.$caseID == caseID).first()
    }

    struct NRMInput: Sendable {
        var referralDate = ""
        var firstResponder = ""
        var reference = ""
        var competentAuthority = ""
        var rgDecision = ""
        var rgDate = ""
        var cgDecision = ""
        var cgDate = ""
        var reconsiderationOf = ""
        var reconsiderationRequested = ""
    }

    func saveNRM(_ caseID: UUID, _ input: NRMInput, identity: Identity, address: String, now: Date = Date()) async throws -> CaseNRM {
        var v = Validator()
        let today = Self.today(now)
        let referralDate = Self.date(input.referralDate, field: "referralDate", label: "Referral date", required: true, into: &v)
        let responder = v.text(input.firstResponder, field: "firstResponder", label: "First responder organisation", max: 200)
        let reference = v.text(input.reference, field: "reference", label: "NRM reference", required: false, max: 60)
        var authority: CompetentAuthority?
        if !input.competentAuthority.isEmpty {
            authority = CompetentAuthority(rawValue: input.competentAuthority)
            if authority == nil { v.add("competentAuthority", "Choose the competent authority from the list.") }
        }
        func decision(_ kind: String, _ date: String, field: String, label: String) -> NRMDecisionRecord? {
            let day = Self.date(date, field: field + "Date", label: label + " date", required: !kind.isEmpty, into: &v)
            if kind.isEmpty {
                if day != nil { v.add(field + "Decision", "Choose the \(label.lowercased()) decision, or clear its date.") }
                return nil
            }
            guard let value = NRMDecision(rawValue: kind) else { v.add(field + "Decision", "Choose positive or negative."); return nil }
            return day.map { NRMDecisionRecord(value, on: $0) }
        }
        let authorityChoice = authority
        let rg = decision(input.rgDecision, input.rgDate, field: "rg", label: "Reasonable-grounds")
        let cg = decision(input.cgDecision, input.cgDate, field: "cg", label: "Conclusive-grounds")
        let checked = v
        return try await db.transaction { tx in
            var v = checked
            let record = try await cases.teamCase(caseID, identity: identity, on: tx)
            let consents = try await CaseConsent.query(on: tx).filter(\.$caseID == caseID).all()
            let route = route(record, consents: consents, today: today)
            if route == .dutyToNotify || route == .establishAgeFirst {
                v.add("referralDate", route.explanation)
            }
            let existing = try await CaseNRM.query(on: tx).filter(\.$caseID == caseID).first()
            var reconsiderations = existing?.referral.reconsiderations ?? []
            if !input.reconsiderationOf.isEmpty {
                if let kind = NRMDecisionKind(rawValue: input.reconsiderationOf),
                   let day = Self.date(input.reconsiderationRequested, field: "reconsiderationRequested", label: "Date reconsideration was requested",
                                       required: true, into: &v) {
                    reconsiderations.append(ReconsiderationRequest(of: kind, requestedOn: day))
                } else if NRMDecisionKind(rawValue: input.reconsiderationOf) == nil {
                    v.add("reconsiderationOf", "Choose which decision is to be reconsidered.")
                }
            }
            if let referralDate {
                let referral = NRMReferral(referralDate: referralDate, firstResponderOrganisation: responder, reference: reference.isEmpty ? nil : reference,
                                           competentAuthority: authorityChoice, reasonableGrounds: rg, conclusiveGrounds: cg, reconsiderations: reconsiderations)
                for issue in referral.validate(today: today) { v.add(issue.field, issue.message) }
            }
            try v.check()
            let row = existing ?? CaseNRM()
            if row.id == nil {
                row.id = UUID()
                row.caseID = caseID
            }
            row.referralDate = try referralDate.checked().description
            row.firstResponder = responder
            row.reference = reference.isEmpty ? nil : reference
            row.competentAuthority = authorityChoice?.rawValue
            row.rgDecision = rg?.decision.rawValue
            row.rgDate = rg?.date.description
            row.cgDecision = cg?.decision.rawValue
            row.cgDate = cg?.date.description
            row.reconsiderations = String(decoding: try JSONEncoder().encode(reconsiderations), as: UTF8.self)
            row.updatedByID = identity.userID
            row.updatedAt = now
            try await row.save(on: tx)
            try await log(identity, existing == nil ? "case.nrm.recorded" : "case.nrm.updated", caseID, address,
                          "stage \(row.referral.stage.rawValue)", on: tx)
            return row
        }
    }

    /// The NRM referral drafted from the case, for copying into the government's online form
    /// (which times out after an hour). It holds identity details, so each draft is audited.
    func nrmDraft(_ caseID: UUID, identity: Identity, address: String, now: Date = Date()) async throws -> String {
        let record = try await cases.teamCase(caseID, identity: identity)
        let person = try await CaseIdentityRecord.query(on: db).filter(\.$caseID == caseID).first()
        let consents = try await CaseConsent.query(on: db).filter(\.$caseID == caseID).all()
        let today = Self.today(now)
        let route = route(record, consents: consents, today: today)
        guard route == .nrmReferralWithConsent || route == .nrmReferralWithoutConsent else {
            throw AppError(.unprocessableContent, title: "No NRM referral on this route", route.explanation)
        }
        // The report the case came from, as far as the drafter may see it (a referral may
        // share only some of it; someone who may not see it gets none of it).
        var report: Report?
        var access: ReportService.Access?
        if let reportID = record.reportID, let (found, level) = try? await ReportAccess(database: database).visibleReport(reportID, identity: identity) {
            report = try ReportAccess.shown(found, level)
            access = level
        }
        var indicators: [String] = []
        if let report, access?.allows(.indicators) == true {
            let ticks = try await ReportIndicator.query(on: db).filter(\.$reportID == (try report.requireID())).all()
            let items = try await IndicatorItem.query(on: db).filter(\.$indicatorID ~~ Set(ticks.map(\.indicatorID))).all()
            for tick in ticks {
                if let item = items.first(where: { $0.indicatorID == tick.indicatorID && $0.version == tick.indicatorVersion }) {
                    indicators.append("- \(item.text) (\(tick.knowledge))")
                }
            }
        }
        let nrm = try await CaseNRM.query(on: db).filter(\.$caseID == caseID).first()
        let agency = try await Agency.find(identity.agencyID, on: db)
        var lines: [String] = []
        func section(_ title: String) { lines.append(""); lines.append(title.uppercased()); lines.append(String(repeating: "-", count: title.count)) }
        lines.append("NRM referral draft from Cairn case \(record.code), prepared \(today) by \(identity.displayName)")
        lines.append("Copy each part into the online NRM form. Check every answer with the person first.")
        section("Route")
        lines.append(route.explanation)
        lines.append("Age: \(record.age.label)")
        section("First responder")
        lines.append("Organisation: \(agency?.name ?? "")")
        lines.append("Name: \(identity.displayName)")
        if let nrm { lines.append("Referral date: \(nrm.referralDate)"); if let r = nrm.reference { lines.append("Reference: \(r)") } }
        section("Potential victim")
        lines.append("Name they use: \(record.chosenName)")
        if let person {
            if !person.legalName.isEmpty { lines.append("Legal name: \(person.legalName)") }
            if !person.dateOfBirth.isEmpty { lines.append("Date of birth: \(person.dateOfBirth)") }
            if !person.nationality.isEmpty { lines.append("Nationality: \(person.nationality)") }
            if !person.languages.isEmpty { lines.append("Languages: \(person.languages)") }
            if !person.contact.isEmpty { lines.append("Contact: \(person.contact)") }
        }
        lines.append("Interpreter needed: \(record.interpreterNeeded ? "yes, \(record.language)" : "no")")
        section("Consent")
        if route == .nrmReferralWithoutConsent {
            lines.append("Not needed: they are, or may be, a child.")
        } else if let consent = consents.first(where: { $0.nrmConsent && $0.record.isActive(on: today) }) {
            lines.append("Given \(consent.validFrom), \(ConsentMethod(rawValue: consent.method)?.label.lowercased() ?? consent.method)"
                         + (consent.interpreterLanguage.map { " (\($0))" } ?? "") + ".")
        }
        if let report {
            section("Exploitation")
            lines.append("Types: \(report.types.map(\.label).sorted().joined(separator: ", "))\(report.countyLines ? " (county lines)" : "")")
            lines.append("Where: \(report.location) \(report.postcode ?? "")")
            lines.append("When: \(report.occurred)")
            if !indicators.isEmpty { lines.append("Indicators:"); lines += indicators }
        }
        section("Their account")
        lines.append(record.account.isEmpty ? "(not recorded)" : record.account)
        try await log(identity, "case.nrm.drafted", caseID, address)
        return lines.joined(separator: "\n") + "\n"
    }

    struct DutyToNotifyInput: Sendable {
        var notifiedOn = ""
        var exploitationTypes: [String] = []
        var countyLines = false
        var location = ""
        var gender = ""
        var ageBand = ""
        var nationality = ""
        var account = ""
    }

    func dutyToNotify(_ caseID: UUID) async throws -> [DutyToNotifyRecord] {
        try await CaseDutyToNotify.query(on: db).filter(\.$caseID == caseID).sort(\.$recordedAt).all()
            .compactMap { try? JSONDecoder().decode(DutyToNotifyRecord.self, from: Data($0.record.utf8)) }
    }

    /// Records an anonymous Duty to Notify for an adult who did not consent to an NRM
    /// referral. The record holds no identifying field, and its account is screened for the
    /// person's names and other identifiers.
    func recordDutyToNotify(_ caseID: UUID, _ input: DutyToNotifyInput, identity: Identity, address: String, now: Date = Date()) async throws -> DutyToNotifyRecord {
        var v = Validator()
        let today = Self.today(now)
        let notifiedOn = Self.date(input.notifiedOn.isEmpty ? today.description : input.notifiedOn, field: "notifiedOn", label: "Date notified",
                                   required: true, into: &v)
        if let notifiedOn, notifiedOn > today { v.add("notifiedOn", "The notification date (\(notifiedOn)) is in the future.") }
        var types = Set<ExploitationType>()
        for raw in input.exploitationTypes {
            if let t = ExploitationType(rawValue: raw) { types.insert(t) } else { v.add("exploitationTypes", "Choose types of exploitation from the list.") }
        }
        let location = ExploitationLocation(rawValue: input.location)
        if location == nil { v.add("location", "Choose where the exploitation happened.") }
        let gender = NotifiedGender(rawValue: input.gender)
        if gender == nil { v.add("gender", "Choose a gender, or “unknown”.") }
        let band = AgeBand(rawValue: input.ageBand)
        if band == nil { v.add("ageBand", "Choose an age band, or “unknown”.") }
        let account = v.text(input.account, field: "account", label: "What happened", required: false, max: 4000)
        let nationality = input.nationality.trimmingCharacters(in: .whitespaces)
        let checked = v
        return try await db.transaction { [types] tx in
            var v = checked
            let record = try await cases.teamCase(caseID, identity: identity, on: tx)
            let consents = try await CaseConsent.query(on: tx).filter(\.$caseID == caseID).all()
            let route = route(record, consents: consents, today: today)
            if route != .dutyToNotify { v.add("notifiedOn", "A Duty to Notify is for an adult who does not consent to an NRM referral. " + route.explanation) }
            guard let agency = try await Agency.find(identity.agencyID, on: tx) else { throw AppError.forbidden }
            try v.check()
            let person = try await CaseIdentityRecord.query(on: tx).filter(\.$caseID == caseID).first()
            let names = [record.chosenName, person?.legalName ?? ""].filter { !$0.isEmpty }
            let notice: DutyToNotifyRecord
            do {
                notice = try DutyToNotifyRecord(notifyingAgencyType: agency.agencyType, notifiedOn: try notifiedOn.checked(), exploitationTypes: types,
                                                countyLines: input.countyLines, location: try location.checked(), gender: try gender.checked(), ageBand: try band.checked(),
                                                nationality: nationality.isEmpty ? nil : nationality, account: account, namesToExclude: names)
            } catch let failure as ValidationFailure {
                throw Self.invalid(failure.issues)
            }
            let row = CaseDutyToNotify()
            row.id = UUID()
            row.caseID = caseID
            row.record = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
            row.recordedByID = identity.userID
            row.recordedAt = now
            try await row.create(on: tx)
            try await log(identity, "case.dtn.recorded", caseID, address, "", on: tx)
            return notice
        }
    }

    // MARK: Outcomes

    func reviews(_ caseID: UUID) async throws -> [CaseOutcomeReview] {
        let rows = try await CaseOutcomeReview.query(on: db).filter(\.$caseID == caseID).all()
        return rows.sorted { $0.reviewDate < $1.reviewDate }
    }

    /// Records the core outcomes rated with the survivor at a review point (once per point).
    func recordReview(_ caseID: UUID, point: String, date: String, ratings: [String: String], note: String, identity: Identity,
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
            let record = try await cases.teamCase(caseID, identity: identity, on: tx)
            if let day, day < CalendarDate(record.openedAt, in: Self.london) {
                v.add("reviewDate", "The review date (\(day)) is before the case was opened (\(CalendarDate(record.openedAt, in: Self.london))).")
            }
            if let reviewPoint, try await CaseOutcomeReview.query(on: tx).filter(\.$caseID == caseID).filter(\.$point == reviewPoint.rawValue).first() != nil {
                v.add("point", "The \(reviewPoint.label.lowercased()) review is already recorded.")
            }
            try v.check()
            let row = CaseOutcomeReview()
            row.id = UUID()
            row.caseID = caseID
            row.point = try reviewPoint.checked().rawValue
            row.reviewDate = try day.checked().description
            row.ratings = String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
            row.note = cleaned
            row.recordedByID = identity.userID
            row.recordedAt = now
            try await row.create(on: tx)
            try await log(identity, "case.outcomes.recorded", caseID, address, try reviewPoint.checked().rawValue, on: tx)
            return row
        }
    }

    // MARK: Re-exploitation warnings

    func warnings(_ caseID: UUID) async throws -> [CaseWarning] {
        try await CaseWarning.query(on: db).filter(\.$caseID == caseID).sort(\.$observedOn, .descending).all()
    }

    /// Records a warning sign, re-assesses the case's risk and alerts the rest of the team.
    func recordWarning(_ caseID: UUID, sign: String, observedOn: String, note: String, identity: Identity?, address: String,
                       now: Date = Date()) async throws -> (CaseWarning, ReexploitationRisk) {
        var v = Validator()
        let warning = WarningSign(rawValue: sign)
        if warning == nil { v.add("sign", "Choose the warning sign.") }
        let today = Self.today(now)
        let day = Self.date(observedOn.isEmpty ? today.description : observedOn, field: "observedOn", label: "Date seen", required: true, into: &v)
        if let day, day > today { v.add("observedOn", "The date (\(day)) is in the future.") }
        let cleaned = v.text(note, field: "note", label: "Note", required: false, max: 2000)
        let checked = v
        return try await db.transaction { tx in
            var v = checked
            let record: SupportCase
            if let identity {
                record = try await cases.teamCase(caseID, identity: identity, on: tx)
            } else {
                guard let found = try await SupportCase.find(caseID, on: tx) else { throw AppError.notFound("case") }
                record = found
            }
            if let day, day < CalendarDate(record.openedAt, in: Self.london).adding(days: -365) {
                v.add("observedOn", "That is more than a year before the case was opened.")
            }
            try v.check()
            let row = CaseWarning()
            row.id = UUID()
            row.caseID = caseID
            row.sign = try warning.checked().rawValue
            row.observedOn = try day.checked().description
            row.note = cleaned
            row.recordedByID = identity?.userID
            row.recordedAt = now
            try await row.create(on: tx)
            let signs = try await CaseWarning.query(on: tx).filter(\.$caseID == caseID).all().compactMap(\.recorded)
            let risk = ReexploitationRisk.assess(signs, on: today)
            let before = record.risk
            record.riskLevel = risk.level.rawValue
            record.updatedAt = now
            try await record.save(on: tx)
            let members = try await CaseTeamMember.query(on: tx).filter(\.$caseID == caseID).all()
            let riskText = risk.level == before ? "Risk stays \(risk.level.rawValue)." : "Risk now \(risk.level.rawValue) (was \(before.rawValue))."
            for member in members where member.userID != identity?.userID {
                let alert = CaseAlert()
                alert.id = UUID()
                alert.caseID = caseID
                alert.userID = member.userID
                alert.message = "Warning sign on case \(record.code): \((try warning.checked()).label). \(riskText)"
                alert.createdAt = now
                try await alert.create(on: tx)
            }
            try await audit.append(AuditEvent(actor: identity?.auditActor ?? .system, action: "case.warning.recorded", recordType: "case",
                                              recordID: caseID.uuidString, address: address,
                                              detail: "\((try warning.checked()).rawValue); risk \(before.rawValue) → \(risk.level.rawValue)"), on: tx)
            return (row, risk)
        }
    }

    func alerts(identity: Identity) async throws -> [CaseAlert] {
        guard identity.can(.workCases) else { return [] }
        return try await CaseAlert.query(on: db).filter(\.$userID == identity.userID).filter(\.$readAt == nil).sort(\.$createdAt, .descending).all()
    }

    func dismissAlert(_ alertID: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        guard let alert = try await CaseAlert.query(on: db).filter(\.$id == alertID).filter(\.$userID == identity.userID).first() else {
            throw AppError.notFound("alert")
        }
        alert.readAt = now
        try await alert.save(on: db)
        try await log(identity, "case.alert.read", alert.caseID, address)
    }
}

extension CaseSupportService {
    /// Partnership-level case figures: counts only, never a case or a person. Small numbers
    /// are suppressed where they are shown (`CaseFigures.threshold`).
    struct Figures: Sendable {
        var total = 0
        var byStatus: [(String, Int)] = []
        var byStage: [(String, Int)] = []
        var byRisk: [(String, Int)] = []
        /// Per core outcome, across cases with at least two reviews rating it: first against latest.
        var movement: [(outcome: String, cases: Int, improved: Int, same: Int, worse: Int, first: Double, latest: Double)] = []
    }

    func figures(identity: Identity, address: String) async throws -> Figures {
        guard identity.can(.viewCaseStatistics) else { throw AppError.forbidden }
        let cases = try await SupportCase.query(on: db).all()
        let nrms = Dictionary(try await CaseNRM.query(on: db).all().map { ($0.caseID, $0.referral) }, uniquingKeysWith: { a, _ in a })
        let notified = Set(try await CaseDutyToNotify.query(on: db).all().map(\.caseID))
        let reviews = Dictionary(grouping: try await CaseOutcomeReview.query(on: db).all(), by: \.caseID)
        var figures = Figures()
        figures.total = cases.count
        figures.byStatus = CaseStatus.allCases.map { status in (status.label, cases.filter { $0.caseStatus == status }.count) }
        figures.byRisk = RiskLevel.allCases.reversed().map { level in (level.rawValue.capitalized, cases.filter { $0.risk == level }.count) }
        let caseIDs = try cases.map { try $0.requireID() }
        var stages: [(String, Int)] = NRMStage.allCases.map { stage in (stage.label, caseIDs.filter { nrms[$0]?.stage == stage }.count) }
        stages.append(("Duty to Notify made (no NRM referral)", caseIDs.filter { nrms[$0] == nil && notified.contains($0) }.count))
        stages.append(("Neither yet", caseIDs.filter { nrms[$0] == nil && !notified.contains($0) }.count))
        figures.byStage = stages
        for outcome in CoreOutcome.allCases {
            var improved = 0, same = 0, worse = 0, firstSum = 0, latestSum = 0, counted = 0
            for (_, rows) in reviews {
                let rated = rows.compactMap(\.review).filter { $0.ratings[outcome] != nil }.sorted { $0.date < $1.date }
                guard rated.count >= 2, let first = rated.first?.ratings[outcome], let latest = rated.last?.ratings[outcome] else { continue }
                counted += 1
                firstSum += first.score
                latestSum += latest.score
                if latest > first { improved += 1 } else if latest < first { worse += 1 } else { same += 1 }
            }
            figures.movement.append((outcome.label, counted, improved, same, worse,
                                     counted == 0 ? 0 : Double(firstSum) / Double(counted), counted == 0 ? 0 : Double(latestSum) / Double(counted)))
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "case.figures.viewed", recordType: "case", address: address))
        return figures
    }
}
