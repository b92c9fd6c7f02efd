import CairnAPI
import CairnCore
import Disclosure
import Foundation
import OpenAPIRuntime

/// Statistical releases: the list, the partnership's public key, and a published release
/// exactly as signed. The same service calls as the pages.
extension APIHandler {
    func listReleases(_ input: Operations.ListReleases.Input) async throws -> Operations.ListReleases.Output {
        let context = try APIRequest.open(.listReleases)
        let page = input.query.page ?? 1
        guard (1...100_000).contains(page) else { throw AppError.badRequest("page must be between 1 and 100000.") }
        let (items, total) = try await services.releases.list(identity: context.identity, page: page)
        return .ok(.init(body: .json(.init(items: items.map { item in
            .init(id: item.id.uuidString, period: item.period.description,
                  method: .init(rawValue: item.method.rawValue) ?? .suppression, status: .init(rawValue: item.status.rawValue) ?? .draft)
        }, total: total))))
    }

    func getReleaseKey(_ input: Operations.GetReleaseKey.Input) async throws -> Operations.GetReleaseKey.Output {
        _ = try APIRequest.open(.getReleaseKey)
        return .ok(.init(body: .json(.init(partnership: services.releases.settings.partnershipID, publicKey: try await services.releases.publicKey()))))
    }

    func getRelease(_ input: Operations.GetRelease.Input) async throws -> Operations.GetRelease.Output {
        _ = try APIRequest.open(.getRelease)
        guard let id = UUID(uuidString: input.path.releaseId) else { throw AppError.notFound("release") }
        let release = try await services.releases.published(id)
        func value(_ v: (any Sendable)?) throws -> OpenAPIValueContainer { try OpenAPIValueContainer(unvalidatedValue: v) }
        return .ok(.init(body: .json(.init(
            id: release.id, partnership: release.partnership, sequence: release.sequence, period: release.period,
            method: .init(rawValue: release.method) ?? .suppression, parameters: .init(additionalProperties: release.parameters),
            revises: try value(release.revises), tables: try release.tables.map { table in
                .init(name: table.name, dimensions: table.dimensions, cells: try table.cells.map { cell in
                    .init(key: .init(additionalProperties: cell.key), value: try value(cell.value), error95: try value(cell.error95))
                })
            }, signature: release.signature, previous: try value(release.previous)))))
    }
}
