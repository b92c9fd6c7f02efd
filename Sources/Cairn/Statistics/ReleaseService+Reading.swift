import CairnCore
import Disclosure
import FluentKit
import Foundation

extension ReleaseService {
    struct Summary: Sendable {
        let id: UUID
        let period: ReleasePeriod
        let method: ReleaseMethod
        let status: ReleaseStatus
        let sequence: Int?
        let tables: Int
        let revises: UUID?
        let createdAt: Date
        let approvedAt: Date?
    }

    /// Releases, newest period first (a year before its fourth quarter, both ending the same
    /// day; the newest first within a period): published ones for everyone; drafts, proposals
    /// and withdrawn ones too for those who manage or approve releases. A partnership makes a
    /// few releases a year, so they are ordered here rather than by the text of their periods.
    func list(identity: Identity?, page: Int = 1, perPage: Int = 25) async throws -> (items: [Summary], total: Int) {
        var query = StatisticsRelease.query(on: db)
        if !Self.canSeeUnpublished(identity) { query = query.filter(\.$status == ReleaseStatus.approved.rawValue) }
        let all = try await query.all().map(Self.summary).sorted { a, b in
            let ka = a.period.chronologicalKey, kb = b.period.chronologicalKey
            return ka != kb ? kb.lexicographicallyPrecedes(ka) : a.createdAt > b.createdAt
        }
        let start = min((max(page, 1) - 1) * perPage, all.count)
        return (Array(all[start..<min(start + perPage, all.count)]), all.count)
    }


    static func summary(_ row: StatisticsRelease) throws -> Summary {
        let definition = try definition(of: row)
        return Summary(id: try row.requireID(), period: definition.period, method: definition.method, status: row.releaseStatus,
                       sequence: row.sequence, tables: definition.tables.count, revises: row.revisesID, createdAt: row.createdAt,
                       approvedAt: row.approvedAt)
    }

    /// One release as its page shows it.
    struct Detail: Sendable {
        let summary: Summary
        let definition: ReleaseDefinition
        let revisionNote: String
        /// The tables as published or proposed; empty for a noisy release not yet approved.
        let tables: [PublishedTable]
        let checks: [HiddenCellCheck]
        let safe: Bool
        let signed: SignedRelease?
        /// Noise: this release's cost, and the year's budget before it.
        let cost: Int?
        let spent: Int
        let cap: Int
        let measure: PrivacyMeasure
    }

    /// A release; one not yet published is 404 to anyone who may not see it (its existence is
    /// not for them either).
    func detail(_ id: UUID, identity: Identity?) async throws -> Detail {
        guard let row = try await StatisticsRelease.find(id, on: db),
              row.releaseStatus == .approved || Self.canSeeUnpublished(identity) else { throw AppError.notFound("release") }
        let definition = try Self.definition(of: row)
        let decoder = JSONDecoder()
        let tables = row.cells.flatMap { try? decoder.decode([PublishedTable].self, from: Data($0.utf8)) } ?? []
        let checks = Self.canSeeUnpublished(identity) ? (row.checkResult.flatMap { try? decoder.decode([HiddenCellCheck].self, from: Data($0.utf8)) } ?? []) : []
        let signed = row.signed.flatMap { try? decoder.decode(SignedRelease.self, from: Data($0.utf8)) }
        // The budget only bears on noise releases; suppression ones spend none.
        let spent = definition.method.isNoise ? try await ledger(year: definition.period.year).totalSpentMicros : 0
        let cost = definition.method.isNoise ? (try? cost(definition))?.micros(in: settings.measure) : nil
        return Detail(summary: try Self.summary(row), definition: definition, revisionNote: row.revisionNote, tables: tables, checks: checks,
                      safe: row.safe, signed: signed, cost: cost, spent: spent, cap: settings.capMicros,
                      measure: settings.measure)
    }

    /// The signed release as published: what `GET /api/v1/releases/{id}` and the downloads
    /// give. Only approved releases have one.
    func published(_ id: UUID) async throws -> SignedRelease {
        guard let row = try await StatisticsRelease.find(id, on: db), row.releaseStatus == .approved, let text = row.signed,
              let signed = try? JSONDecoder().decode(SignedRelease.self, from: Data(text.utf8)) else { throw AppError.notFound("release") }
        return signed
    }

    /// Published releases, to offer as the one a new release revises.
    func publishedSummaries() async throws -> [Summary] {
        try await StatisticsRelease.query(on: db).filter(\.$status == ReleaseStatus.approved.rawValue).sort(\.$sequence).all().map(Self.summary)
    }

    /// The year's privacy budget: spent and cap, in millionths.
    func budget(year: Int) async throws -> (spent: Int, cap: Int, measure: PrivacyMeasure) {
        let ledger = try await ledger(year: year)
        return (ledger.totalSpentMicros, settings.capMicros, settings.measure)
    }
}
