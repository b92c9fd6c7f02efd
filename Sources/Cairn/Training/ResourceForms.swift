import Foundation
import Hummingbird

/// The hub's forms. The uploads are `multipart/form-data` (`MultipartForm`); editing a
/// resource's details is an ordinary form (`FormInput`).
struct ResourceDetailsForm: FormInput {
    let title: String?
    let summary: String?
    let kind: String?
    let audience: String?
    let topics: String?
    let visibility: String?

    var details: ResourceService.Details {
        .init(title: title ?? "", summary: summary ?? "", kind: kind ?? "", audience: audience ?? "", topics: topics ?? "", visibility: visibility ?? "")
    }
}

/// An upload form as sent: its details, its language and its file.
struct ResourceUploadForm: Sendable {
    var details = ResourceService.Details()
    var language = ""
    /// What changed (new versions only).
    var note = ""
    var upload: ResourceService.Upload?

    /// Reads a multipart upload; anything else, or a malformed body, is a 400 with a message.
    static func read(_ request: Request) async throws -> ResourceUploadForm {
        let form = try await multipart(request)
        var result = ResourceUploadForm()
        result.details = .init(title: try form.text("title") ?? "", summary: try form.text("summary") ?? "", kind: try form.text("kind") ?? "",
                               audience: try form.text("audience") ?? "", topics: try form.text("topics") ?? "",
                               visibility: try form.text("visibility") ?? "")
        result.language = try form.text("language") ?? ""
        result.note = try form.text("note") ?? ""
        if let file = form.file("file") { result.upload = .init(fileName: file.fileName, bytes: file.data) }
        return result
    }

    static func multipart(_ request: Request) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], MultipartForm.boundary(contentType: type) != nil else {
            throw AppError.badRequest("The upload could not be read: send it as multipart/form-data with a boundary (the form does this).")
        }
        var request = request
        // BodyLimitMiddleware has already collected the body within the upload limit.
        let body = try await request.collectBody(upTo: .max)
        return try MultipartForm(contentType: type, body: Array(body.readableBytesView))
    }
}
