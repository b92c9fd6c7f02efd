import CairnCore
import Foundation
import Hummingbird

/// NRM and Duty to Notify: the page, the referral record, its draft, and a notice.
extension CaseSupportController {
    func addNRMRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.nrm(.key), table: table) { request, context, identity in
            let c = try await viewedCase(context, identity, section: "nrm")
            return try views.render("cases/nrm", try await nrmPage(c), title: "NRM · \(c.record.code)", request: request, context: context)
        }
        router.add(CaseSupportRoute.saveNRM(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await NRMForm.readWithDates(request)
            let input = form.input
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let saved = try await support.saveNRM(c, input, address: context.clientAddress)
                return .seeOther(CaseSupportRoute.nrm(.value(id)).path, flash: "NRM record saved: \(saved.referral.stage.label).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/nrm", try await nrmPage(c, input: input), title: "NRM · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(CaseSupportRoute.nrmDraft(.key), table: table) { request, context, identity in
            let c = try await cases.authorise(try context.id(.caseId, "case"), identity: identity)
            let text = try await support.nrmDraft(c, address: context.clientAddress)
            struct Draft: Sendable { let header: Header; let text: String }
            return try views.render("cases/nrm-draft", Draft(header: Self.header(c, current: .nrm), text: text), title: "NRM referral draft · \(c.record.code)",
                                    request: request, context: context)
        }
        router.add(CaseSupportRoute.nrmDraftText(.key), table: table) { _, context, identity in
            let c = try await cases.authorise(try context.id(.caseId, "case"), identity: identity)
            let text = try await support.nrmDraft(c, address: context.clientAddress)
            var response = Response(status: .ok, body: .init(byteBuffer: .init(string: text)))
            response.headers[.contentType] = "text/plain; charset=utf-8"
            response.headers[.contentDisposition] = "attachment; filename=\"nrm-draft-\(c.record.code).txt\""
            return response
        }
        router.add(CaseSupportRoute.dutyToNotify(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await DutyToNotifyForm.readWithDates(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                _ = try await support.recordDutyToNotify(c, form.input, address: context.clientAddress)
                return .seeOther(CaseSupportRoute.nrm(.value(id)).path, flash: "Duty to Notify recorded. It does not identify the person.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/nrm", try await nrmPage(c), title: "NRM · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
    }
}
