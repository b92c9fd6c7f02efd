import CairnCore
import FluentKit
import Foundation
import Linkage
import SQLKit

/// Keeping the person index equal to what every instance has linked (see `LinkCoordination`).
extension ReportLinker {
    /// Log rows replayed at a time.
    static let catchUpPage = 1000

    /// The index, built from the database if this instance has none yet.
    func indexForPass(_ session: LinkSession) async throws -> LinkageIndex {
        if let index { return index }
        return try await loadIndex(session)
    }

    /// Brings the index up to date with `link_log`: people in reports other instances linked,
    /// in the order they linked them (so the clusters come out the same as theirs), and
    /// analysts' feedback given anywhere. A rebuild, or a gap left by pruning, means building the
    /// index again. Runs inside a pass's session, so nothing is added to the log meanwhile.
    func catchUp(_ session: LinkSession) async throws {
        guard index != nil else {
            _ = try await loadIndex(session)
            return
        }
        let bounds = try await session.logBounds()
        guard bounds.last != logPosition else { return }
        if bounds.last < logPosition || bounds.first > logPosition + 1 {
            // Someone emptied or pruned the log past us: start again from the database.
            forget()
            _ = try await loadIndex(session)
            return
        }
        while logPosition < bounds.last {
            let entries = try await session.log(after: logPosition, limit: Self.catchUpPage)
            guard !entries.isEmpty else { break }
            // Runs of linked reports, and of erased people, are applied together, in log order.
            var reports: [UUID] = []
            var erased: [String] = []
            var erasing = false
            for entry in entries {
                switch entry.kind {
                case .report:
                    if erasing { forgetPeople(erased); erased = []; erasing = false }
                    if let id = entry.subjectID { reports.append(id) }
                case .feedback:
                    try await addLinked(reports, session: session)
                    reports = []
                    if erasing { forgetPeople(erased); erased = []; erasing = false }
                    if let id = entry.subjectID { try await applyFeedback(id, session: session) }
                case .erase:
                    try await addLinked(reports, session: session)
                    reports = []
                    erasing = true
                    if let id = entry.subjectID { erased.append(id.uuidString) }
                case .rebuild, nil:
                    forget()
                    _ = try await loadIndex(session)
                    return
                }
                logPosition = entry.seq
            }
            try await addLinked(reports, session: session)
            if erasing { forgetPeople(erased) }
        }
    }

    /// Adds the people of reports another instance linked, in the order it linked them.
    private func addLinked(_ reports: [UUID], session: LinkSession) async throws {
        guard !reports.isEmpty, var index else { return }
        let facts = try await reportFacts(reports, on: session.read)
        let mentions = try await self.mentions(of: reports, on: session.read)
        for id in reports {
            guard let report = facts[id] else { continue }
            let all = mentions[id] ?? []
            for m in Self.people(all) where reportOfMention[m.id.uuidString] == nil {
                _ = index.add(Self.personRecord(m, reportMentions: all, reportPostcode: report.postcode))
                reportOfMention[m.id.uuidString] = id
            }
        }
        self.index = index
        fewGroups = [:]
    }

    private func applyFeedback(_ id: UUID, session: LinkSession) async throws {
        guard var index, let row = try await Self.feedbackQuery(session.read).where("id", .equal, SQLBind(id)).first() else { return }
        index.apply(try Self.feedback(row: row))
        self.index = index
    }

    /// Builds the index from every person in a linked report (none still waiting: those join
    /// when they are linked, so every instance adds them at the same point), with the stored
    /// model and feedback, and notes how far through the log that is.
    func loadIndex(_ session: LinkSession) async throws -> LinkageIndex {
        let sql = session.read
        let log = try await session.logBounds()
        let reports = Dictionary(try await allReportFacts(on: sql).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let mentions = try await directory.linkableMentions(.only(.person), on: sql).map(MentionFacts.init)
        // Read after the mentions: a report stored in between is in neither or is still waiting.
        let waiting = Set(try await session.allPending())
        var contacts: [UUID: [MentionFacts]] = [:]
        let people = mentions.filter { reports[$0.reportID] != nil && !waiting.contains($0.reportID) }
        let reportsWithPeople = Set(people.map(\.reportID))
        // A person's record also carries the report's address and phone when it gives one.
        for m in try await directory.linkableMentions(.allBut(.person), ofReports: Array(reportsWithPeople), on: sql) {
            contacts[m.reportID, default: []].append(MentionFacts(m))
        }
        let ordered = people.sorted { a, b in
            guard let ra = reports[a.reportID], let rb = reports[b.reportID] else { return a.id.sortsBefore(b.id) }
            return ra.id == rb.id ? a.id.sortsBefore(b.id) : ReportFacts.before(ra, rb)
        }
        let byReport = Dictionary(grouping: people, by: \.reportID)
        var records: [NormalisedRecord] = []
        var mentionReport: [String: UUID] = [:]
        for m in ordered {
            let all = (byReport[m.reportID] ?? []) + (contacts[m.reportID] ?? [])
            records.append(NormalisedRecord(Self.personRecord(m, reportMentions: all, reportPostcode: reports[m.reportID]?.postcode)))
            mentionReport[m.id.uuidString] = m.reportID
        }
        let built = LinkageIndex.batch(records, model: try await Self.storedModel(on: sql), train: false,
                                       feedback: try await Self.storedFeedback(on: sql)).index
        index = built
        reportOfMention = mentionReport
        fewGroups = [:]
        logPosition = log.last
        return built
    }
}
