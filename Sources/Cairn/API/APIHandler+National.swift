import CairnAPI
import CairnCore
import Disclosure
import Foundation
import OpenAPIRuntime

/// A national instance: receiving a partnership's signed release, its partnerships, and a
/// national table. The same service calls as the national pages.
extension APIHandler {
    func receiveNationalRelease(_ input: Operations.ReceiveNationalRelease.Input) async throws -> Operations.ReceiveNationalRelease.Output {
        let context = try APIRequest.open(.receiveNationalRelease)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the release as JSON.") }
        let release = SignedRelease(
            partnership: body.partnership, sequence: body.sequence, id: body.id, period: body.period, method: body.method.rawValue,
            parameters: body.parameters.additionalProperties, revises: try Self.optionalText(body.revises, "revises"),
            tables: try body.tables.map { table in
                PublishedTable(name: table.name, dimensions: table.dimensions, cells: try table.cells.map { cell in
                    PublishedCell(key: cell.key.additionalProperties, value: try Self.optionalCount(cell.value),
                                  error95: try Self.optionalNumber(cell.error95))
                })
            },
            previous: try Self.optionalText(body.previous, "previous"), signature: body.signature)
        let receipt = try await services.national.receive(release, address: context.clientAddress)
        return .created(.init(body: .json(.init(partnership: receipt.partnership, sequence: receipt.sequence, hash: receipt.hash,
                                                hiddenCells: receipt.hiddenCells, exposed: receipt.exposed))))
    }

    static func optionalText(_ value: OpenAPIValueContainer?, _ name: String) throws -> String? {
        switch value?.value {
        case nil: return nil
        case let text as String: return text
        default: throw AppError.badRequest("\(name) must be a string or null.")
        }
    }

    static func optionalCount(_ value: OpenAPIValueContainer?) throws -> Int? {
        switch value?.value {
        case nil: return nil
        case let n as Int: return n
        case let d as Double: if let n = Int(exactly: d) { return n }
        default: break
        }
        throw AppError.badRequest("A cell's value must be a whole number or null.")
    }

    static func optionalNumber(_ value: OpenAPIValueContainer?) throws -> Double? {
        switch value?.value {
        case nil: return nil
        case let n as Int: return Double(n)
        case let d as Double: return d
        default: throw AppError.badRequest("A cell's error95 must be a number or null.")
        }
    }

    func listNationalPartnerships(_ input: Operations.ListNationalPartnerships.Input) async throws -> Operations.ListNationalPartnerships.Output {
        let (identity, _) = try APIRequest.authorize(.listNationalPartnerships)
        let rows = try await services.national.partnerships(identity: identity)
        return .ok(.init(body: .json(.init(items: rows.map { .init(id: $0.id, name: $0.name, region: $0.region, publicKey: $0.publicKey, releases: $0.releases) }))))
    }

    func registerNationalPartnership(_ input: Operations.RegisterNationalPartnership.Input) async throws -> Operations.RegisterNationalPartnership.Output {
        let (identity, context) = try APIRequest.authorize(.registerNationalPartnership)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the partnership as JSON.") }
        let id = try await services.national.register(.init(id: body.id, name: body.name, region: body.region, publicKey: body.publicKey),
                                                      identity: identity, address: context.clientAddress)
        let row = try await services.national.partnerships(identity: identity).first { $0.id == id }
        return .created(.init(body: .json(.init(id: id, name: row?.name ?? body.name, region: row?.region ?? body.region,
                                                publicKey: row?.publicKey ?? body.publicKey, releases: row?.releases ?? 0))))
    }

    func getNationalTable(_ input: Operations.GetNationalTable.Input) async throws -> Operations.GetNationalTable.Output {
        let (identity, _) = try APIRequest.authorize(.getNationalTable)
        let picture = try await services.national.picture(period: input.query.period, table: input.query.table, identity: identity)
        guard let table = picture.table else { throw AppError.notFound("national table (no release has been accepted yet)") }
        return .ok(.init(body: .json(.init(
            period: table.period, table: table.name, dimensions: table.dimensions, regions: table.regions, periods: picture.periods, tables: picture.tables,
            rows: table.rows.map { row in
                .init(key: .init(additionalProperties: row.key), cells: row.cells.map { c in
                    .init(state: .init(rawValue: c.state.rawValue) ?? .missing, value: c.value, low: c.low, high: c.high, error95: c.error95,
                          partnerships: c.partnerships, hiddenIn: c.hiddenIn)
                })
            }))))
    }
}
