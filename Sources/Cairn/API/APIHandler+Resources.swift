import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The resource hub: upload (multipart), the public list, and a resource's current file. The
/// same service calls, checks and audit entries as the hub's pages.
extension APIHandler {
    func listResources(_ input: Operations.ListResources.Input) async throws -> Operations.ListResources.Output {
        _ = try APIRequest.open(.listResources)
        let code = ResourceLanguage.code(input.query.lang ?? "en") ?? "en"
        let items = try await services.resources.publicList(language: code)
        return .ok(.init(body: .json(.init(items: try items.map { item in
            let id = try item.resource.requireID()
            return .init(id: id.uuidString, title: item.resource.title, summary: item.resource.summary,
                         kind: .init(rawValue: item.resource.resourceKind.rawValue) ?? .other, language: item.file.language, fallback: item.fallback,
                         fileUrl: "/api/v1/resources/\(id.uuidString)/file?lang=\(item.file.language)",
                         mediaType: item.file.type.mediaType, bytes: item.file.byteCount, sha256: item.file.sha256)
        }))))
    }

    func createResource(_ input: Operations.CreateResource.Input) async throws -> Operations.CreateResource.Output {
        let (identity, context) = try APIRequest.authorize(.createResource)
        guard case .multipartForm(let parts) = input.body else { throw AppError.badRequest("Send the resource as multipart/form-data.") }
        var details = ResourceService.Details()
        var language = ""
        var upload: ResourceService.Upload?
        // The body is already within the upload limit (the file's and 64 KB for the other
        // parts, `BodyLimitMiddleware`); the service says if the file itself is over.
        let fileLimit = services.resources.maxBytes + 65_536
        do {
            for try await part in parts {
                switch part {
                case .file(let file):
                    upload = .init(fileName: file.filename, bytes: try await [UInt8](collecting: file.payload.body, upTo: fileLimit))
                case .title(let text): details.title = try await Self.text(text.payload.body, "title")
                case .language(let text): language = try await Self.text(text.payload.body, "language")
                case .visibility(let text): details.visibility = try await Self.text(text.payload.body, "visibility")
                case .kind(let text): details.kind = try await Self.text(text.payload.body, "kind")
                case .summary(let text): details.summary = try await Self.text(text.payload.body, "summary")
                case .audience(let text): details.audience = try await Self.text(text.payload.body, "audience")
                case .topics(let text): details.topics = try await Self.text(text.payload.body, "topics")
                case .undocumented: continue
                }
            }
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError.badRequest("The upload could not be read as multipart/form-data with the parts file, title, language and visibility: \(error)")
        }
        let resource = try await services.resources.create(details, language: language, upload: upload, identity: identity, address: context.clientAddress)
        return .created(.init(body: .json(.init(id: try resource.requireID().uuidString))))
    }

    func addResourceVersion(_ input: Operations.AddResourceVersion.Input) async throws -> Operations.AddResourceVersion.Output {
        let (identity, context) = try APIRequest.authorize(.addResourceVersion)
        guard let id = UUID(uuidString: input.path.resourceId) else { throw AppError.notFound("resource") }
        guard case .multipartForm(let parts) = input.body else { throw AppError.badRequest("Send the new version as multipart/form-data.") }
        var language = "", note = ""
        var upload: ResourceService.Upload?
        let fileLimit = services.resources.maxBytes + 65_536
        do {
            for try await part in parts {
                switch part {
                case .file(let file):
                    upload = .init(fileName: file.filename, bytes: try await [UInt8](collecting: file.payload.body, upTo: fileLimit))
                case .language(let text): language = try await Self.text(text.payload.body, "language")
                case .note(let text): note = try await Self.text(text.payload.body, "note")
                case .undocumented: continue
                }
            }
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError.badRequest("The upload could not be read as multipart/form-data with the parts file, language and note: \(error)")
        }
        let stored = try await services.resources.addVersion(id, language: language, upload: upload, note: note, identity: identity,
                                                             address: context.clientAddress)
        return .created(.init(body: .json(.init(id: try stored.requireID().uuidString, version: stored.version))))
    }

    static func text(_ body: HTTPBody, _ name: String) async throws -> String {
        let bytes = try await [UInt8](collecting: body, upTo: 8192)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw AppError.badRequest("The part '\(name)' is not valid UTF-8.") }
        if text.unicodeScalars.contains(where: { !InputCheckMiddleware.isAllowedInText($0) }) {
            throw AppError.badRequest("The part '\(name)' contains a control character.")
        }
        return text
    }

    func getResourceFile(_ input: Operations.GetResourceFile.Input) async throws -> Operations.GetResourceFile.Output {
        let context = try APIRequest.open(.getResourceFile)
        guard let id = UUID(uuidString: input.path.resourceId) else { throw AppError.notFound("resource") }
        let download = try await services.resources.currentFile(id, language: input.query.lang, identity: context.identity, address: context.clientAddress)
        let body = HTTPBody(download.data)
        let content: Operations.GetResourceFile.Output.Ok.Body = switch download.file.type {
        case .pdf: .pdf(body)
        case .png: .png(body)
        case .jpeg: .jpeg(body)
        case .webp: .imageWebp(body)
        case .text: .plainText(body)
        case .docx: .applicationVnd_openxmlformatsOfficedocument_wordprocessingml_document(body)
        case .pptx: .applicationVnd_openxmlformatsOfficedocument_presentationml_presentation(body)
        }
        return .ok(.init(headers: .init(contentDisposition: ResourceSniff.contentDisposition(download.file.fileName, inline: download.file.type.opensInline),
                                        contentSecurityPolicy: ResourceController.policy),
                         body: content))
    }
}
