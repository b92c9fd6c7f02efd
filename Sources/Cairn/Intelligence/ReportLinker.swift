import CairnCore
import FluentKit
import Foundation
import Linkage
import Logging
import SQLKit
import Synchronization

/// Links reports through what they mention. Identifiers (phones, vehicles, emails,
/// usernames, web addresses, business names, addresses with a postcode) link when they are
/// the same after normalising; people link when the `Linkage` engine judges two mentions to
/// be the same person and its clustering keeps them together. Reports joined by links form
/// networks, named by their earliest report.
///
/// One per server. It holds the engine's index of every person mentioned, built on first
/// use from the database, so a new report is linked without a batch re-run; `rebuild` re-links
/// everything (the `cairn link rebuild` command).
public actor ReportLinker {
    let database: CairnDatabase
    let alertSize: Int
    /// Told which open cases' reports a new report links to.
    let support: CaseSupportService
    private var index: LinkageIndex?
    /// Which report each person mention in the index came from.
    private var reportOfMention: [String: UUID] = [:]

    /// Above this many reports sharing one identifier, each is linked to the first and the one
    /// before it rather than to all, so a common value cannot make millions of pairs.
    static let fullPairLimit = 30

    /// The last operation queued. Linking awaits the database, and an actor lets another call
    /// in at every await, so each operation waits for the one before it to finish.
    private var last: Task<Void, Never>?

    private func serially<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let previous = last
        let task = Task<T, any Error> {
            await previous?.value
            return try await body()
        }
        last = Task { _ = try? await task.value }
        return try await task.value
    }

    init(database: CairnDatabase, alertSize: Int, support: CaseSupportService) {
        self.database = database
        self.alertSize = alertSize
        self.support = support
    }

    var db: any Database { database.db }

    // MARK: Facts the linker works on

    struct ReportFacts: Sendable {
        let id: UUID
        let reference: String
        let receivedAt: Date
        /// The reporting agency, or "public".
        let source: String
        let postcode: String?

        /// Earlier reports first; the id settles reports received in the same instant.
        static func before(_ a: ReportFacts, _ b: ReportFacts) -> Bool {
            a.receivedAt != b.receivedAt ? a.receivedAt < b.receivedAt : a.id.sortsBefore(b.id)
        }
    }

    struct MentionFacts: Sendable {
        let id: UUID
        let reportID: UUID
        let kind: MentionKind
        let value: String
        let normalised: String?
        let dateOfBirth: String
        let postcode: String?

        init(_ m: ReportMention) {
            id = m.id!
            reportID = m.reportID
            kind = MentionKind(rawValue: m.kind) ?? .url
            value = m.value
            normalised = m.normalised
            dateOfBirth = m.dateOfBirth
            postcode = m.postcode
        }

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            reportID = try row.decode(column: "report_id", as: UUID.self)
            kind = MentionKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .url
            value = try row.decode(column: "value", as: String.self)
            normalised = try row.decode(column: "normalised", as: String?.self)
            dateOfBirth = try row.decode(column: "date_of_birth", as: String.self)
            postcode = try row.decode(column: "postcode", as: String?.self)
        }

        /// An address given only as a postcode (the report's own location, often).
        var isPostcodeOnly: Bool { kind == .address && PostcodeNormaliser.parse(value) != nil }

        /// The value two mentions must share to link their reports; nil for people (the engine
        /// compares them) and for values too short or vague to mean anything.
        var key: String? {
            guard let normalised, normalised.count >= 3 else { return nil }
            switch kind {
            case .person: return nil
            // A street without a postcode could be anywhere; a postcode alone is many homes.
            case .address: return isPostcodeOnly ? nil : postcode.map { "address|\($0)|\(normalised)" }
            default: return "\(kind.rawValue)|\(normalised)"
            }
        }
    }

    /// Every report, with only the columns `facts` reads (a rebuild loads them all).
    static func factsQuery(_ db: any Database) -> QueryBuilder<Report> {
        Report.query(on: db).field(\.$id).field(\.$reference).field(\.$receivedAt).field(\.$reportingAgencyID).field(\.$postcode)
    }

    static func facts(_ r: Report) -> ReportFacts {
        ReportFacts(id: r.id!, reference: r.reference, receivedAt: r.receivedAt, source: r.reportingAgencyID?.uuidString ?? "public",
                    postcode: r.postcode)
    }

    /// The engine's record for one person mention: the name and date of birth, with the
    /// report's address and phone when it gives exactly one (otherwise we cannot tell whose).
    static func personRecord(_ m: MentionFacts, reportMentions: [MentionFacts], reportPostcode: String?) -> RawRecord {
        var values: [Linkage.Field: String] = [.fullName: m.value]
        if !m.dateOfBirth.isEmpty { values[.dateOfBirth] = m.dateOfBirth }
        let addresses = reportMentions.filter { $0.kind == .address && !$0.isPostcodeOnly }
        if addresses.count == 1 {
            values[.address] = addresses[0].value
            if let postcode = addresses[0].postcode { values[.postcode] = postcode }
        } else if let reportPostcode {
            values[.postcode] = reportPostcode
        }
        for (kind, field) in [(MentionKind.phone, Linkage.Field.phone), (.email, .email), (.username, .username)] {
            let found = reportMentions.filter { $0.kind == kind }
            if found.count == 1, let n = found[0].normalised { values[field] = n }
        }
        return RawRecord(id: m.id.uuidString, values: values)
    }

    static func phrase(for kind: MentionKind) -> String {
        switch kind {
        case .phone: "same phone"
        case .vehicle: "same vehicle"
        case .email: "same email address"
        case .username: "same username"
        case .url: "same web address"
        case .business: "same business name"
        case .address: "same address"
        case .person: "same person"
        }
    }

    /// "similar name at the same address", from the engine's explanation.
    static func phrase(for explanation: MatchExplanation) -> String {
        func level(_ comparison: ComparisonKind) -> String? { explanation.terms.first { $0.comparison == comparison.rawValue }?.level }
        let exactName = level(.givenName)?.hasPrefix("exact") == true && level(.familyName)?.hasPrefix("exact") == true
        var parts = [exactName ? "same name" : "similar name"]
        if level(.dateOfBirth) == "exact" { parts.append("and date of birth") }
        else if level(.dateOfBirth) == "one part differs" || level(.dateOfBirth) == "partial date consistent" { parts.append("and a matching date of birth") }
        switch level(.contact) {
        case "same phone and home": parts.append("with the same phone and address")
        case "same phone": parts.append("with the same phone")
        case "same home": parts.append("at the same address")
        case "shared phone or home": parts.append("sharing a phone or address")
        case "same postcode": parts.append("in the same postcode")
        case "same district or town": parts.append("in the same area")
        default: break
        }
        return parts.joined(separator: " ")
    }

    static let kindOrder: [String: Int] = Dictionary(uniqueKeysWithValues: MentionKind.allCases.enumerated().map { ($1.rawValue, $0) })

    static func summary(_ reasons: [LinkReason]) -> String {
        var seen = Set<String>()
        let ordered = reasons.sorted { (kindOrder[$0.kind] ?? 9, -$0.probability) < (kindOrder[$1.kind] ?? 9, -$1.probability) }
        return ordered.compactMap { seen.insert($0.phrase).inserted ? $0.phrase : nil }.joined(separator: ", ")
    }

    struct PairKey: Hashable {
        let earlier: UUID
        let later: UUID
    }

    /// Pairs of reports that share an identifier, with the reason, for one group of mentions
    /// holding the same key (reports in time order). With `involving`, only pairs with one of
    /// those reports (a linking pass needs only the new reports' pairs: making every pair of a
    /// group of thirty and dropping most was most of its identifier work).
    static func keyPairs(_ group: [(MentionFacts, ReportFacts)], involving: Set<UUID>? = nil, into pairs: inout [PairKey: [LinkReason]]) {
        // One mention per report: the first.
        var seen = Set<UUID>()
        let byReport = group.sorted { ReportFacts.before($0.1, $1.1) }.filter { seen.insert($0.1.id).inserted }
        guard byReport.count > 1 else { return }
        func add(_ a: (MentionFacts, ReportFacts), _ b: (MentionFacts, ReportFacts)) {
            if let involving, !involving.contains(a.1.id), !involving.contains(b.1.id) { return }
            pairs[PairKey(earlier: a.1.id, later: b.1.id), default: []].append(
                LinkReason(kind: a.0.kind.rawValue, earlierMentionID: a.0.id, laterMentionID: b.0.id, earlierValue: a.0.value, laterValue: b.0.value,
                           phrase: phrase(for: a.0.kind), probability: 1, explanation: nil))
        }
        if byReport.count <= fullPairLimit {
            for i in 0..<byReport.count { for j in (i + 1)..<byReport.count { add(byReport[i], byReport[j]) } }
        } else {
            for j in 1..<byReport.count {
                add(byReport[0], byReport[j])
                if j > 1 { add(byReport[j - 1], byReport[j]) }
            }
        }
    }

    /// Mentions grouped by identifier value, each group in report time order with one mention
    /// per report.
    static func keyGroups(_ mentions: [MentionFacts], reports: [UUID: ReportFacts]) -> [String: [(MentionFacts, ReportFacts)]] {
        var groups: [String: [(MentionFacts, ReportFacts)]] = [:]
        for m in mentions { if let key = m.key, let r = reports[m.reportID] { groups[key, default: []].append((m, r)) } }
        return groups.mapValues { group in
            var seen = Set<UUID>()
            return group.sorted { ReportFacts.before($0.1, $1.1) }.filter { seen.insert($0.1.id).inserted }
        }
    }

    /// Replaces `link_keys` with the first and latest mention and the count of each group.
    static func writeKeyRows(_ groups: [String: [(MentionFacts, ReportFacts)]], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.delete(from: LinkKeyRow.schema).run()
        let rows: [[SQLValue]] = groups.compactMap { key, group in
            guard let first = group.first, let last = group.last else { return nil }
            return [SQLValue(key), SQLValue(first.0.id), SQLValue(last.0.id), SQLValue(group.count)]
        }
        try await SQLRows.insert(into: LinkKeyRow.schema, columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: rows, on: sql)
    }

    /// Recomputes `link_networks` for these networks (all when nil) from their members.
    static func writeNetworkRows(_ networks: [UUID]?, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        var query = sql.select()
            .column(SQLColumn("network_id", table: ReportNetwork.schema), as: "network_id")
            .column(SQLColumn("reporting_agency_id", table: Report.schema), as: "agency")
            .from(ReportNetwork.schema)
            .join(Report.schema, on: SQLColumn("id", table: Report.schema), .equal, SQLColumn("report_id", table: ReportNetwork.schema))
        if let networks {
            guard !networks.isEmpty else { return }
            query = query.where(SQLColumn("network_id", table: ReportNetwork.schema), .in, SQLBind.group(networks))
            try await sql.delete(from: LinkNetworkRow.schema).where("network_id", .in, SQLBind.group(networks)).run()
        } else {
            try await sql.delete(from: LinkNetworkRow.schema).run()
        }
        var summary: [UUID: (reports: Int, sources: Set<String>)] = [:]
        for row in try await query.all() {
            let network = try row.decode(column: "network_id", as: UUID.self)
            let agency = try row.decode(column: "agency", as: UUID?.self)
            summary[network, default: (0, [])].reports += 1
            summary[network]!.sources.insert(agency?.uuidString ?? "public")
        }
        try await SQLRows.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"],
                                 rows: summary.map { [SQLValue($0.key), SQLValue($0.value.reports), SQLValue($0.value.sources.sorted().joined(separator: ","))] },
                                 on: sql)
    }

    static func linkRow(_ key: PairKey, _ reasons: [LinkReason], now: Date) -> [SQLValue] {
        let reasonsJSON = Self.json(reasons)
        return [SQLValue(UUID.timeOrdered(at: now)), SQLValue(key.earlier), SQLValue(key.later), SQLValue(reasons.map(\.probability).max() ?? 0),
                SQLValue(summary(reasons)), SQLValue(reasonsJSON), SQLValue(now), .null]
    }

    /// The reasons as JSON. Identifier reasons (most links) are written directly: a
    /// `JSONEncoder` per link was a twentieth of the server's time under sustained intake.
    static func json(_ reasons: [LinkReason]) -> String {
        guard reasons.allSatisfy({ $0.explanation == nil }) else {
            return (try? String(decoding: JSONEncoder().encode(reasons), as: UTF8.self)) ?? "[]"
        }
        var out = "["
        for (n, reason) in reasons.enumerated() {
            out += n == 0 ? "{\"kind\":" : ",{\"kind\":"
            JSONLogHandler.appendQuoted(reason.kind, to: &out)
            out += ",\"earlierMentionID\":\"\(reason.earlierMentionID.text)\",\"laterMentionID\":\"\(reason.laterMentionID.text)\",\"earlierValue\":"
            JSONLogHandler.appendQuoted(reason.earlierValue, to: &out)
            out += ",\"laterValue\":"
            JSONLogHandler.appendQuoted(reason.laterValue, to: &out)
            out += ",\"phrase\":"
            JSONLogHandler.appendQuoted(reason.phrase, to: &out)
            out += ",\"probability\":\(reason.probability.isFinite ? reason.probability : 0)}"
        }
        return out + "]"
    }

    static let linkColumns = ["id", "earlier_report_id", "later_report_id", "probability", "summary", "reasons", "created_at", "confirmed_by_id"]

    // MARK: Stored model and feedback

    func storedModel() async throws -> LinkageModel {
        guard let row = try await LinkState.find("model", on: db),
              let model = try? JSONDecoder().decode(LinkageModel.self, from: Data(row.value.utf8)) else { return .initial }
        return model
    }

    func storedFeedback() async throws -> FeedbackLog {
        FeedbackLog(entries: try await LinkFeedbackRow.query(on: db).sort(\.$at).all().map(\.feedback))
    }

    // MARK: Rebuild

    public struct RebuildSummary: Sendable {
        public var reports = 0
        public var mentions = 0
        public var people = 0
        public var personClusters = 0
        public var links = 0
        public var networks = 0
        public var trained = false
        public var seconds = 0.0
    }

    /// Re-links every report in the database with the engine and replaces the stored links,
    /// person clusters and networks. Analysts' feedback is kept and respected. Trains the
    /// model when there are enough people to learn from (1,000 mentions); otherwise uses the
    /// stored or starting model.
    func rebuild(progress: (@Sendable (String, Double) -> Void)? = nil) async throws -> RebuildSummary {
        try await serially { try await self.rebuildNow(progress: progress) }
    }

    private func rebuildNow(progress: (@Sendable (String, Double) -> Void)?) async throws -> RebuildSummary {
        let start = Date()
        var summary = RebuildSummary()
        // Everything waiting is committed, so the rebuild links it.
        backlog.withLock { $0 -= pending.count }
        pending = []
        progress?("loading", 0)
        let reports = try await Self.factsQuery(db).all().map(Self.facts).sorted(by: ReportFacts.before)
        let reportByID = Dictionary(uniqueKeysWithValues: reports.map { ($0.id, $0) })
        let order = Dictionary(uniqueKeysWithValues: reports.enumerated().map { ($1.id, $0) })
        let mentions = try await ReportMention.query(on: db).all().map(MentionFacts.init)
            .filter { reportByID[$0.reportID] != nil }
            .sorted { order[$0.reportID]! != order[$1.reportID]! ? order[$0.reportID]! < order[$1.reportID]! : $0.id.sortsBefore($1.id) }
        summary.reports = reports.count
        summary.mentions = mentions.count
        let byReport = Dictionary(grouping: mentions, by: \.reportID)

        // People, through the engine.
        var records: [NormalisedRecord] = []
        var mentionReport: [String: UUID] = [:]
        for m in mentions where m.kind == .person {
            records.append(NormalisedRecord(Self.personRecord(m, reportMentions: byReport[m.reportID] ?? [], reportPostcode: reportByID[m.reportID]?.postcode)))
            mentionReport[m.id.uuidString] = m.reportID
        }
        summary.people = records.count
        let train = records.count >= 1000
        summary.trained = train
        let (index, links, _) = LinkageIndex.batch(records, model: try await storedModel(), train: train, feedback: try await storedFeedback(),
                                                   progress: progress)
        let mentionByID = Dictionary(uniqueKeysWithValues: mentions.map { ($0.id.uuidString, $0) })
        var pairs: [PairKey: [LinkReason]] = [:]
        for link in links {
            guard let l = mentionByID[link.left], let r = mentionByID[link.right], l.reportID != r.reportID,
                  index.clusterID(of: link.left) == index.clusterID(of: link.right),
                  let lr = reportByID[l.reportID], let rr = reportByID[r.reportID],
                  let explanation = index.explain(link.left, link.right) else { continue }
            let (a, b) = ReportFacts.before(lr, rr) ? (l, r) : (r, l)
            let ordered = a.id == l.id ? explanation : index.explain(a.id.uuidString, b.id.uuidString) ?? explanation
            pairs[PairKey(earlier: a.reportID, later: b.reportID), default: []].append(
                LinkReason(kind: MentionKind.person.rawValue, earlierMentionID: a.id, laterMentionID: b.id, earlierValue: a.value, laterValue: b.value,
                           phrase: Self.phrase(for: ordered), probability: link.matchProbability, explanation: ordered))
        }
        // Identifiers, exactly.
        progress?("identifiers", 0)
        let groups = Self.keyGroups(mentions, reports: reportByID)
        for group in groups.values where group.count > 1 { Self.keyPairs(group, into: &pairs) }

        // Networks: connected reports.
        var parent: [UUID: UUID] = [:]
        func find(_ x: UUID) -> UUID {
            var x = x
            while let p = parent[x], p != x { parent[x] = parent[p] ?? p; x = p }
            return x
        }
        for key in pairs.keys {
            if parent[key.earlier] == nil { parent[key.earlier] = key.earlier }
            if parent[key.later] == nil { parent[key.later] = key.later }
            let a = find(key.earlier), b = find(key.later)
            if a != b {
                // The root is the earliest report, so it names the network.
                if ReportFacts.before(reportByID[a]!, reportByID[b]!) { parent[b] = a } else { parent[a] = b }
            }
        }
        let now = Date()
        let linkRows = pairs.sorted { $0.key.earlier != $1.key.earlier ? $0.key.earlier.sortsBefore($1.key.earlier) : $0.key.later.sortsBefore($1.key.later) }
            .map { Self.linkRow($0.key, $0.value, now: now) }
        let networkRows: [[SQLValue]] = parent.keys.map { [SQLValue($0), SQLValue(find($0))] }
        let clusterRows: [[SQLValue]] = index.clusterAssignments().compactMap { a in
            guard let mention = UUID(uuidString: a.id), let report = mentionReport[a.id], let cluster = UUID(uuidString: a.clusterID) else { return nil }
            return [SQLValue(mention), SQLValue(report), SQLValue(cluster)]
        }
        summary.links = linkRows.count
        summary.networks = Set(parent.keys.map(find)).count
        summary.personClusters = Set(index.clusterAssignments().map(\.clusterID)).count
        progress?("writing", 0)
        let model = index.model
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            try await sql.delete(from: ReportLink.schema).run()
            try await sql.delete(from: PersonCluster.schema).run()
            try await sql.delete(from: ReportNetwork.schema).run()
            try await SQLRows.insert(into: ReportLink.schema, columns: Self.linkColumns, rows: linkRows, on: sql)
            try await SQLRows.insert(into: ReportNetwork.schema, columns: ["report_id", "network_id"], rows: networkRows, on: sql)
            try await SQLRows.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"], rows: clusterRows, on: sql)
            try await Self.writeKeyRows(groups, on: tx)
            try await Self.writeNetworkRows(nil, on: tx)
            if train {
                let json = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
                try await LinkState.query(on: tx).filter(\.$id == "model").delete()
                try await LinkState(name: "model", value: json).create(on: tx)
            }
        }
        self.index = index
        self.reportOfMention = mentionReport
        fewGroups = [:]
        summary.seconds = Date().timeIntervalSince(start)
        progress?("done", 1)
        return summary
    }

    /// Builds the in-memory index from the stored person mentions (no training, stored model).
    private func loadedIndex() async throws -> LinkageIndex {
        if let index { return index }
        let reports = Dictionary(uniqueKeysWithValues: try await Self.factsQuery(db).all().map { ($0.id!, Self.facts($0)) })
        let mentions = try await ReportMention.query(on: db).all().map(MentionFacts.init)
        let byReport = Dictionary(grouping: mentions, by: \.reportID)
        let people = mentions.filter { $0.kind == .person && reports[$0.reportID] != nil }
            .sorted { a, b in
                let ra = reports[a.reportID]!, rb = reports[b.reportID]!
                return ra.id == rb.id ? a.id.sortsBefore(b.id) : ReportFacts.before(ra, rb)
            }
        var records: [NormalisedRecord] = []
        for m in people {
            records.append(NormalisedRecord(Self.personRecord(m, reportMentions: byReport[m.reportID] ?? [], reportPostcode: reports[m.reportID]?.postcode)))
            reportOfMention[m.id.uuidString] = m.reportID
        }
        let built = LinkageIndex.batch(records, model: try await storedModel(), train: false, feedback: try await storedFeedback()).index
        index = built
        return built
    }

    // MARK: Incremental

    /// Links newly committed reports against everything held, stores the links, joins or
    /// merges networks, updates person clusters, raises analysts' alerts and tells the case
    /// teams of linked reports. Runs after intake commits; failures are logged, never lost
    /// silently, and `cairn link rebuild` repairs anything missed.
    ///
    /// Reports wait in `pending` and each pass links everything waiting (up to
    /// `maximumPass` at a time), so when intake outpaces linking the passes grow instead of
    /// the queue: the work per report falls as load rises. Returns once these reports are linked.
    func link(_ reports: [Report], mentions: [ReportMention]) async {
        let byReport = Dictionary(grouping: mentions.map(MentionFacts.init), by: \.reportID)
        pending += reports.map { (Self.facts($0), byReport[$0.id!] ?? []) }
        backlog.withLock { $0 += reports.count }
        do {
            try await serially { try await self.linkPending() }
        } catch {
            database.logger.error("linking new reports failed", metadata: ["error": "\(String(describing: type(of: error)))"])
        }
    }

    /// Values held by at most `fullPairLimit` reports, with every report's mention of each, as
    /// the last pass left them: the next report with one of them links to all, and reading them
    /// again each time was most of linking's reads. An entry is used only while `link_keys`
    /// still counts as many reports (another instance may have added one).
    private var fewGroups: [String: [(MentionFacts, ReportFacts)]] = [:]
    static let fewGroupsLimit = 100_000

    /// Reports stored but not linked yet, with their mentions, in the order they were committed.
    private var pending: [(report: ReportFacts, mentions: [MentionFacts])] = []
    /// Reports stored and not linked yet, waiting or in the pass running (for `/metrics`).
    private let backlog = Mutex(0)
    nonisolated var unlinkedReports: Int { backlog.withLock { $0 } }
    static let maximumPass = 16
    static let maximumIdlePass = 128
    /// Intake counts as busy while writing and for this long after a write.
    static let intakeBusyWindow = Duration.milliseconds(20)

    /// Whether intake is writing, so linking can give way to it (see `linkPending`).
    nonisolated let intake = IntakeActivity()

    /// Links what was waiting when it started (an earlier pass may already have taken it).
    ///
    /// Intake comes first: while reports are being written (or were within `intakeBusyWindow`),
    /// linking pauses after each pass for three times as long as the pass took, so it holds
    /// SQLite's one connection and the cores at most a quarter of the time and a reporter is
    /// answered without waiting behind it. What waits meanwhile is linked in bigger passes (up to
    /// `maximumIdlePass`) once intake is quiet. `/metrics` shows the backlog.
    private func linkPending() async throws {
        var remaining = pending.count
        while remaining > 0, !pending.isEmpty {
            let busy = intake.busy(within: Self.intakeBusyWindow)
            let pass = Array(pending.prefix(busy ? Self.maximumPass : Self.maximumIdlePass))
            pending.removeFirst(pass.count)
            remaining -= pass.count
            let started = ContinuousClock.now
            do {
                defer { backlog.withLock { $0 -= pass.count } }
                try await linkNew(pass.map(\.report).sorted(by: ReportFacts.before), mentions: pass.flatMap(\.mentions))
            }
            if remaining > 0, intake.busy(within: Self.intakeBusyWindow) {
                let took = ContinuousClock.now - started
                try? await Task.sleep(for: min(took * 3, .milliseconds(200)))
            }
        }
    }

    private func linkNew(_ newReports: [ReportFacts], mentions: [MentionFacts]) async throws {
        guard !newReports.isEmpty else { return }
        let sql = database.reader
        var index = try await loadedIndex()
        let byReport = Dictionary(grouping: mentions, by: \.reportID)
        var pairs: [PairKey: [LinkReason]] = [:]
        var touchedMentions = Set<String>()

        // People: scored against every person held, through the blocking keys.
        var known: [UUID: ReportFacts] = Dictionary(uniqueKeysWithValues: newReports.map { ($0.id, $0) })
        var neededReports = Set<UUID>()
        var personLinks: [(MentionFacts, Link)] = []
        for report in newReports {
            for m in (byReport[report.id] ?? []) where m.kind == .person {
                let id = m.id.uuidString
                touchedMentions.insert(id)
                var found: [Link] = []
                if reportOfMention[id] == nil {
                    let outcome = index.add(Self.personRecord(m, reportMentions: byReport[report.id] ?? [], reportPostcode: report.postcode))
                    reportOfMention[id] = m.reportID
                    found = outcome.links.filter { index.clusterID(of: $0.right) == outcome.clusterID }
                } else {
                    // Already indexed (the index was first built after this report was stored):
                    // its links are to the others in its cluster.
                    for other in index.clusterMembers(of: id) where other != id {
                        if let p = index.explain(other, id)?.matchProbability, p >= index.settings.threshold {
                            found.append(Link(left: id, right: other, matchProbability: p))
                        }
                    }
                }
                for link in found {
                    guard let other = reportOfMention[link.right], other != report.id else { continue }
                    neededReports.insert(other)
                    personLinks.append((m, link))
                }
            }
        }
        self.index = index

        // Identifiers: for each value the new reports mention, what `link_keys` holds. A value
        // seen in a few reports brings them all; a common one (a hotel reported a thousand
        // times) only its first and latest, as a new report links to those two (see `keyPairs`).
        let keyed = mentions.filter { $0.key != nil }
        let byKey = Dictionary(grouping: keyed, by: { $0.key! })
        let keyRows = try await Self.keyRows(Array(byKey.keys), on: sql)
        var stored: [MentionFacts] = []
        var ends: [UUID] = []
        var fewKinds = Set<String>(), fewValues = Set<String>()
        let batchIDs = Set(newReports.map(\.id))
        for (key, row) in keyRows {
            if row.reports > Self.fullPairLimit {
                ends += [row.firstMentionID, row.lastMentionID]
            } else if let cached = fewGroups[key], cached.count == row.reports, !cached.contains(where: { batchIDs.contains($0.1.id) }) {
                // Held from an earlier pass and still complete (no other instance added to it).
                for (m, r) in cached {
                    stored.append(m)
                    known[r.id] = known[r.id] ?? r
                }
            } else if let m = byKey[key]?.first, let normalised = m.normalised {
                fewKinds.insert(m.kind.rawValue)
                fewValues.insert(normalised)
            }
        }
        // Every mention of the values held in a few reports, in one look-up (the kind and value
        // index); rows of another kind or address that happen to share a value drop out below.
        for chunk in SQLRows.chunks(Array(fewValues)) {
            stored += try await Self.mentionQuery(sql)
                .where("kind", .in, SQLBind.group(Array(fewKinds)))
                .where("normalised", .in, SQLBind.group(chunk))
                .all().map(MentionFacts.init(row:)).filter { !batchIDs.contains($0.reportID) }
        }
        stored += try await mentionsByID(ends).values
        for m in stored where known[m.reportID] == nil { neededReports.insert(m.reportID) }
        let newKeys = Set(keyed.compactMap(\.key))
        stored = stored.filter { $0.key.map(newKeys.contains) ?? false }
        let missing = neededReports.filter { known[$0] == nil }
        known.merge(try await Self.reportFacts(Array(missing), on: sql), uniquingKeysWith: { a, _ in a })
        // Person reasons, with the earlier report first.
        let mentionValues = try await mentionsByID(personLinks.map { UUID(uuidString: $0.1.right) }.compactMap { $0 })
        for (m, link) in personLinks {
            guard let otherMention = mentionValues[link.right], let mine = known[m.reportID], let theirs = known[otherMention.reportID],
                  let explanation = index.explain(link.right, link.left) else { continue }
            touchedMentions.insert(link.right)
            let earlierIsMine = ReportFacts.before(mine, theirs)
            let (a, b) = earlierIsMine ? (m, otherMention) : (otherMention, m)
            let ordered = earlierIsMine ? (index.explain(link.left, link.right) ?? explanation) : explanation
            pairs[PairKey(earlier: a.reportID, later: b.reportID), default: []].append(
                LinkReason(kind: MentionKind.person.rawValue, earlierMentionID: a.id, laterMentionID: b.id, earlierValue: a.value, laterValue: b.value,
                           phrase: Self.phrase(for: ordered), probability: link.matchProbability, explanation: ordered))
        }
        // Identifier reasons: group stored (which includes the new reports' own rows) by key.
        var groups: [String: [(MentionFacts, ReportFacts)]] = [:]
        var seenMention = Set<UUID>()
        for m in stored + keyed where seenMention.insert(m.id).inserted {
            if let key = m.key, let r = known[m.reportID] { groups[key, default: []].append((m, r)) }
        }
        let newIDs = Set(newReports.map(\.id))
        for group in groups.values where group.count > 1 {
            // Only pairs that involve a new report: the others are stored already.
            Self.keyPairs(group, involving: newIDs, into: &pairs)
        }
        let newGroups = Self.keyGroups(keyed, reports: known)
        try await store(pairs, newReports: newReports, known: known, touchedMentions: touchedMentions, index: index,
                        keys: newGroups, keyRows: keyRows)

        // Keep each value still held by few reports, complete, for the next pass.
        for (key, added) in newGroups {
            let total = (keyRows[key]?.reports ?? 0) + added.count
            var seen = Set<UUID>()
            let group = (groups[key] ?? []).sorted { ReportFacts.before($0.1, $1.1) }.filter { seen.insert($0.1.id).inserted }
            if total <= Self.fullPairLimit && group.count == total { fewGroups[key] = group } else { fewGroups[key] = nil }
        }
        if fewGroups.count > Self.fewGroupsLimit { fewGroups = [:] }
    }

    private func mentionsByID(_ ids: [UUID]) async throws -> [String: MentionFacts] {
        var found: [String: MentionFacts] = [:]
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            for row in try await Self.mentionQuery(database.reader).where("id", .in, SQLBind.group(chunk)).all() {
                let m = try MentionFacts(row: row)
                found[m.id.uuidString] = m
            }
        }
        return found
    }

    // Hot reads go through SQLKit with only the columns needed: decoding whole Fluent models
    // (by reflection) was a tenth of the server's time under sustained intake.

    static func mentionQuery(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("id", "report_id", "kind", "value", "normalised", "date_of_birth", "postcode").from(ReportMention.schema)
    }

    static func reportFacts(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: ReportFacts] {
        var found: [UUID: ReportFacts] = [:]
        for chunk in SQLRows.chunks(Array(Set(ids))) {
            let rows = try await sql.select().columns("id", "reference", "received_at", "reporting_agency_id", "postcode")
                .from(Report.schema).where("id", .in, SQLBind.group(chunk)).all()
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                found[id] = ReportFacts(id: id, reference: try row.decode(column: "reference", as: String.self),
                                        receivedAt: try row.decode(column: "received_at", as: Date.self),
                                        source: try row.decode(column: "reporting_agency_id", as: UUID?.self)?.uuidString ?? "public",
                                        postcode: try row.decode(column: "postcode", as: String?.self))
            }
        }
        return found
    }

    struct KeyRow: Sendable {
        let firstMentionID: UUID
        let lastMentionID: UUID
        let reports: Int
    }

    static func keyRows(_ keys: [String], on sql: any SQLDatabase) async throws -> [String: KeyRow] {
        var found: [String: KeyRow] = [:]
        for chunk in SQLRows.chunks(keys) {
            let rows = try await sql.select().columns("key", "first_mention_id", "last_mention_id", "reports")
                .from(LinkKeyRow.schema).where("key", .in, SQLBind.group(chunk)).all()
            for row in rows {
                found[try row.decode(column: "key", as: String.self)] = KeyRow(
                    firstMentionID: try row.decode(column: "first_mention_id", as: UUID.self),
                    lastMentionID: try row.decode(column: "last_mention_id", as: UUID.self),
                    reports: try row.decode(column: "reports", as: Int.self))
            }
        }
        return found
    }

    /// Stores what linking found. Everything it needs is read first; then the new reports join
    /// their networks in memory, one at a time in time order (so alerts say what each joined);
    /// then one short transaction writes it all, so intake (which shares SQLite's single
    /// connection) is held up as little as possible. Only the linker writes these tables, one
    /// operation at a time, so nothing read here changes before the write.
    private func store(_ pairs: [PairKey: [LinkReason]], newReports: [ReportFacts], known: [UUID: ReportFacts],
                       touchedMentions: Set<String>, index: LinkageIndex, keys: [String: [(MentionFacts, ReportFacts)]],
                       keyRows: [String: KeyRow]) async throws {
        let now = Date()
        let sql = database.reader
        // Person clusters of every mention whose cluster may have changed.
        var clusterRows: [UUID: (report: UUID, cluster: UUID)] = [:]
        for id in touchedMentions {
            for member in index.clusterMembers(of: id) {
                guard let mention = UUID(uuidString: member), let report = reportOfMention[member],
                      let cluster = index.clusterID(of: member).flatMap(UUID.init(uuidString:)) else { continue }
                clusterRows[mention] = (report, cluster)
            }
        }
        // The first and latest mention of each value, and how many reports have it.
        let keyList = Array(keys.keys)
        let keyRowValues: [[SQLValue]] = keyList.compactMap { key in
            guard let group = keys[key], let first = group.first, let last = group.last else { return nil }
            let before = keyRows[key]
            return [SQLValue(key), SQLValue(before?.firstMentionID ?? first.0.id), SQLValue(last.0.id), SQLValue((before?.reports ?? 0) + group.count)]
        }

        // Links not stored yet.
        var existingKeys = Set<PairKey>()
        for chunk in SQLRows.chunks(Array(Set(pairs.keys.map(\.later)))) {
            let rows = try await sql.select().columns("earlier_report_id", "later_report_id").from(ReportLink.schema)
                .where("later_report_id", .in, SQLBind.group(chunk)).all()
            for row in rows {
                existingKeys.insert(PairKey(earlier: try row.decode(column: "earlier_report_id", as: UUID.self),
                                            later: try row.decode(column: "later_report_id", as: UUID.self)))
            }
        }
        let fresh = pairs.filter { !existingKeys.contains($0.key) }

        // Networks as they stand: of each report involved, and the size and sources of each
        // (from `link_networks`: a network can hold thousands of reports).
        var linkedTo: [UUID: [UUID]] = [:]
        for key in fresh.keys {
            linkedTo[key.earlier, default: []].append(key.later)
            linkedTo[key.later, default: []].append(key.earlier)
        }
        let involved = Array(linkedTo.keys)
        var startNetwork: [UUID: UUID] = [:]
        for chunk in SQLRows.chunks(involved) {
            for row in try await sql.select().columns("report_id", "network_id").from(ReportNetwork.schema)
                .where("report_id", .in, SQLBind.group(chunk)).all() {
                startNetwork[try row.decode(column: "report_id", as: UUID.self)] = try row.decode(column: "network_id", as: UUID.self)
            }
        }
        let startNetworks = Array(Set(startNetwork.values))
        var summaries: [UUID: (reports: Int, sources: Set<String>)] = [:]
        for chunk in SQLRows.chunks(startNetworks) {
            for row in try await sql.select().columns("network_id", "reports", "sources").from(LinkNetworkRow.schema)
                .where("network_id", .in, SQLBind.group(chunk)).all() {
                summaries[try row.decode(column: "network_id", as: UUID.self)] =
                    (try row.decode(column: "reports", as: Int.self),
                     Set(try row.decode(column: "sources", as: String.self).split(separator: ",").map(String.init)))
            }
        }
        var facts = known
        facts.merge(try await Self.reportFacts(Array(Set(involved + startNetworks).filter { facts[$0] == nil }), on: sql),
                    uniquingKeysWith: { a, _ in a })

        // The new reports join, in time order.
        var mergedInto: [UUID: UUID] = [:]
        func current(_ network: UUID) -> UUID {
            var network = network
            while let next = mergedInto[network] { network = next }
            return network
        }
        var joinedNetwork: [UUID: UUID] = [:]
        func network(of report: UUID) -> UUID? { (startNetwork[report] ?? joinedNetwork[report]).map(current) }
        var alerts: [IntelligenceAlert] = []
        var caseLinks: [(reference: String, linked: [UUID: String])] = []
        // A new report joins with what came before it, exactly as if each had its own pass: a
        // link to a later report of this pass is taken when that report joins.
        let passIDs = Set(newReports.map(\.id))
        var joined = Set<UUID>()
        for report in newReports {
            joined.insert(report.id)
            guard let linked = linkedTo[report.id]?.filter({ !passIDs.contains($0) || joined.contains($0) }), !linked.isEmpty else { continue }
            let members = Set(linked + [report.id])
            let networks = Set(members.compactMap(network(of:)))
            // Reports in no network yet (the new one, usually, and any linked one that was alone).
            let singles = members.filter { network(of: $0) == nil }
            let singleOthers = singles.subtracting([report.id])
            // The network is named by its earliest report.
            let named = networks.union(singles).compactMap { facts[$0] }.min(by: ReportFacts.before)?.id ?? report.id
            let reportsBefore = networks.map { summaries[$0]?.reports ?? 0 }.reduce(0, +)
            let sizeBefore = reportsBefore + singleOthers.count - (network(of: report.id) == nil ? 0 : 1)
            var sources = networks.reduce(into: Set<String>()) { $0.formUnion(summaries[$1]?.sources ?? []) }
            sources.formUnion(singleOthers.compactMap { facts[$0]?.source })
            let otherSource = !sources.subtracting([report.source]).isEmpty
            for merged in networks where merged != named {
                mergedInto[merged] = named
                summaries[merged] = nil
            }
            for single in singles { joinedNetwork[single] = named }
            summaries[named] = (reportsBefore + singles.count, sources.union([report.source]))
            let sizeAfter = sizeBefore + 1

            // Alerts: another agency's reports, or the network reaching the set size.
            if otherSource {
                alerts.append(Self.alert(.crossAgency, network: named, report: report, now: now,
                                         message: "\(report.reference) joins a network of \(sizeBefore) report\(sizeBefore == 1 ? "" : "s") with reports from another agency or the public."))
            }
            if sizeBefore < alertSize && sizeAfter >= alertSize {
                alerts.append(Self.alert(.size, network: named, report: report, now: now,
                                         message: "\(report.reference) brings its network to \(sizeAfter) reports."))
            }
            caseLinks.append((report.reference, Dictionary(linked.map { other in
                let reportFirst = ReportFacts.before(report, facts[other] ?? report)
                let key = PairKey(earlier: reportFirst ? report.id : other, later: reportFirst ? other : report.id)
                return (other, Self.summary(fresh[key] ?? []))
            }, uniquingKeysWith: { a, _ in a })))
        }
        // Members of merged networks move to the surviving name, grouped by it.
        let moves = Dictionary(grouping: startNetworks.filter { current($0) != $0 }, by: current)
        let joinedRows: [[SQLValue]] = joinedNetwork.map { [SQLValue($0.key), SQLValue(current($0.value))] }
        let summaryRows: [[SQLValue]] = summaries.map {
            [SQLValue($0.key), SQLValue($0.value.reports), SQLValue($0.value.sources.sorted().joined(separator: ","))]
        }
        let rewrittenNetworks = Array(Set(startNetworks + summaries.keys))
        let linkRows = fresh.map { Self.linkRow($0.key, $0.value, now: now) }

        // One transaction, in one trip on SQLite (see `SQLWriteSteps`).
        var steps = SQLWriteSteps()
        steps.delete(from: PersonCluster.schema, where: "mention_id", in: clusterRows.keys.map { SQLValue($0) })
        steps.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"],
                     rows: clusterRows.map { [SQLValue($0.key), SQLValue($0.value.report), SQLValue($0.value.cluster)] })
        steps.delete(from: LinkKeyRow.schema, where: "key", in: keyList.map { SQLValue($0) })
        steps.insert(into: LinkKeyRow.schema, columns: ["key", "first_mention_id", "last_mention_id", "reports"], rows: keyRowValues)
        steps.insert(into: ReportLink.schema, columns: Self.linkColumns, rows: linkRows)
        for (target, merged) in moves {
            steps.update(ReportNetwork.schema, set: [("network_id", SQLValue(target))], where: "network_id", in: merged.map { SQLValue($0) })
        }
        steps.insert(into: ReportNetwork.schema, columns: ["report_id", "network_id"], rows: joinedRows)
        steps.delete(from: LinkNetworkRow.schema, where: "network_id", in: rewrittenNetworks.map { SQLValue($0) })
        steps.insert(into: LinkNetworkRow.schema, columns: ["network_id", "reports", "sources"], rows: summaryRows)
        steps.insert(into: IntelligenceAlert.schema, columns: ["id", "network_id", "report_id", "kind", "message", "created_at", "dismissed_at", "dismissed_by_id"],
                     rows: alerts.map { alert in
                         [SQLValue(alert.id ?? UUID()), SQLValue(alert.networkID), SQLValue(alert.reportID), SQLValue(alert.kind),
                          SQLValue(alert.message), SQLValue(alert.createdAt), .null, .null]
                     })
        try await steps.run(on: db)
        await support.detectLinkedReports(caseLinks, now: now)
    }

    static func alert(_ kind: IntelligenceAlertKind, network: UUID, report: ReportFacts, now: Date, message: String) -> IntelligenceAlert {
        let alert = IntelligenceAlert()
        alert.networkID = network
        alert.reportID = report.id
        alert.kind = kind.rawValue
        alert.message = message
        alert.createdAt = now
        return alert
    }

    // MARK: Feedback

    /// Records that two person mentions are, or are not, the same person, applies it to the
    /// clusters now and keeps it for later rebuilds.
    func feedback(_ row: LinkFeedbackRow) async throws {
        try await serially { try await self.feedbackNow(row) }
    }

    private func feedbackNow(_ row: LinkFeedbackRow) async throws {
        var index = try await loadedIndex()
        index.apply(row.feedback)
        self.index = index
        var rows: [UUID: (report: UUID, cluster: UUID)] = [:]
        for id in [row.leftMentionID.uuidString, row.rightMentionID.uuidString] {
            for member in index.clusterMembers(of: id) {
                guard let mention = UUID(uuidString: member), let report = reportOfMention[member],
                      let cluster = index.clusterID(of: member).flatMap(UUID.init(uuidString:)) else { continue }
                rows[mention] = (report, cluster)
            }
        }
        let clusterRows = rows
        try await db.transaction { tx in
            try await row.create(on: tx)
            if !clusterRows.isEmpty {
                try await PersonCluster.query(on: tx).filter(\.$id ~~ Array(clusterRows.keys)).delete()
                try await SQLRows.insert(into: PersonCluster.schema, columns: ["mention_id", "report_id", "cluster_id"],
                                         rows: clusterRows.map { [SQLValue($0.key), SQLValue($0.value.report), SQLValue($0.value.cluster)] },
                                         on: tx as! any SQLDatabase)
            }
        }
    }

    /// Drops the in-memory index (tests; after a restore).
    func forget() {
        index = nil
        reportOfMention = [:]
        fewGroups = [:]
    }
}

/// Whether report intake is busy (writing now, or committed in the last moments): the linker
/// gives way to intake while it is.
final class IntakeActivity: Sendable {
    private struct State {
        var writing = 0
        var lastCommit: ContinuousClock.Instant?
    }
    private let state = Mutex(State())

    func writeStarted() { state.withLock { $0.writing += 1 } }

    func writeFinished() {
        state.withLock {
            $0.writing -= 1
            $0.lastCommit = .now
        }
    }

    /// Writing now, or finished a write within `interval`.
    func busy(within interval: Duration) -> Bool {
        state.withLock { state in
            if state.writing > 0 { return true }
            guard let at = state.lastCommit else { return false }
            return ContinuousClock.now - at < interval
        }
    }
}
