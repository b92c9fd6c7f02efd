import CairnCore
import Disclosure
import Foundation
import Hummingbird
import Linkage

/// A national instance's pages (`NationalRoute`). Everything comes from `NationalService`,
/// which checks who may see and register what; the view models are in `NationalPages.swift`.
struct NationalController {
    let national: NationalService
    let views: Views

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.addOpen(NationalRoute.home, table: table) { _, _ in .seeOther(NationalRoute.dashboard.path) }
        router.add(NationalRoute.dashboard, table: table) { request, context, identity in
            let picture = try await national.picture(period: request.query("period"), table: request.query("table"), identity: identity)
            let model = NationalPages.dashboard(picture, canManage: identity.can(.manageNational))
            return try views.render("national/dashboard", model, title: "The national picture", request: request, context: context)
        }
        router.add(NationalRoute.csv, table: table) { request, context, identity in
            let picture = try await national.picture(period: request.query("period"), table: request.query("table"), identity: identity)
            guard let chosen = picture.table else { throw AppError.notFound("table") }
            let csv = CSV.write(header: NationalPages.csvHeader, rows: NationalPages.csvRows(chosen), lineEnding: "\r\n", defuseFormulas: true)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"national-\(chosen.period).csv\""],
                            body: .init(byteBuffer: .init(string: csv)))
        }
        router.add(NationalRoute.partnerships, table: table) { request, context, identity in
            let rows = try await national.partnerships(identity: identity)
            let model = NationalPages.ListPage(rows: rows.map(NationalPages.row), empty: rows.isEmpty, canManage: identity.can(.manageNational))
            return try views.render("national/partnerships", model, title: "Partnerships", request: request, context: context)
        }
        router.add(NationalRoute.newPartnership, table: table) { request, context, _ in
            try form(request, context, input: .init())
        }
        router.add(NationalRoute.register, table: table) { request, context, identity in
            let form = try await NationalPartnershipForm.read(request)
            do {
                let id = try await national.register(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(NationalRoute.partnership(.value(id)).path, flash: "Partnership registered. Its signed releases are now accepted.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                return try self.form(request, context, input: form.input, errors: error.fieldErrors.isEmpty ? [.init("id", error.detail)] : error.fieldErrors)
            }
        }
        router.add(NationalRoute.partnership(.key), table: table) { request, context, identity in
            let detail = try await national.partnership(try context.text(.partnershipId), identity: identity)
            let model = NationalPages.partnershipPage(detail)
            return try views.render("national/partnership", model, title: model.name, request: request, context: context)
        }
        router.add(NationalRoute.release(.key), table: table) { request, context, identity in
            let detail = try await national.release(try context.id(.nationalReleaseId, "release"), identity: identity)
            let model = NationalPages.releasePage(detail)
            return try views.render("national/release", model, title: model.heading, request: request, context: context)
        }
    }

    func form(_ request: Request, _ context: CairnRequestContext, input: NationalService.Registration, errors: [AppError.FieldError] = []) throws -> Response {
        let page = NationalPages.FormPage(id: input.id, name: input.name, region: input.region, publicKey: input.publicKey)
        return try views.render("national/partnership-form", page, title: "Register a partnership", request: request, context: context,
                                errors: errors, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}
