import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// Refuses, with 400 and a message saying what and where, any request carrying characters no
/// field of Cairn accepts: control characters (U+0000–U+001F, U+007F–U+009F) in the path, the
/// query, a form field or a JSON string; text that is not UTF-8; or a broken
/// percent-escape. Tab, line feed and carriage return are allowed in form fields and JSON
/// strings, where multi-line text fields take them, and nowhere else. One place for pages and
/// API alike, before anything reads the request (PostgreSQL refuses NUL in text, so this is
/// also what keeps such input from ever reaching a query).
struct InputCheckMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    /// Bodies are already collected within this limit by `BodyLimitMiddleware`.
    let limit: Int
    /// Uploads are collected within their own, larger limit (`BodyLimitMiddleware`).
    var upload = UploadLimit()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Header values need no check here: HTTPTypes replaces control characters in them.
        try Self.checkTarget(request.uri)
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: upload.limit(for: request, otherwise: limit))
        guard body.readableBytes > 0 else { return try await next(request, context) }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            try Self.checkForm(body.readableBytesView)
        } else if type.hasPrefix("multipart/form-data") {
            // File bytes are not text; `MultipartForm` checks each text field as it reads it.
        } else if type.hasPrefix("application/json") || type.hasSuffix("+json") || FrontMiddleware.isAPI(request.uri.path) {
            try Self.checkJSON(body.readableBytesView)
        }
        return try await next(request, context)
    }

    // MARK: Rules

    /// C0 and C1 control characters and DEL (Unicode category Cc).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
    }

    static func isAllowedInText(_ scalar: Unicode.Scalar) -> Bool {
        !isControl(scalar) || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    static func code(_ scalar: Unicode.Scalar) -> String { "U+" + String(format: "%04X", scalar.value) }

    static func refusal(_ detail: String) -> AppError { AppError(.badRequest, title: "Bad request", detail) }

    /// The path and query: no control characters at all, UTF-8, well-formed escapes.
    static func checkTarget(_ uri: URI) throws {
        let path = try decode(Substring(uri.path), plusIsSpace: false, what: "The address")
        if let bad = path.unicodeScalars.first(where: isControl) {
            throw refusal("The address contains a control character (\(code(bad))).")
        }
        guard let query = uri.query, !query.isEmpty else { return }
        for part in query.split(separator: "&") {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(pair[0], plusIsSpace: true, what: "A query parameter's name")
            let value = pair.count > 1 ? try decode(pair[1], plusIsSpace: true, what: "The query parameter \(printable(name))") : ""
            if let bad = (name + value).unicodeScalars.first(where: isControl) {
                throw refusal("The query parameter \(printable(name)) contains a control character (\(code(bad))).")
            }
        }
    }

    static func checkForm(_ view: ByteBufferView) throws {
        // One copy into an array: splitting the buffer's view byte by byte cost a third of a
        // large form's handling.
        let bytes = Array(view)
        for part in bytes.split(separator: UInt8(ascii: "&")) {
            let pair = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = String(validating: pair[0], as: UTF8.self) else { throw refusal("The form is not valid UTF-8.") }
            let name = try decode(Substring(rawName), plusIsSpace: true, what: "A form field's name")
            let rawValue = pair.count > 1 ? String(validating: pair[1], as: UTF8.self) : ""
            guard let rawValue else { throw refusal("The form field \(printable(name)) is not valid UTF-8.") }
            let value = try decode(Substring(rawValue), plusIsSpace: true, what: "The form field \(printable(name))")
            if let bad = name.unicodeScalars.first(where: isControl) ?? value.unicodeScalars.first(where: { !isAllowedInText($0) }) {
                throw refusal("The form field \(printable(name)) contains a control character (\(code(bad))). Remove it and send the form again.")
            }
        }
    }

    /// JSON strings: raw control characters are already invalid JSON; this finds escaped ones
    /// (`\u0000`) and C1 controls, and refuses text that is not UTF-8.
    static func checkJSON(_ bytes: ByteBufferView) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw refusal("The request body is not valid UTF-8.") }
        if let bad = text.unicodeScalars.first(where: { !isAllowedInText($0) }) {
            throw refusal("The request body contains a control character (\(code(bad))).")
        }
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else { continue }
            // An escape: `\\`, `\"`, `\n`… are two characters; `\uXXXX` six.
            guard scalars.next() == "u" else { continue }
            var hex = ""
            for _ in 0..<4 { if let digit = scalars.next() { hex.unicodeScalars.append(digit) } }
            if let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value), !isAllowedInText(decoded) {
                throw refusal("The request body contains a control character (\(code(decoded))) in a string.")
            }
        }
    }

    /// Percent-decodes strictly: a `%` must be followed by two hex digits, and the result must
    /// be UTF-8.
    /// `what` is only built for a refusal: quoting a field's name costs more than checking it.
    static func decode(_ text: Substring, plusIsSpace: Bool, what: @autoclosure () -> String) throws -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && text.utf8.contains(UInt8(ascii: "+"))) else { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw refusal("\(what()) has a broken percent-escape: % must be followed by two hexadecimal digits.")
                }
                bytes.append(high << 4 | low)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw refusal("\(what()) is not valid UTF-8.") }
        return decoded
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A name fit to quote back: control characters shown as codes, long names cut.
    static func printable(_ name: String) -> String {
        let shown = name.unicodeScalars.map { isControl($0) ? code($0) : String($0) }.joined()
        return "'" + (shown.count > 40 ? shown.prefix(40) + "…" : shown) + "'"
    }
}
