import CairnCore
import Crypto
import Disclosure
import FluentKit
import Foundation
import SQLKit

extension ReleaseService {
    /// What a noisy release costs: one table's parameter for each table.
    func cost(_ definition: ReleaseDefinition) throws -> PrivacyCost {
        let value = Double(definition.parameterMicros) / 1_000_000
        do {
            return try PrivacyCost.of(definition.method == .gaussian ? .gaussian(rho: value) : .laplace(epsilon: value), tables: definition.tables.count)
        } catch {
            throw AppError.invalid([.init("parameter", "The privacy parameter is out of range.")])
        }
    }

    /// The year's ledger: the cap and every spend.
    func ledger(year: Int) async throws -> BudgetLedger {
        let spends = try await PrivacySpend.query(on: db).filter(\.$year == year).filter(\.$measure == settings.measure.rawValue).all()
        return BudgetLedger(measure: settings.measure, capMicros: settings.capMicros, spentMicros: spends.map { Int($0.micros) })
    }

    /// Approves a proposal: checks it again against the records as they are now, spends the
    /// privacy budget (noise), draws the noise, signs the release into the partnership's chain
    /// and publishes it, all in one transaction. Refused while any hidden small cell can be
    /// narrowed, when the records changed since the proposal, or past the budget's cap.
    func approve(_ id: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        try require(identity, .approveReleases)
        guard let release = try await StatisticsRelease.find(id, on: db) else { throw AppError.notFound("release") }
        guard release.releaseStatus == .proposed else { throw AppError.conflict("Only a proposed release can be approved.") }
        let definition = try Self.definition(of: release)
        var tables: [PublishedTable]
        var truth: String?
        var detail: String
        var spend: Int?
        if definition.method.isNoise {
            let cost = try cost(definition)
            guard let micros = cost.micros(in: settings.measure) else {
                throw AppError.conflict("Gaussian noise cannot be charged to an ε budget; use Laplace noise, or keep the budget in ρ.")
            }
            spend = micros
            var records: [ReleasePopulation: [ReleaseRecord]] = [:]
            for population in Set(definition.tables.map(\.population)) {
                records[population] = try await sources.records(population, definition.period, areas: settings.areas)
            }
            let tabulation = ReleaseTabulation(areas: settings.areas, records: records)
            let value = Double(definition.parameterMicros) / 1_000_000
            var generator = SystemRandomNumberGenerator()
            let noisy = try NoisyRelease.make(tables: definition.tables.map { tabulation.table($0, period: definition.period) },
                                              mechanism: definition.method == .gaussian ? .gaussian(rho: value) : .laplace(epsilon: value), using: &generator)
            tables = zip(definition.tables, noisy).map { spec, table in
                PublishedTable(name: spec.name, dimensions: spec.dimensions.map(\.rawValue),
                               cells: table.cells.map { PublishedCell(key: $0.key.values, value: $0.value, error95: $0.error95) })
            }
            detail = "noise; spent \(Micros.text(micros)) \(settings.measure.rawValue)"
        } else {
            guard release.safe else { throw AppError.conflict("A hidden cell could still be worked out from what is published; this release cannot be approved.") }
            let computed = try await compute(definition)
            let stored = release.cells.flatMap { try? JSONDecoder().decode([PublishedTable].self, from: Data($0.utf8)) }
            guard computed.safe, stored == computed.tables else {
                throw AppError.conflict("The records changed since this release was proposed. Compute it again, check it, then approve.")
            }
            tables = computed.tables
            truth = String(decoding: try JSONEncoder().encode(computed.truth), as: UTF8.self)
            detail = "\(computed.checks.count) hidden cells, none can be narrowed"
        }
        let key = try await signingKey(now: now)
        let (charged, published, kept, summary) = (spend, tables, truth, detail)
        do {
            try await db.transaction { tx in
                guard let current = try await StatisticsRelease.find(id, on: tx), current.releaseStatus == .proposed else {
                    throw AppError.conflict("This release changed while it was being approved; open it again.")
                }
                if let charged { try await charge(charged, year: definition.period.year, release: id, on: tx, now: now) }
                let last = try await StatisticsRelease.query(on: tx).filter(\.$sequence != nil).sort(\.$sequence, .descending).first()
                var signed = SignedRelease(partnership: settings.partnershipID, sequence: (last?.sequence ?? 0) + 1, id: id.uuidString,
                                           period: definition.period.description, method: definition.method.rawValue,
                                           parameters: Self.parameters(definition), revises: current.revisesID?.uuidString, tables: published,
                                           previous: last?.hash)
                try signed.sign(with: key)
                current.status = ReleaseStatus.approved.rawValue
                current.cells = String(decoding: try JSONEncoder().encode(published), as: UTF8.self)
                current.truth = kept
                current.approvedByID = identity.userID
                current.approvedAt = now
                current.sequence = signed.sequence
                current.hash = signed.hash
                current.signed = String(decoding: try JSONEncoder().encode(signed), as: UTF8.self)
                try await current.save(on: tx)
                try await audit.append(AuditEvent(actor: identity.auditActor, action: "release.approved", recordType: "statistics_release",
                                                  recordID: id.uuidString, address: address, detail: "sequence \(signed.sequence); \(summary)"), on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw AppError.conflict("Another release was approved at the same moment. Approve this one again.")
        }
    }

    /// Spends from the year's budget in the same transaction as the approval: one conditional
    /// update, so two instances approving at once can never both spend the last of it.
    func charge(_ micros: Int, year: Int, release: UUID, on tx: any Database, now: Date) async throws {
        let sql = try tx.sqlDatabase()
        try await sql.raw("""
            INSERT INTO privacy_budgets (year, measure, spent_micros) VALUES (\(bind: year), \(bind: settings.measure.rawValue), 0) \
            ON CONFLICT (year) DO NOTHING
            """).run()
        let row = try await sql.raw("""
            UPDATE privacy_budgets SET spent_micros = spent_micros + \(bind: micros) \
            WHERE year = \(bind: year) AND spent_micros + \(bind: micros) <= \(bind: settings.capMicros) RETURNING spent_micros
            """).first()
        guard row != nil else {
            throw AppError.conflict("This release would spend more of \(year)’s privacy budget than is left; nothing was published.")
        }
        let spend = PrivacySpend()
        spend.id = UUID()
        spend.year = year
        spend.releaseID = release
        spend.measure = settings.measure.rawValue
        spend.micros = Int64(micros)
        spend.spentAt = now
        try await spend.create(on: tx)
    }

    static func parameters(_ definition: ReleaseDefinition) -> [String: String] {
        switch definition.method {
        case .suppression: ["k": "\(definition.threshold)", "roundingBase": "\(definition.roundingBase)"]
        case .laplace: ["epsilon": Micros.text(definition.parameterMicros)]
        case .gaussian: ["rho": Micros.text(definition.parameterMicros)]
        }
    }

    /// The partnership's signing key, made and stored on first use (every instance reads the
    /// same one; two making it at once keep whichever was stored first).
    func signingKey(now: Date = Date()) async throws -> Curve25519.Signing.PrivateKey {
        if let stored = try await ReleaseKey.find(1, on: db), let key = Self.privateKey(stored.privateKey) { return key }
        let key = Curve25519.Signing.PrivateKey()
        let row = ReleaseKey()
        row.id = 1
        row.publicKey = key.publicKey.rawRepresentation.base64EncodedString()
        row.privateKey = key.rawRepresentation.base64EncodedString()
        row.createdAt = now
        do { try await row.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure {}
        guard let stored = try await ReleaseKey.find(1, on: db), let kept = Self.privateKey(stored.privateKey) else {
            throw AppError(.internalServerError, "The release signing key could not be read.")
        }
        return kept
    }

    static func privateKey(_ text: String) -> Curve25519.Signing.PrivateKey? {
        Data(base64Encoded: text).flatMap { try? Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
    }

    /// The public key national instances verify this partnership's releases with (base64).
    func publicKey() async throws -> String {
        try await signingKey().publicKey.rawRepresentation.base64EncodedString()
    }
}
