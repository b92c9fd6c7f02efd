import Foundation

/// A `multipart/form-data` body (RFC 7578) as its parts: the resource hub's upload form and
/// the CSRF check read it. Strict: a body that does not follow the format — no boundary, a
/// part without a name, a part sent twice, a missing closing delimiter, too many parts — is a
/// 400 with a message, never a partial read. File bytes are kept as sent; text fields must be
/// UTF-8 without control characters (tab and line breaks allowed).
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        /// The file name the browser sent (only ever shown, sanitised: never a path).
        let fileName: String?
        let contentType: String?
        let data: [UInt8]
    }

    let parts: [Part]
    static let maxParts = 32
    static let maxHeaderBytes = 4096

    static func refusal(_ detail: String) -> AppError {
        AppError(.badRequest, title: "Bad request", "The upload could not be read: \(detail)")
    }

    /// The boundary of a `multipart/form-data` content type, or nil for any other type.
    static func boundary(contentType: String) -> String? {
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = pieces.first, first.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) else { return nil }
            return value
        }
        return nil
    }

    init(parts: [Part]) { self.parts = parts }

    /// Parses `body` with the boundary taken from `contentType`.
    init(contentType: String, body: [UInt8]) throws {
        guard let boundary = Self.boundary(contentType: contentType) else {
            throw Self.refusal("send it as multipart/form-data with a boundary.")
        }
        try self.init(body: body, boundary: boundary)
    }

    init(body: [UInt8], boundary: String) throws {
        let dash = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may follow a preamble, which is ignored.
        guard let start = Self.find(dash, in: body, from: 0), start == 0 || Self.find(delimiter, in: body, from: 0) == start - 2 else {
            throw Self.refusal("the body does not start with its boundary.")
        }
        var position = start + dash.count
        var parts: [Part] = []
        var names = Set<String>()
        while true {
            // After a delimiter: "--" closes the body, CRLF starts a part.
            guard position + 2 <= body.count else { throw Self.refusal("the body ends before its closing boundary.") }
            if body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { break }
            // Transport padding (spaces, tabs) may sit before the CRLF.
            while position < body.count, body[position] == UInt8(ascii: " ") || body[position] == UInt8(ascii: "\t") { position += 1 }
            guard position + 2 <= body.count, body[position] == 13, body[position + 1] == 10 else {
                throw Self.refusal("a boundary is not followed by a line break.")
            }
            position += 2
            guard let headerEnd = Self.find([13, 10, 13, 10], in: body, from: position) else {
                throw Self.refusal("a part's headers do not end.")
            }
            guard headerEnd - position <= Self.maxHeaderBytes else { throw Self.refusal("a part's headers are too long.") }
            let headers = try Self.headers(Array(body[position..<headerEnd]))
            guard let end = Self.find(delimiter, in: body, from: headerEnd + 4) else {
                throw Self.refusal("a part does not end with the boundary.")
            }
            guard parts.count < Self.maxParts else { throw Self.refusal("it has more than \(Self.maxParts) parts.") }
            guard !names.contains(headers.name) else { throw Self.refusal("the field '\(headers.name)' is sent more than once.") }
            names.insert(headers.name)
            parts.append(Part(name: headers.name, fileName: headers.fileName, contentType: headers.contentType, data: Array(body[(headerEnd + 4)..<end])))
            position = end + delimiter.count
        }
        self.parts = parts
    }

    /// A text field's value: nil when absent; 400 when it is a file, not UTF-8, or holds
    /// control characters.
    func text(_ name: String) throws -> String? {
        guard let part = parts.first(where: { $0.name == name }) else { return nil }
        guard part.fileName == nil else { throw Self.refusal("the field '\(name)' should be text, not a file.") }
        guard let text = String(validating: part.data, as: UTF8.self) else { throw Self.refusal("the field '\(name)' is not valid UTF-8.") }
        if text.unicodeScalars.contains(where: { !InputCheckMiddleware.isAllowedInText($0) }) {
            throw Self.refusal("the field '\(name)' contains a control character.")
        }
        return text
    }

    /// A file part (the browser sends an empty one, without a name, when no file is chosen: nil).
    func file(_ name: String) -> Part? {
        guard let part = parts.first(where: { $0.name == name }), !(part.data.isEmpty && (part.fileName ?? "").isEmpty) else { return nil }
        return part
    }

    // MARK: Reading

    struct Headers {
        var name = ""
        var fileName: String?
        var contentType: String?
    }

    static func headers(_ bytes: [UInt8]) throws -> Headers {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw refusal("a part's headers are not UTF-8.") }
        var result = Headers()
        var disposition = false
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw refusal("a part has a malformed header.") }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch field {
            case "content-disposition":
                let parameters = try dispositionParameters(value)
                guard parameters.type == "form-data", let name = parameters.values["name"], !name.isEmpty else {
                    throw refusal("a part is not a named form-data field.")
                }
                result.name = name
                result.fileName = parameters.values["filename"]
                disposition = true
            case "content-type":
                result.contentType = value
            default:
                continue
            }
        }
        guard disposition else { throw refusal("a part has no Content-Disposition header.") }
        if result.name.unicodeScalars.contains(where: InputCheckMiddleware.isControl) || (result.fileName ?? "").unicodeScalars.contains(where: InputCheckMiddleware.isControl) {
            throw refusal("a part's name contains a control character.")
        }
        return result
    }

    /// `form-data; name="file"; filename="a.pdf"`: the type and its parameters (quoted values
    /// may hold `;` and escaped quotes).
    static func dispositionParameters(_ value: String) throws -> (type: String, values: [String: String]) {
        var scalars = Array(value.unicodeScalars)[...]
        func skipSpaces() { while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() } }
        var type = ""
        while let first = scalars.first, first != ";" { type.unicodeScalars.append(first); scalars = scalars.dropFirst() }
        var values: [String: String] = [:]
        while scalars.first == ";" {
            scalars = scalars.dropFirst()
            skipSpaces()
            var key = ""
            while let first = scalars.first, first != "=", first != ";" { key.unicodeScalars.append(first); scalars = scalars.dropFirst() }
            guard scalars.first == "=" else { if key.trimmingCharacters(in: .whitespaces).isEmpty { continue }; throw refusal("a part has a malformed Content-Disposition.") }
            scalars = scalars.dropFirst()
            var item = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                var closed = false
                while let first = scalars.first {
                    scalars = scalars.dropFirst()
                    if first == "\\", let next = scalars.first { item.unicodeScalars.append(next); scalars = scalars.dropFirst(); continue }
                    if first == "\"" { closed = true; break }
                    item.unicodeScalars.append(first)
                }
                guard closed else { throw refusal("a part's Content-Disposition has an unclosed quote.") }
                skipSpaces()
            } else {
                while let first = scalars.first, first != ";" { item.unicodeScalars.append(first); scalars = scalars.dropFirst() }
                item = item.trimmingCharacters(in: .whitespaces)
            }
            let name = key.trimmingCharacters(in: .whitespaces).lowercased()
            guard values[name] == nil else { throw refusal("a part's Content-Disposition repeats '\(name)'.") }
            values[name] = item
        }
        guard scalars.isEmpty else { throw refusal("a part has a malformed Content-Disposition.") }
        return (type.trimmingCharacters(in: .whitespaces).lowercased(), values)
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = start
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == first {
                        var matched = true
                        var offset = 1
                        while offset < pin.count {
                            if hay[index + offset] != pin[offset] { matched = false; break }
                            offset += 1
                        }
                        if matched { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}
