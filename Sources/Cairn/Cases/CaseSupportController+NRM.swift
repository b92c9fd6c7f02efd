import CairnCore
import Foundation
import Hummingbird

/// NRM and Duty to Notify: the page, the referral record, its draft, and a notice.
extension CaseSupportController {
    func addNRMRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases/:id/nrm", .workCases, table: table) { request, context in
            let c = try await viewedCase(context, section: "nrm")
            return try views.render("cases/nrm", try await nrmPage(c), title: "NRM · \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/nrm", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let raw = try await FormData.read(request)
            let (data, dates) = raw.withDates(Self.nrmDateRules(raw))
            let input = CaseSupportService.NRMInput(
                referralDate: data["referralDate"] ?? "", firstResponder: data["firstResponder"] ?? "", reference: data["reference"] ?? "",
                competentAuthority: data["competentAuthority"] ?? "", rgDecision: data["rgDecision"] ?? "", rgDate: data["rgDate"] ?? "",
                cgDecision: data["cgDecision"] ?? "", cgDate: data["cgDate"] ?? "", reconsiderationOf: data["reconsiderationOf"] ?? "",
                reconsiderationRequested: data["reconsiderationRequested"] ?? "")
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let saved = try await support.saveNRM(c, input, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/nrm", flash: "NRM record saved: \(saved.referral.stage.label).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/nrm", try await nrmPage(c, input: input), title: "NRM · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.get, "/cases/:id/nrm/draft", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let c = try await cases.authorise(id, identity: identity)
            let text = try await support.nrmDraft(c, address: context.clientAddress)
            struct Draft: Sendable { let header: Header; let text: String }
            return try views.render("cases/nrm-draft", Draft(header: Self.header(c, current: "/nrm"), text: text), title: "NRM referral draft · \(c.record.code)",
                                    request: request, context: context)
        }
        router.add(.get, "/cases/:id/nrm/draft.txt", .workCases, table: table) { _, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let c = try await cases.authorise(id, identity: identity)
            let text = try await support.nrmDraft(c, address: context.clientAddress)
            var response = Response(status: .ok, body: .init(byteBuffer: .init(string: text)))
            response.headers[.contentType] = "text/plain; charset=utf-8"
            response.headers[.contentDisposition] = "attachment; filename=\"nrm-draft-\(c.record.code).txt\""
            return response
        }
        router.add(.post, "/cases/:id/duty-to-notify", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(Self.noticeDateRules)
            let input = CaseSupportService.DutyToNotifyInput(
                notifiedOn: data["notifiedOn"] ?? "", exploitationTypes: data.all("exploitationTypes"), countyLines: data.bool("countyLines"),
                location: data["location"] ?? "", gender: data["gender"] ?? "", ageBand: data["ageBand"] ?? "", nationality: data["nationality"] ?? "",
                account: data["account"] ?? "")
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.recordDutyToNotify(c, input, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/nrm", flash: "Duty to Notify recorded. It does not identify the person.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/nrm", try await nrmPage(c), title: "NRM · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
    }
}
