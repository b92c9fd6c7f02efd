import CairnCore
import FluentKit
import FluentSQL
import Foundation
import Linkage
import SQLKit

/// Reports of concern: intake, triage and routing, who may see what, the workflow, referrals
/// and outcomes. Every read and change of a report is written to the audit log.
public struct ReportService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let deadlines: ResponseDeadlines
    /// How long a report waiting for triage has (`CAIRN_TRIAGE_DEADLINE_HOURS`).
    let triageAllowance: TimeInterval
    let routing: RoutingPolicy
    let triage = TriagePolicy.standard()
    /// Commits concurrent submissions together; one per service, so one per server.
    let writer: IntakeWriter

    /// `followUp` is told of each committed batch (Intelligence links the new reports to what
    /// is held, and through that warns case teams whose report a new one links to).
    init(database: CairnDatabase, audit: AuditLog, config: AppConfig, followUp: IntakeFollowUp) {
        self.database = database
        self.audit = audit
        self.deadlines = config.responseDeadlines
        self.triageAllowance = TimeInterval(config.triageDeadlineHours) * 3600
        self.routing = config.routing
        let db = database.db
        let queue = followUp.queue
        self.writer = IntakeWriter(write: { batch in try await ReportService.write(batch, on: db, queue: queue) },
                                   direct: database.isSQLite ? IntakeWriter.Direct(database: db, write: { batch, connection in
                                       try ReportService.writeDirect(batch, connection, queue: queue)
                                   }) : nil,
                                   activity: followUp.activity,
                                   afterCommit: { created in
                                       await followUp.afterCommit(created.compactMap(ReceivedReport.init))
                                   })
    }

    var db: any Database { database.db }

    /// Waits until every stored report has been linked (and case teams warned).
    public func settle() async { await writer.settle() }

    // MARK: Indicator catalogue

    /// The latest version of every checklist item, retired ones included (they explain old reports).
    func catalogue(on db: (any Database)? = nil) async throws -> IndicatorCatalogue {
        let rows = try await IndicatorItem.query(on: db ?? self.db).sort(\.$indicatorID).sort(\.$version).all()
        var latest: [String: Indicator] = [:]
        var order: [String] = []
        for row in rows {
            guard let indicator = row.indicator else { continue }
            if latest[indicator.id] == nil { order.append(indicator.id) }
            latest[indicator.id] = indicator
        }
        let standardOrder = Dictionary(uniqueKeysWithValues: IndicatorCatalogue.standard.items.enumerated().map { ($1.id, $0) })
        order.sort { (standardOrder[$0] ?? Int.max, $0) < (standardOrder[$1] ?? Int.max, $1) }
        return IndicatorCatalogue(version: rows.map(\.version).max() ?? 1, items: order.compactMap { latest[$0] })
    }

    /// The wording of the exact versions a report used.
    func indicatorVersions(_ keys: [(String, Int)]) async throws -> [String: IndicatorItem] {
        guard !keys.isEmpty else { return [:] }
        let ids = Set(keys.map(\.0))
        let rows = try await IndicatorItem.query(on: db).filter(\.$indicatorID ~~ ids).all()
        return Dictionary(rows.map { ("\($0.indicatorID)#\($0.version)", $0) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Intake

    public struct Submitted: Sendable {
        public let report: Report
        /// Only for public reports, and only in this answer: Cairn keeps a hash.
        public let passphrase: String?
        /// True when an earlier submission with the same idempotency key was found.
        public let replayed: Bool
    }

    /// Stores a report and answers only after it is committed, with its triage and routing,
    /// events and mentions, in one transaction.
    /// `now` is the clock (the demo dates its reports over the past months).
    func submit(_ input: ReportInput, source: ReportSource, identity: Identity?, address: String,
                idempotencyKey: String?, requireFormAnswers: Bool, now: Date = Date()) async throws -> Submitted {
        // Only a report that ticks indicators needs the checklists (public reports never do).
        let catalogue = input.indicators.isEmpty ? IndicatorCatalogue(version: 0, items: []) : try await catalogue()
        let valid: ValidReport
        switch ReportValidation.validate(input, source: source, catalogue: catalogue, requireFormAnswers: requireFormAnswers) {
        case .success(let report): valid = report
        case .failure(let issues): throw issues
        }
        let key = idempotencyKey.map { String($0.prefix(200)) }
        // Only a keyed submission is compared with an earlier one.
        let fingerprint = key == nil ? "" : input.fingerprint
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try await store(valid, catalogue: catalogue, identity: identity, address: address,
                                       idempotencyKey: key, fingerprint: fingerprint, now: now)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempts < 4 {
                // A reference clash (rare) or a concurrent replay of the same key: try again;
                // the replay then finds the first submission.
                continue
            }
        }
    }

    private func store(_ valid: ValidReport, catalogue: IndicatorCatalogue, identity: Identity?, address: String,
                       idempotencyKey: String?, fingerprint: String, now: Date) async throws -> Submitted {
        let prepared = try await prepare(valid, catalogue: catalogue, identity: identity, address: address,
                                         idempotencyKey: idempotencyKey, fingerprint: fingerprint, now: now)
        return try await writer.store(prepared)
    }

    /// Works out everything a new report needs (reference, passphrase, triage, routing, events,
    /// mentions, audit entry) before it joins the queue for the writer.
    func prepare(_ valid: ValidReport, catalogue: IndicatorCatalogue, identity: Identity?, address: String,
                         idempotencyKey: String?, fingerprint: String, now given: Date = Date()) async throws -> PreparedReport {
        // Whole milliseconds, which both databases store exactly: the linker orders reports by
        // this instant, and the copy in memory must order as the stored copy does.
        let now = Date(timeIntervalSince1970: (given.timeIntervalSince1970 * 1000).rounded() / 1000)
        let report = Report()
        let reportID = UUID.timeOrdered(at: now)
        report.id = reportID
        // A clash with an existing reference (1 in 10^9 per pair) fails the UNIQUE constraint;
        // `submit` then tries again with a new one.
        let reference = Self.newReference()
        report.reference = reference
        var passphrase: String?
        if valid.source == .public {
            let words = Self.newPassphrase(in: valid.language)
            report.passphraseHash = Self.passphraseHash(reference: reference, passphrase: words)
            passphrase = words
        }
        report.source = valid.source.rawValue
        report.language = valid.language.rawValue
        report.dangerNow = valid.dangerNow
        report.ageGroup = valid.ageGroup.rawValue
        report.exploitationTypes = Self.storage(valid.exploitation.types)
        report.countyLines = valid.exploitation.countyLines
        report.labourSector = valid.labourSector?.rawValue
        report.classified = valid.classified
        report.narrative = valid.description
        report.location = valid.location
        report.postcode = valid.postcode?.full
        report.postcodeDistrict = valid.postcode?.district
        report.occurred = valid.occurred
        report.peopleText = valid.people
        report.vehiclesText = valid.vehicles
        report.phonesText = valid.phones
        report.businessesText = valid.businesses
        report.websitesText = valid.websites
        report.reporterType = valid.reporterType.rawValue
        report.anonymous = valid.anonymous
        report.contactName = valid.contactName
        report.contactPhone = valid.contactPhone
        report.contactEmail = valid.contactEmail
        report.contactBestTime = valid.contactBestTime
        report.createdByID = identity?.userID
        report.reportingAgencyID = identity?.agencyID
        report.assignedAgencyID = nil
        report.receivedAt = now
        report.updatedAt = now
        report.idempotencyKey = idempotencyKey
        report.requestFingerprint = idempotencyKey == nil ? nil : fingerprint

        let answers = valid.triageAnswers(catalogue: catalogue)
        let result = triage.assess(answers)
        report.urgency = result.urgency.rawValue
        report.triageRules = Self.json(result.firedRules)
        report.dueAt = deadlines.deadline(for: result.urgency, from: now)
        report.status = ReportStatus.new.rawValue
        report.routingExplanation = ""

        var events: [ReportEvent] = [ReportEvent(
            reportID: reportID, at: now, actorID: identity?.userID, actorName: identity?.displayName ?? "Public reporter",
            agencyID: identity?.agencyID, action: "received", from: "", to: ReportStatus.new.rawValue,
            note: valid.source == .public ? "Received through the public form." : "Recorded by a practitioner.")]

        // A classified report, or any emergency, is triaged and routed at once; an
        // unclassified public report waits for the triage team.
        if valid.classified || result.urgency == .emergency {
            report.status = ReportStatus.triaged.rawValue
            events.append(ReportEvent(reportID: reportID, at: now, actorID: nil, actorName: "Triage rules", agencyID: nil,
                                      action: "triage", from: ReportStatus.new.rawValue, to: ReportStatus.triaged.rawValue,
                                      note: "Urgency \(result.urgency.label.lowercased()). " + Self.ruleSummary(result)))
            let decision = routing.route(answers, urgency: result.urgency)
            let agencies = try await Agency.query(on: db).sort(\.$name).all()
            if let agency = Self.agency(for: decision.destination, among: agencies) {
                report.assignedAgencyID = agency.id
                report.status = ReportStatus.assigned.rawValue
                report.routingExplanation = decision.explanation
                events.append(ReportEvent(reportID: reportID, at: now, actorID: nil, actorName: "Routing rules", agencyID: agency.id,
                                          action: "assign", from: ReportStatus.triaged.rawValue, to: ReportStatus.assigned.rawValue,
                                          note: "\(decision.explanation) Assigned to \(agency.name)."))
            } else {
                report.routingExplanation = "\(decision.explanation) No agency provides \(decision.destination.label.lowercased()), so the triage team must assign it."
            }
        }
        // Until it is triaged, a report's deadline is for triage, not for the response.
        if report.reportStatus == .new { report.dueAt = triageDeadline(from: now) }
        for (index, event) in events.enumerated() {
            event.id = UUID.timeOrdered(at: now)
            // Events made in the same instant keep their order when sorted by time.
            event.at = now.addingTimeInterval(Double(index) / 1000)
        }
        let indicators = valid.indicators.map {
            let row = ReportIndicator(reportID: reportID, indicatorID: $0.indicator.id, version: $0.indicator.version, knowledge: $0.knowledge)
            row.id = UUID.timeOrdered(at: now)
            return row
        }
        let mentions = valid.mentions.map { mention in
            let row = ReportMention(reportID: reportID, kind: mention.kind, value: mention.value, normalised: mention.normalised,
                                    aliases: mention.aliases, dateOfBirth: mention.dateOfBirth, age: mention.age,
                                    nationality: mention.nationality, postcode: mention.postcode)
            row.id = UUID.timeOrdered(at: now)
            return row
        }
        let audit = AuditEvent(actor: identity?.auditActor ?? .anonymous, action: "report.created", recordType: "report",
                               recordID: reportID.uuidString, address: address,
                               detail: "\(valid.source.rawValue); urgency \(result.urgency.rawValue); status \(report.status)")
        return PreparedReport(report: report, events: events, indicators: indicators, mentions: mentions, passphrase: passphrase,
                              idempotencyKey: idempotencyKey, fingerprint: fingerprint, audit: audit)
    }

    /// What an earlier submission under the same idempotency key tells a new one.
    struct EarlierSubmission: Sendable {
        let id: UUID
        let reference: String
        let hasPassphrase: Bool
        let fingerprint: String?
        let createdByID: UUID?
    }

    /// How each report of a batch is answered, worked out from what is already stored under
    /// the batch's idempotency keys before anything is written; the same on either write path.
    struct IntakePlan: Sendable {
        enum Answer: Sendable {
            case created(PreparedReport)
            /// A repeat: the report is `sameBatch` when the first submission is in this batch,
            /// otherwise it is read once the batch has committed.
            case replayed(id: UUID, passphrase: String?, sameBatch: Report?)
            case refused(AppError)
        }
        var answers: [Answer] = []
        var created: [PreparedReport] = []
        /// New passphrase hashes for repeated reports stored before this batch.
        var passphraseChanges: [(id: UUID, hash: String, at: Date)] = []
        var audit: [AuditEvent] = []

        /// Repeated reports stored before this batch, to be read once it has committed.
        var earlierRepeats: [UUID] {
            answers.compactMap { answer in
                if case .replayed(let id, _, nil) = answer { id } else { nil }
            }
        }

        /// A repeated idempotency key answers with the first report instead (with a fresh
        /// passphrase, as the first answer may never have arrived); a key reused for a
        /// different report is refused.
        init(_ batch: [PreparedReport], earlier: [String: EarlierSubmission]) {
            var createdByKey: [String: PreparedReport] = [:]
            for item in batch {
                guard let key = item.idempotencyKey, earlier[key] != nil || createdByKey[key] != nil else {
                    created.append(item)
                    if let key = item.idempotencyKey { createdByKey[key] = item }
                    answers.append(.created(item))
                    audit.append(item.audit)
                    continue
                }
                let stored = earlier[key]
                let sameBatch = createdByKey[key]?.report
                let fingerprint = stored?.fingerprint ?? sameBatch?.requestFingerprint
                let createdBy = stored.map(\.createdByID) ?? sameBatch?.createdByID
                guard fingerprint == item.fingerprint, createdBy == item.report.createdByID, let id = stored?.id ?? sameBatch?.id else {
                    answers.append(.refused(AppError(.unprocessableContent, title: "Idempotency key reused",
                                                     "This Idempotency-Key was already used for a different report. Use a new key for a new report.")))
                    continue
                }
                var passphrase: String?
                if stored?.hasPassphrase ?? (sameBatch?.passphraseHash != nil) {
                    let words = ReportService.newPassphrase(in: PublicLanguage(code: item.report.language) ?? .en)
                    let reference = stored?.reference ?? sameBatch?.reference ?? ""
                    let hash = ReportService.passphraseHash(reference: reference, passphrase: words)
                    passphrase = words
                    if let sameBatch {
                        // Not written yet: it is inserted below with the new hash.
                        sameBatch.passphraseHash = hash
                    } else {
                        passphraseChanges.append((id, hash, Date()))
                    }
                }
                answers.append(.replayed(id: id, passphrase: passphrase, sameBatch: sameBatch))
                audit.append(AuditEvent(actor: item.audit.actor, action: "report.replayed", recordType: "report",
                                        recordID: id.uuidString, address: item.audit.address, detail: "same idempotency key"))
            }
        }
    }

    /// Writes a batch of prepared reports in one transaction (see `IntakeWriter`): on SQLite
    /// through `SQLiteDirect` (the whole transaction in one trip to the thread that holds the
    /// connection), elsewhere, or if that is not available, through SQLKit. Both write the same
    /// rows; `IntakeTests` and `StorageTests` run on each.
    static func write(_ batch: [PreparedReport], on db: any Database, queue: @escaping FollowUpQueue) async throws -> [IntakeWriter.Outcome] {
        let plan: IntakePlan
        if let direct = try await SQLiteDirect.transaction(on: db, { direct in try writeDirect(batch, direct, queue: queue) }) {
            plan = direct
        } else {
            plan = try await writeThroughSQLKit(batch, on: db, queue: queue)
        }
        return try await answers(plan, on: db)
    }

    /// The answers for a committed batch. Repeats of reports stored before it are read now.
    static func answers(_ plan: IntakePlan, on db: any Database) async throws -> [IntakeWriter.Outcome] {
        var stored: [UUID: Report] = [:]
        let storedIDs = plan.earlierRepeats
        if !storedIDs.isEmpty {
            for report in try await Report.query(on: db).filter(\.$id ~~ Set(storedIDs)).all() { stored[try report.requireID()] = report }
        }
        return answers(plan, stored: stored)
    }

    /// The answers for a committed batch, given the earlier reports it repeats.
    static func answers(_ plan: IntakePlan, stored: [UUID: Report]) -> [IntakeWriter.Outcome] {
        for item in plan.created { item.report.$id.exists = true }
        return plan.answers.map { answer in
            switch answer {
            case .created(let item):
                return .success(Submitted(report: item.report, passphrase: item.passphrase, replayed: false))
            case .replayed(let id, let passphrase, let sameBatch):
                guard let report = sameBatch ?? stored[id] else {
                    return .failure(AppError(.conflict, title: "Report not found", "The earlier report for this Idempotency-Key is no longer held."))
                }
                return .success(Submitted(report: report, passphrase: passphrase, replayed: true))
            case .refused(let error):
                return .failure(error)
            }
        }
    }

    static let eventColumns = ["id", "report_id", "at", "actor_id", "actor_name", "agency_id", "action", "from_status", "to_status", "note"]
    static let indicatorColumns = ["id", "report_id", "indicator_id", "indicator_version", "knowledge"]
    static let mentionColumns = ["id", "report_id", "kind", "value", "normalised", "aliases", "date_of_birth", "age", "nationality", "postcode"]

    /// Every write a planned batch makes after reading what its keys repeat: new passphrases
    /// for repeats of earlier reports, then the new reports and their events, checklist answers
    /// and mentions. The same steps on either path.
    static func writes(_ plan: IntakePlan, queue: FollowUpQueue) -> SQLWriteSteps {
        var steps = SQLWriteSteps()
        for change in plan.passphraseChanges {
            steps.update(Report.schema, set: [("passphrase_hash", SQLValue(change.hash)), ("updated_at", SQLValue(change.at))],
                         where: "id", in: [SQLValue(change.id)])
        }
        let created = plan.created
        steps.insert(into: Report.schema, columns: reportColumns, rows: created.map { reportRow($0.report) })
        steps.insert(into: ReportEvent.schema, columns: eventColumns, rows: created.flatMap(\.events).map { event in
            [SQLValue(event.id), SQLValue(event.reportID), SQLValue(event.at), SQLValue(event.actorID),
             SQLValue(event.actorName), SQLValue(event.agencyID), SQLValue(event.action),
             SQLValue(event.fromStatus), SQLValue(event.toStatus), SQLValue(event.note)]
        })
        steps.insert(into: ReportIndicator.schema, columns: indicatorColumns, rows: created.flatMap(\.indicators).map { tick in
            [SQLValue(tick.id), SQLValue(tick.reportID), SQLValue(tick.indicatorID), SQLValue(tick.indicatorVersion),
             SQLValue(tick.knowledge)]
        })
        steps.insert(into: ReportMention.schema, columns: mentionColumns, rows: created.flatMap(\.mentions).map { mention in
            [SQLValue(mention.id), SQLValue(mention.reportID), SQLValue(mention.kind), SQLValue(mention.value),
             SQLValue(mention.normalised), SQLValue(mention.aliases), SQLValue(mention.dateOfBirth),
             SQLValue(mention.age), SQLValue(mention.nationality), SQLValue(mention.postcode)]
        })
        // Owed follow-up (linking), in the same transaction: a report committed just before a
        // crash is followed up when the server comes back.
        queue(created.compactMap { item in item.report.id.map { (id: $0, receivedAt: item.report.receivedAt) } }, &steps)
        return steps
    }

    private static func writeThroughSQLKit(_ batch: [PreparedReport], on db: any Database, queue: @escaping FollowUpQueue) async throws -> IntakePlan {
        try await db.transaction { tx in
            let sql = try tx.sqlDatabase()
            var earlier: [String: EarlierSubmission] = [:]
            let keys = Set(batch.compactMap(\.idempotencyKey))
            for chunk in SQLRows.chunks(Array(keys)) {
                for report in try await Report.query(on: tx).filter(\.$idempotencyKey ~~ chunk).all() {
                    guard let key = report.idempotencyKey, let id = report.id else { continue }
                    earlier[key] = EarlierSubmission(id: id, reference: report.reference, hasPassphrase: report.passphraseHash != nil,
                                                     fingerprint: report.requestFingerprint, createdByID: report.createdByID)
                }
            }
            let plan = IntakePlan(batch, earlier: earlier)
            try await writes(plan, queue: queue).run(in: sql)
            try await AuditLog.appendBatch(plan.audit, on: tx)
            return plan
        }
    }

    /// `writeThroughSQLKit`, statement for statement, on the direct SQLite path.
    static func writeDirect(_ batch: [PreparedReport], _ direct: SQLiteDirect, queue: FollowUpQueue) throws -> IntakePlan {
        var earlier: [String: EarlierSubmission] = [:]
        let keys = Set(batch.compactMap(\.idempotencyKey))
        for chunk in SQLRows.chunks(Array(keys)) {
            let found = try direct.rows("""
                SELECT "id", "idempotency_key", "reference", "passphrase_hash", "request_fingerprint", "created_by_id"
                FROM \(SQLRows.quoted(Report.schema)) WHERE "idempotency_key" IN (\(SQLRows.placeholders(chunk.count)))
                """, chunk.map { SQLValue($0) })
            for row in found {
                guard let id = row[0].uuid, let key = row[1].string, let reference = row[2].string else { continue }
                earlier[key] = EarlierSubmission(id: id, reference: reference, hasPassphrase: row[3] != .null,
                                                 fingerprint: row[4].string, createdByID: row[5].uuid)
            }
        }
        let plan = IntakePlan(batch, earlier: earlier)
        try writes(plan, queue: queue).run(in: direct)
        try AuditLog.appendBatch(plan.audit, direct: direct)
        return plan
    }

    /// Every column of a new report, in the order of `reportRow`.
    static let reportColumns = [
        "id", "reference", "passphrase_hash", "source", "language", "status", "urgency", "triage_rules", "routing_explanation",
        "danger_now", "age_group", "exploitation_types", "county_lines", "labour_sector", "classified", "description", "location",
        "postcode", "postcode_district", "occurred", "people_text", "vehicles_text", "phones_text", "businesses_text", "websites_text",
        "reporter_type", "anonymous", "contact_name", "contact_phone", "contact_email", "contact_best_time", "created_by_id",
        "reporting_agency_id", "assigned_agency_id", "received_at", "due_at", "responded_at", "closed_at", "outcome", "outcome_date",
        "outcome_note", "idempotency_key", "request_fingerprint", "updated_at",
    ]

    static func reportRow(_ r: Report) -> [SQLValue] {
        [
            SQLValue(r.id), SQLValue(r.reference), SQLValue(r.passphraseHash), SQLValue(r.source), SQLValue(r.language),
            SQLValue(r.status), SQLValue(r.urgency), SQLValue(r.triageRules), SQLValue(r.routingExplanation),
            SQLValue(r.dangerNow), SQLValue(r.ageGroup), SQLValue(r.exploitationTypes), SQLValue(r.countyLines),
            SQLValue(r.labourSector), SQLValue(r.classified), SQLValue(r.narrative), SQLValue(r.location),
            SQLValue(r.postcode), SQLValue(r.postcodeDistrict), SQLValue(r.occurred), SQLValue(r.peopleText),
            SQLValue(r.vehiclesText), SQLValue(r.phonesText), SQLValue(r.businessesText), SQLValue(r.websitesText),
            SQLValue(r.reporterType), SQLValue(r.anonymous), SQLValue(r.contactName), SQLValue(r.contactPhone),
            SQLValue(r.contactEmail), SQLValue(r.contactBestTime), SQLValue(r.createdByID),
            SQLValue(r.reportingAgencyID), SQLValue(r.assignedAgencyID), SQLValue(r.receivedAt), SQLValue(r.dueAt),
            SQLValue(r.respondedAt), SQLValue(r.closedAt), SQLValue(r.outcome), SQLValue(r.outcomeDate),
            SQLValue(r.outcomeNote), SQLValue(r.idempotencyKey), SQLValue(r.requestFingerprint), SQLValue(r.updatedAt),
        ]
    }

    static func agency(for service: PartnerService, among agencies: [Agency]) -> Agency? {
        agencies.first { $0.services.contains(service) }
    }

    static func ruleSummary(_ result: TriageResult) -> String {
        result.firedRules.isEmpty ? "No triage rule fired." : "Rules: " + result.firedRules.map(\.explanation).joined(separator: " ")
    }

    static func newReference() -> String {
        var generator = PooledRandomNumberGenerator()
        return ReportReference.generate(using: &generator).value
    }

    /// Words in the reporter's language where it has a list (`Passphrase.words(for:)`).
    static func newPassphrase(in language: PublicLanguage) -> String {
        var generator = PooledRandomNumberGenerator()
        return Passphrase.generate(in: language, using: &generator).description
    }

    /// Salted with the reference so equal passphrases on two reports hash differently.
    static func passphraseHash(reference: String, passphrase: String) -> String {
        Secrets.sha256Hex("\(reference)|\(Passphrase.normalise(passphrase))")
    }

    static func storage(_ types: Set<ExploitationType>) -> String {
        ExploitationType.allCases.filter(types.contains).map(\.rawValue).joined(separator: ",")
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(value)) ?? Data("[]".utf8), as: UTF8.self)
    }

    // MARK: The reporter's status check

    /// The report for a reference and passphrase, or nil: one answer for an unknown reference
    /// and a wrong passphrase, so neither can be probed.
    func publicLookup(reference text: String, passphrase: String, address: String) async throws -> Report? {
        guard let reference = try? ReportReference(parsing: text) else { return nil }
        let report = try await Report.query(on: db).filter(\.$reference == reference.value).first()
        let expected = report?.passphraseHash ?? String(repeating: "0", count: 64)
        let matches = Secrets.constantTimeEquals(expected, Self.passphraseHash(reference: reference.value, passphrase: passphrase))
        guard let report, report.passphraseHash != nil, matches else { return nil }
        try await audit.append(AuditEvent(actor: .anonymous, action: "report.status_checked", recordType: "report",
                                          recordID: try report.requireID().uuidString, address: address))
        return report
    }

    // MARK: Workflow

    /// What a person asks to do to a report.
    enum Command: Sendable {
        case accept
        case reject(reason: String)
        case reroute(agencyID: UUID?, reason: String)
        case start
        case assign(agencyID: UUID?, note: String)
        case close(outcome: String, date: String, note: String)
        case reopen(reason: String)

        var name: String {
            switch self {
            case .accept: "accept"
            case .reject: "reject"
            case .reroute: "re-route"
            case .start: "start"
            case .assign: "assign"
            case .close: "close"
            case .reopen: "re-open"
            }
        }
    }

    /// Applies a workflow step after checking the person may take it on this report.
    @discardableResult
    func perform(_ command: Command, on id: UUID, identity: Identity, address: String, now: Date = Date()) async throws -> Report {
        try await db.transaction { tx in
            let (report, access) = try await visibleReport(id, identity: identity, on: tx)
            let triageTeam = identity.can(.triageReports)
            let holder = report.assignedAgencyID == identity.agencyID && identity.can(.viewReports)
            guard access == .full else { throw AppError.forbidden }
            let from = report.reportStatus
            var note = ""
            let action: ReportAction
            switch command {
            case .accept:
                guard holder || triageTeam else { throw Self.notHolder }
                action = .accept
            case .reject(let reason):
                guard holder else { throw Self.notHolder }
                action = .reject(reason: reason)
                note = reason
            case .reroute(let agencyID, let reason):
                guard holder || triageTeam else { throw Self.notHolder }
                action = .reroute(reason: reason)
                guard let agencyID, let agency = try await Agency.find(agencyID, on: tx) else {
                    throw AppError.invalid([.init("agencyId", "Choose the agency to pass the report to.")])
                }
                guard agencyID != report.assignedAgencyID else {
                    throw AppError.invalid([.init("agencyId", "The report is already with \(agency.name); choose another agency.")])
                }
                report.assignedAgencyID = agencyID
                note = "To \(agency.name): \(reason)"
            case .start:
                guard holder || triageTeam else { throw Self.notHolder }
                action = .start
            case .assign(let agencyID, let reason):
                guard triageTeam else { throw AppError.forbidden }
                guard let agencyID, let agency = try await Agency.find(agencyID, on: tx) else {
                    throw AppError.invalid([.init("agencyId", "Choose the agency to assign the report to.")])
                }
                action = .assign
                if from == .new {
                    // Assigning an untriaged report triages it by hand.
                    _ = try Self.apply(.triage, to: from)
                    try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                          action: "triage", from: from.rawValue, to: ReportStatus.triaged.rawValue, note: "Triaged by hand.").create(on: tx)
                    report.status = ReportStatus.triaged.rawValue
                }
                report.assignedAgencyID = agencyID
                report.routingExplanation = "Assigned by \(identity.displayName)."
                note = "To \(agency.name)." + (reason.isEmpty ? "" : " \(reason)")
            case .close(let outcomeText, let dateText, let outcomeNote):
                guard holder || triageTeam else { throw Self.notHolder }
                var v = Validator()
                let outcome = ReportOutcome(rawValue: outcomeText)
                if outcome == nil { v.add("outcome", "Choose the outcome from the list; a report cannot be closed without one.") }
                let date = try? CalendarDate(parsing: dateText.trimmingCharacters(in: .whitespaces))
                if dateText.trimmingCharacters(in: .whitespaces).isEmpty {
                    v.add("outcomeDate", "Enter the date of the outcome, for example 2026-11-23.")
                } else if date == nil {
                    v.add("outcomeDate", "The outcome date must be a real date written as YYYY-MM-DD.")
                } else if let date, date > CalendarDate(now, in: TimeZone.london) {
                    v.add("outcomeDate", "The outcome date cannot be in the future.")
                }
                let cleaned = v.text(outcomeNote, field: "outcomeNote", label: "A note on the outcome", max: 4000)
                try v.check()
                let kind = try outcome.checked(), day = try date.checked()
                action = .close(outcome: kind)
                report.outcome = kind.rawValue
                report.outcomeDate = day.description
                report.outcomeNote = cleaned
                report.closedAt = now
                if report.respondedAt == nil { report.respondedAt = now }
                note = "\(kind.label) (\(Format.day(day))). \(cleaned)"
            case .reopen(let reason):
                guard holder || triageTeam else { throw Self.notHolder }
                action = .reopen(reason: reason)
                report.closedAt = nil
                note = reason
            }
            if case .reject(let reason) = command, reason.count > 2000 {
                throw AppError.invalid([.init("reason", "Keep the reason to 2,000 characters or fewer.")])
            }
            let to = try Self.apply(action, to: report.reportStatus)
            if from == .new { report.dueAt = deadlines.deadline(for: report.reportUrgency, from: report.receivedAt) }
            if case .accept = command, report.respondedAt == nil { report.respondedAt = now }
            report.status = to.rawValue
            report.updatedAt = now
            try await report.save(on: tx)
            try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: action.name, from: from.rawValue, to: to.rawValue, note: note).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.\(command.name)", recordType: "report",
                                              recordID: id.uuidString, address: address, detail: "\(from.rawValue) → \(to.rawValue)"), on: tx)
            return report
        }
    }

    static let notHolder = AppError(.forbidden, title: "Not your agency’s report",
                                    "Only the agency the report is assigned to (or the triage team) can do this.")

    static func apply(_ action: ReportAction, to status: ReportStatus) throws -> ReportStatus {
        do { return try ReportWorkflow.apply(action, to: status) } catch {
            switch error {
            case .reasonRequired: throw AppError.invalid([.init("reason", error.description)])
            case .notAllowed: throw AppError(.conflict, title: "Not possible now", error.description)
            }
        }
    }

    /// Re-classifies a report (triage team): the rules run again, urgency and due date follow.
    @discardableResult
    func reclassify(_ id: UUID, types: [String], countyLines: Bool, ageGroup: String, labourSector: String, dangerNow: Bool,
                    indicators: [ReportInput.IndicatorTick], identity: Identity, address: String, now: Date = Date()) async throws -> TriageResult {
        guard identity.can(.triageReports) else { throw AppError.forbidden }
        let catalogue = try await catalogue()
        return try await db.transaction { tx in
            let (report, _) = try await visibleReport(id, identity: identity, on: tx)
            guard report.reportStatus != .closed else {
                throw AppError(.conflict, title: "Report closed", "Re-open the report before changing how it is classified.")
            }
            var input = ReportInput()
            input.description = report.narrative
            input.exploitationTypes = types
            input.countyLines = countyLines
            input.ageGroup = ageGroup
            input.labourSector = labourSector
            input.indicators = indicators
            input.dangerNow = dangerNow
            let valid: ValidReport
            switch ReportValidation.validate(input, source: .practitioner, catalogue: catalogue, requireFormAnswers: false) {
            case .success(let v): valid = v
            case .failure(let issues): throw issues.appError
            }
            var answers = valid.triageAnswers(catalogue: catalogue)
            answers.area = report.postcodeDistrict
            let result = triage.assess(answers)
            report.exploitationTypes = Self.storage(valid.exploitation.types)
            report.countyLines = valid.exploitation.countyLines
            report.ageGroup = valid.ageGroup.rawValue
            report.labourSector = valid.labourSector?.rawValue
            report.dangerNow = valid.dangerNow
            report.classified = true
            report.urgency = result.urgency.rawValue
            report.triageRules = Self.json(result.firedRules)
            report.dueAt = deadlines.deadline(for: result.urgency, from: report.receivedAt)
            let from = report.reportStatus
            if from == .new { report.status = ReportStatus.triaged.rawValue }
            let decision = routing.route(answers, urgency: result.urgency)
            report.routingExplanation = decision.explanation
            report.updatedAt = now
            try await report.save(on: tx)
            try await ReportIndicator.query(on: tx).filter(\.$reportID == id).delete()
            for tick in valid.indicators {
                try await ReportIndicator(reportID: id, indicatorID: tick.indicator.id, version: tick.indicator.version, knowledge: tick.knowledge).create(on: tx)
            }
            try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: "triage", from: from.rawValue, to: report.status,
                                  note: "Classified. Urgency \(result.urgency.label.lowercased()). " + Self.ruleSummary(result)).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.triaged", recordType: "report", recordID: id.uuidString,
                                              address: address, detail: "urgency \(result.urgency.rawValue)"), on: tx)
            return result
        }
    }

    /// The indicators ticked on a report (for one its caller already may see in full).
    func indicatorTicks(of report: Report) async throws -> [ReportIndicator] {
        try await ReportIndicator.query(on: db).filter(\.$reportID == (try report.requireID())).all()
    }

    /// The agency the routing rules suggest for a report as it is now classified.
    func suggestedAgency(for report: Report, catalogue: IndicatorCatalogue) async throws -> (RoutingDecision, Agency?) {
        let ticks = try await indicatorTicks(of: report)
        let answers = TriageAnswers(dangerNow: report.dangerNow, ageGroup: report.age,
                                    exploitation: ExploitationSummary(types: report.types, countyLines: report.countyLines),
                                    labourSector: report.sector,
                                    indicators: ticks.compactMap { t in IndicatorKnowledge(rawValue: t.knowledge).map { IndicatorObservation(t.indicatorID, $0) } },
                                    catalogue: catalogue, area: report.postcodeDistrict)
        let decision = routing.route(answers, urgency: report.reportUrgency)
        let agencies = try await Agency.query(on: db).sort(\.$name).all()
        return (decision, Self.agency(for: decision.destination, among: agencies))
    }

    // MARK: Referrals

    func refer(_ id: UUID, to agencyID: UUID?, shared: [String], request: String, identity: Identity, address: String,
               now: Date = Date()) async throws -> Referral {
        try await db.transaction { tx in
            let (report, access) = try await visibleReport(id, identity: identity, on: tx)
            let holder = report.assignedAgencyID == identity.agencyID || report.reportingAgencyID == identity.agencyID
            guard access == .full, holder || identity.can(.triageReports) else { throw Self.notHolder }
            var v = Validator()
            let cleaned = v.text(request, field: "request", label: "What you are asking the agency to do", max: 2000)
            let categories = Set(shared.compactMap(ShareCategory.init(rawValue:)))
            if shared.contains(where: { ShareCategory(rawValue: $0) == nil }) {
                v.add("shared", "Choose what to share from the list.")
            }
            var target: Agency?
            if let agencyID { target = try await Agency.find(agencyID, on: tx) }
            if target == nil { v.add("toAgencyId", "Choose the agency to refer to.") }
            if let target, target.id == identity.agencyID { v.add("toAgencyId", "Choose another agency: you cannot refer to your own.") }
            if let target, try await Referral.query(on: tx).filter(\.$reportID == id).filter(\.$toAgencyID == (try target.requireID()))
                .filter(\.$status == ReferralStatus.pending.rawValue).first() != nil {
                v.add("toAgencyId", "\(target.name) already has a referral for this report waiting for a reply.")
            }
            try v.check()
            let referral = Referral()
            referral.reportID = id
            referral.fromAgencyID = identity.agencyID
            let receiver = try target.checked("agency")
            referral.toAgencyID = try receiver.requireID()
            referral.status = ReferralStatus.pending.rawValue
            referral.shared = ShareCategory.allCases.filter(categories.union([.summary]).contains).map(\.rawValue).joined(separator: ",")
            referral.request = cleaned
            referral.response = ""
            referral.createdByID = identity.userID
            referral.createdAt = now
            referral.updatedAt = now
            try await referral.create(on: tx)
            try await ReportEvent(reportID: id, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: "refer", from: report.status, to: report.status,
                                  note: "Referred to \(receiver.name) for action. Shared: \(referral.sharedCategories.map(\.label).sorted().joined(separator: "; ")).").create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "referral.created", recordType: "report", recordID: id.uuidString,
                                              address: address, detail: "referral \(try referral.requireID().uuidString); shared \(referral.shared)"), on: tx)
            return referral
        }
    }

    /// The receiving agency accepts, rejects (with a reason) or completes a referral.
    func respond(toReferral referralID: UUID, status: String, response: String, identity: Identity, address: String) async throws -> Referral {
        try await db.transaction { tx in
            guard let referral = try await Referral.find(referralID, on: tx),
                  referral.toAgencyID == identity.agencyID, identity.can(.viewReports) else { throw AppError.notFound("referral") }
            guard let next = ReferralStatus(rawValue: status) else {
                throw AppError.invalid([.init("status", "Choose accept, reject or complete.")])
            }
            var v = Validator()
            let cleaned = v.text(response, field: "response", label: "Response", required: false, max: 2000)
            try v.check()
            let from = referral.referralStatus
            do { _ = try from.moving(to: next, reason: cleaned) } catch let error as ValidationFailure {
                throw AppError.invalid(error.issues.map { .init($0.field == "reason" ? "response" : $0.field, $0.message) })
            }
            let now = Date()
            referral.status = next.rawValue
            if !cleaned.isEmpty { referral.response = cleaned }
            referral.updatedAt = now
            try await referral.save(on: tx)
            let agency = try await Agency.find(identity.agencyID, on: tx)
            let report = try await Report.find(referral.reportID, on: tx)
            try await ReportEvent(reportID: referral.reportID, at: now, actorID: identity.userID, actorName: identity.displayName, agencyID: identity.agencyID,
                                  action: "referral \(next.rawValue)", from: report?.status ?? "", to: report?.status ?? "",
                                  note: "\(agency?.name ?? "The agency") \(next.label.lowercased()) the referral." + (cleaned.isEmpty ? "" : " \(cleaned)")).create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "referral.\(next.rawValue)", recordType: "report",
                                              recordID: referral.reportID.uuidString, address: address, detail: "referral \(referralID.uuidString)"), on: tx)
            return referral
        }
    }

    // MARK: Export

    /// Non-identifying columns only: no reporter contact details, no names.
    func exportCSV(_ q: Query, identity: Identity, address: String) async throws -> (csv: String, count: Int) {
        guard identity.can(.exportReports) else { throw AppError.forbidden }
        var query = q
        query.page = 1
        query.perPage = 100_000
        let (reports, _) = try await list(query, identity: identity)
        let agencies = Dictionary(uniqueKeysWithValues: try await Agency.query(on: db).all().map { (try $0.requireID(), $0.name) })
        let iso = ISO8601DateFormatter()
        var lines = ["reference,received_at,source,status,urgency,exploitation_types,county_lines,age_group,labour_sector,postcode_district,assigned_agency,due_at,overdue,outcome,outcome_date"]
        for r in reports {
            let fields: [String] = [
                r.reference, iso.string(from: r.receivedAt), r.source, r.status, r.urgency, r.exploitationTypes.replacingOccurrences(of: ",", with: ";"),
                r.countyLines ? "yes" : "no", r.ageGroup, r.labourSector ?? "", r.postcodeDistrict ?? "",
                r.assignedAgencyID.flatMap { agencies[$0] } ?? "", iso.string(from: r.dueAt), isOverdue(r) ? "yes" : "no",
                r.outcome ?? "", r.outcomeDate ?? "",
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        try await audit.append(AuditEvent(actor: identity.auditActor, action: "report.exported", recordType: "report", address: address,
                                          detail: "\(reports.count) reports as CSV"))
        return (lines.joined(separator: "\r\n") + "\r\n", reports.count)
    }

    /// Quotes when needed, and defuses text a spreadsheet would run as a formula.
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            v = "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
