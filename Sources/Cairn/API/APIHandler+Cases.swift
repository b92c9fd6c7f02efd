import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// Survivor-support cases: only the case team sees a case; everyone else gets 404.
extension APIHandler {
    static func supportCase(_ c: SupportCase) throws -> Components.Schemas.Case {
        .init(id: try c.requireID().uuidString, code: c.code, chosenName: c.chosenName, status: try APIEnum.map(c.status),
              riskLevel: try APIEnum.map(c.riskLevel), interpreterNeeded: c.interpreterNeeded, language: c.language.nilIfEmpty,
              leadAgencyId: c.leadAgencyID.uuidString, reportId: c.reportID?.uuidString, openedAt: c.openedAt, closedAt: c.closedAt,
              closureReason: c.closureReason, ageGroup: c.ageGroup)
    }

    func listCases(_ input: Operations.ListCases.Input) async throws -> Operations.ListCases.Output {
        let (identity, context) = try APIRequest.authorize(.listCases)
        let cases = try await services.cases.list(identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(.init(items: try cases.map(Self.supportCase)))))
    }

    func createCase(_ input: Operations.CreateCase.Input) async throws -> Operations.CreateCase.Output {
        let (identity, context) = try APIRequest.authorize(.createCase)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the case as JSON.") }
        var details = CaseService.Input()
        details.chosenName = body.chosenName
        details.account = body.account ?? ""
        details.language = body.language ?? ""
        details.interpreterNeeded = body.interpreterNeeded ?? false
        details.reportReference = body.reportReference ?? ""
        details.ageGroup = body.ageGroup ?? AgeGroup.unknown.rawValue
        details.legalName = body.identity?.legalName ?? ""
        details.dateOfBirth = body.identity?.dateOfBirth ?? ""
        details.nationality = body.identity?.nationality ?? ""
        details.languages = body.identity?.languages ?? ""
        details.contact = body.identity?.contact ?? ""
        let record = try await services.cases.open(details, identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(try Self.supportCase(record))))
    }

    func getCase(_ input: Operations.GetCase.Input) async throws -> Operations.GetCase.Output {
        let (identity, context) = try APIRequest.authorize(.getCase)
        guard let id = UUID(uuidString: input.path.caseId) else { throw AppError.notFound("case") }
        let c = try await services.cases.view(id, identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try Self.supportCase(c.record))))
    }
}
