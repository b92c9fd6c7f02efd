import CairnCore
import Foundation
import HTTPTypes
import Hummingbird

/// The hub's pages (`ResourceRoute`). Everything comes from `ResourceService`, which checks
/// who may read and change the hub; the view models are in `ResourcePages.swift`, the public
/// page in `ResourceController+Public.swift`.
struct ResourceController {
    let services: AppServices
    let views: Views
    var hub: ResourceService { services.resources }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        addPublicRoutes(to: router, table: table)
        router.add(ResourceRoute.hub, table: table) { request, context, identity in
            var filter = ResourceService.Filter(language: request.query("language", max: 20), kind: request.query("kind", max: 20),
                                                visibility: request.query("visibility", max: 20))
            filter.page = Pagination.pageNumber(request)
            let (rows, total) = try await hub.list(filter, identity: identity)
            return try views.render("resources/hub", ResourcePages.hub(rows, total: total, filter: filter, canManage: identity.can(.manageResources)),
                                    title: "Resource hub", request: request, context: context)
        }
        router.add(ResourceRoute.new, table: table) { request, context, _ in
            try views.render("resources/upload", ResourcePages.upload(ResourceUploadForm(), maxBytes: hub.maxBytes), title: "Upload a resource", request: request, context: context)
        }
        router.add(ResourceRoute.create, table: table) { request, context, identity in
            let form = try await ResourceUploadForm.read(request)
            do {
                let resource = try await hub.create(form.details, language: form.language, upload: form.upload, identity: identity, address: context.clientAddress)
                return .seeOther(ResourceRoute.show(.value(try resource.requireID())).path, flash: "Resource uploaded.")
            } catch let error as AppError where [.unprocessableContent, .contentTooLarge, .unsupportedMediaType].contains(error.status) {
                return try views.render("resources/upload", ResourcePages.upload(form, maxBytes: hub.maxBytes), title: "Upload a resource", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("file", error.detail)] : error.fieldErrors, status: error.status)
            }
        }
        router.add(ResourceRoute.show(.key), table: table) { request, context, identity in
            let detail = try await hub.detail(try context.id(.resourceId, "resource"), identity: identity)
            return try views.render("resources/show", ResourcePages.show(detail, canManage: identity.can(.manageResources)),
                                    title: detail.resource.title, request: request, context: context)
        }
        router.add(ResourceRoute.edit(.key), table: table) { request, context, identity in
            let detail = try await hub.detail(try context.id(.resourceId, "resource"), identity: identity)
            return try views.render("resources/edit", ResourcePages.edit(detail.resource, details: nil), title: "Edit the resource",
                                    request: request, context: context)
        }
        router.add(ResourceRoute.update(.key), table: table) { request, context, identity in
            let id = try context.id(.resourceId, "resource")
            let form = try await ResourceDetailsForm.read(request).details
            do {
                _ = try await hub.update(id, form, identity: identity, address: context.clientAddress)
                return .seeOther(ResourceRoute.show(.value(id)).path, flash: "Resource saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await hub.detail(id, identity: identity)
                return try views.render("resources/edit", ResourcePages.edit(detail.resource, details: form), title: "Edit the resource",
                                        request: request, context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(ResourceRoute.newVersion(.key), table: table) { request, context, identity in
            let detail = try await hub.detail(try context.id(.resourceId, "resource"), identity: identity)
            var form = ResourceUploadForm()
            form.language = request.query("language", max: 20)
            return try views.render("resources/version", ResourcePages.version(detail.resource, form: form), title: "Upload a new version",
                                    request: request, context: context)
        }
        router.add(ResourceRoute.addVersion(.key), table: table) { request, context, identity in
            let id = try context.id(.resourceId, "resource")
            let form = try await ResourceUploadForm.read(request)
            do {
                _ = try await hub.addVersion(id, language: form.language, upload: form.upload, note: form.note, identity: identity,
                                             address: context.clientAddress)
                return .seeOther(ResourceRoute.show(.value(id)).path, flash: "New version uploaded.")
            } catch let error as AppError where [.unprocessableContent, .contentTooLarge, .unsupportedMediaType, .conflict].contains(error.status) {
                let detail = try await hub.detail(id, identity: identity)
                return try views.render("resources/version", ResourcePages.version(detail.resource, form: form), title: "Upload a new version",
                                        request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("file", error.detail)] : error.fieldErrors, status: error.status)
            }
        }
        router.add(ResourceRoute.confirmWithdraw(.key), table: table) { request, context, identity in
            let detail = try await hub.detail(try context.id(.resourceId, "resource"), identity: identity)
            let id = try detail.resource.requireID()
            if detail.resource.withdrawnAt != nil { throw AppError.conflict("This resource has already been withdrawn.") }
            return try views.render("confirm", ConfirmPage(
                heading: "Withdraw \(detail.resource.title)?",
                body: "It leaves the public page and the list of current resources. Partners can still download its files from its page.",
                action: ResourceRoute.withdraw(.value(id)).path, button: "Withdraw the resource", cancel: ResourceRoute.show(.value(id)).path, warning: true),
                title: "Withdraw the resource", request: request, context: context)
        }
        router.add(ResourceRoute.withdraw(.key), table: table) { _, context, identity in
            let id = try context.id(.resourceId, "resource")
            try await hub.withdraw(id, identity: identity, address: context.clientAddress)
            return .seeOther(ResourceRoute.show(.value(id)).path, flash: "Resource withdrawn.")
        }
    }

    /// A file as a response: its sniffed type, inline only for images and PDFs, never sniffed
    /// by the browser, and a policy that lets it run nothing.
    static func response(_ download: ResourceService.Download) -> Response {
        let type = download.file.type
        var headers: HTTPFields = [
            .contentType: type.mediaType,
            .contentDisposition: ResourceSniff.contentDisposition(download.file.fileName, inline: type.opensInline),
            .contentLength: String(download.data.count),
        ]
        headers[ResourceController.nosniff] = "nosniff"
        headers[.contentSecurityPolicy] = policy
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(bytes: download.data)))
    }

    static let nosniff = HTTPField.Name("X-Content-Type-Options")!
    static let policy = "default-src 'none'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
}
