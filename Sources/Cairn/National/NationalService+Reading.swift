import CairnCore
import Disclosure
import FluentKit
import Foundation

extension NationalService {
    struct PartnershipSummary: Sendable {
        let id: String
        let name: String
        let region: String
        let publicKey: String
        let registeredAt: Date
        let releases: Int
        let lastPeriod: String?
        let lastReceived: Date?
        /// Hidden cells of its releases the national tables must never show a figure for.
        let exposed: Int
    }

    struct ReleaseRow: Sendable {
        let id: UUID
        let partnership: String
        let sequence: Int
        let period: String
        let method: String
        let revises: String?
        let hash: String
        let receivedAt: Date
    }

    /// One national table: a row per cell key, a column per region and then all of them.
    struct Table: Sendable {
        let period: String
        let name: String
        let dimensions: [String]
        let regions: [String]
        let rows: [(key: [String: String], cells: [NationalCell])]
    }

    /// A table's total, by region, over every quarter received.
    struct Trend: Sendable {
        let name: String
        let periods: [String]
        let rows: [(region: String, cells: [NationalCell])]
    }

    struct Picture: Sendable {
        let periods: [String]
        let tables: [String]
        let table: Table?
        let trend: Trend?
        let partnerships: Int
        let releases: Int
        let exposed: Int
    }

    func partnerships(identity: Identity) async throws -> [PartnershipSummary] {
        try require(identity, .viewNational)
        return try await summaries()
    }

    func summaries() async throws -> [PartnershipSummary] {
        let rows = try await NationalPartnership.query(on: db).sort(\.$region).sort(\.$name).all()
        let releases = try await NationalRelease.query(on: db).sort(\.$sequence).all()
        let checks = try await NationalCheck.query(on: db).all()
        return try rows.map { p in
            let id = try p.requireID()
            let mine = releases.filter { $0.partnershipID == id }
            let exposed = try checks.filter { $0.partnershipID == id }.reduce(0) { sum, check in sum + (try Self.findings(check)).filter(\.isExposed).count }
            return PartnershipSummary(id: id, name: p.name, region: p.region, publicKey: p.publicKey, registeredAt: p.registeredAt, releases: mine.count,
                                      lastPeriod: mine.last?.period, lastReceived: mine.last?.receivedAt, exposed: exposed)
        }
    }

    static func findings(_ check: NationalCheck) throws -> [HiddenCellFinding] {
        guard let findings = try? JSONDecoder().decode([HiddenCellFinding].self, from: Data(check.findings.utf8)) else {
            throw AppError(.internalServerError, "A stored national check could not be read.")
        }
        return findings
    }

    static func row(_ r: NationalRelease) throws -> ReleaseRow {
        ReleaseRow(id: try r.requireID(), partnership: r.partnershipID, sequence: r.sequence, period: r.period, method: r.method, revises: r.revises,
                   hash: r.hash, receivedAt: r.receivedAt)
    }

    /// One partnership, its accepted releases (newest first) and what the check found.
    func partnership(_ id: String, identity: Identity) async throws -> (summary: PartnershipSummary, releases: [ReleaseRow], findings: [HiddenCellFinding]) {
        try require(identity, .viewNational)
        guard let summary = try await summaries().first(where: { $0.id == id }) else { throw AppError.notFound("partnership") }
        let rows = try await NationalRelease.query(on: db).filter(\.$partnershipID == id).sort(\.$sequence, .descending).all().map(Self.row)
        let findings = try await NationalCheck.query(on: db).filter(\.$partnershipID == id).sort(\.$year).all().flatMap(Self.findings)
        return (summary, rows, findings)
    }

    /// One accepted release exactly as signed, with the check's findings for its hidden cells.
    func release(_ id: UUID, identity: Identity) async throws -> (row: ReleaseRow, release: SignedRelease, findings: [HiddenCellFinding]) {
        try require(identity, .viewNational)
        guard let row = try await NationalRelease.find(id, on: db) else { throw AppError.notFound("release") }
        let release = try Self.decode(row)
        let check = try await NationalCheck.find("\(row.partnershipID)|\(PublicationCheck.year(of: row.period))", on: db)
        let findings = try check.map(Self.findings)?.filter { $0.releaseID == release.id } ?? []
        return (try Self.row(row), release, findings)
    }

    /// Every partnership's accepted releases and findings, for the tables.
    func everything() async throws -> [PartnershipReleases] {
        let partners = try await NationalPartnership.query(on: db).sort(\.$region).sort(\.$name).all()
        let rows = try await NationalRelease.query(on: db).sort(\.$sequence).all()
        let checks = try await NationalCheck.query(on: db).all()
        return try partners.map { p in
            let id = try p.requireID()
            return PartnershipReleases(partnership: id, region: p.region, releases: try rows.filter { $0.partnershipID == id }.map(Self.decode),
                                       findings: try checks.filter { $0.partnershipID == id }.flatMap(Self.findings))
        }
    }

    /// The national picture for a period and table (the latest period and its first table when
    /// not given). An unknown period or table is "not found".
    func picture(period: String?, table: String?, identity: Identity) async throws -> Picture {
        try require(identity, .viewNational)
        let all = try await everything()
        let periods = Set(all.flatMap { $0.releases.map(\.period) }).sorted(by: Self.earlier)
        let releases = all.reduce(0) { $0 + $1.releases.count }
        let exposed = all.reduce(0) { $0 + $1.findings.filter(\.isExposed).count }
        guard let chosenPeriod = period.flatMap({ $0.isEmpty ? nil : $0 }) ?? periods.last else {
            return Picture(periods: [], tables: [], table: nil, trend: nil, partnerships: all.count, releases: 0, exposed: 0)
        }
        guard periods.contains(chosenPeriod) else { throw AppError.notFound("period") }
        let layout = NationalTables.layout(period: chosenPeriod, over: all)
        let names = layout.map(\.name)
        let chosen = table.flatMap { $0.isEmpty ? nil : $0 } ?? names.first
        guard let chosen, let shape = layout.first(where: { $0.name == chosen }) else { throw AppError.notFound("table") }
        let regions = Array(Set(all.map(\.region))).sorted()
        let rows = shape.keys.map { key in
            (key: key, cells: regions.map { region in
                NationalTables.cell(table: chosen, period: chosenPeriod, key: key, over: all.filter { $0.region == region }, k: threshold)
            } + [NationalTables.cell(table: chosen, period: chosenPeriod, key: key, over: all, k: threshold)])
        }
        let quarters = periods.filter { $0.count == 7 }
        let trendRows = (regions.map { region in (region, all.filter { $0.region == region }) } + [("All regions", all)]).map { region, members in
            (region: region, cells: quarters.map { NationalTables.cell(table: chosen, period: $0, key: [:], over: members, k: threshold) })
        }
        return Picture(periods: periods, tables: names,
                       table: Table(period: chosenPeriod, name: chosen, dimensions: shape.dimensions, regions: regions, rows: rows),
                       trend: quarters.isEmpty ? nil : Trend(name: chosen, periods: quarters, rows: trendRows),
                       partnerships: all.count, releases: releases, exposed: exposed)
    }

    /// In time, as a partnership's own list orders them (a year after its fourth quarter).
    static func earlier(_ a: String, _ b: String) -> Bool {
        guard let pa = ReleasePeriod(parsing: a), let pb = ReleasePeriod(parsing: b) else { return a < b }
        return pa.chronologicalKey.lexicographicallyPrecedes(pb.chronologicalKey)
    }
}
