import Foundation

/// The kinds of file the resource hub takes, as told from the file's own bytes.
enum ResourceFileType: String, CaseIterable, Sendable {
    case pdf, png, jpeg, webp, text, docx, pptx

    var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .text: "text/plain; charset=utf-8"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
    }

    var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        case .text: "txt"
        case .docx: "docx"
        case .pptx: "pptx"
        }
    }

    var label: String {
        switch self {
        case .pdf: "PDF"
        case .png: "PNG image"
        case .jpeg: "JPEG image"
        case .webp: "WebP image"
        case .text: "Plain text"
        case .docx: "Word document"
        case .pptx: "PowerPoint presentation"
        }
    }

    /// Images and PDFs open in the browser; everything else is downloaded.
    var opensInline: Bool { [.pdf, .png, .jpeg, .webp].contains(self) }
}

/// Tells a file's type from its bytes (magic numbers, a ZIP's central directory, UTF-8 text),
/// never from its name or what the browser claims. Pure: `ResourceSniffTests` covers it.
enum ResourceSniff {
    enum Refusal: Error, Equatable, Sendable {
        case empty, html, executable, zipNotOffice, unknown

        var message: String {
            switch self {
            case .empty: "The file is empty."
            case .html: "The file is a web page (HTML or script), which the hub does not take, whatever its name says."
            case .executable: "The file is a program, which the hub does not take, whatever its name says."
            case .zipNotOffice: "The file is a ZIP archive but not a Word (DOCX) or PowerPoint (PPTX) document."
            case .unknown: "The file is not one the hub takes: upload a PDF, PNG, JPEG, WebP, plain text, DOCX or PPTX file."
            }
        }
    }

    static func detect(_ bytes: [UInt8]) -> Result<ResourceFileType, Refusal> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        if isExecutable(bytes) { return .failure(.executable) }
        if starts(bytes, Array("%PDF-".utf8)) { return .success(.pdf) }
        if starts(bytes, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if starts(bytes, [0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if bytes.count >= 12, starts(bytes, Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return .success(.webp) }
        if starts(bytes, [0x50, 0x4B, 0x03, 0x04]) || starts(bytes, [0x50, 0x4B, 0x05, 0x06]) {
            let names = zipEntryNames(bytes) ?? []
            guard names.contains("[Content_Types].xml") else { return .failure(.zipNotOffice) }
            if names.contains(where: { $0.hasPrefix("word/") }) { return .success(.docx) }
            if names.contains(where: { $0.hasPrefix("ppt/") }) { return .success(.pptx) }
            return .failure(.zipNotOffice)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(.unknown) }
        if looksLikeMarkup(text) { return .failure(.html) }
        // Text: no NUL or other control characters than tab, line breaks and form feed.
        if text.unicodeScalars.contains(where: { ($0.value < 0x20 && ![9, 10, 12, 13].contains($0.value)) || $0.value == 0x7F }) {
            return .failure(.unknown)
        }
        return .success(.text)
    }

    static func starts(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && Array(bytes[0..<prefix.count]) == prefix
    }

    /// ELF, Windows PE (MZ with a binary header), Mach-O, Java class / fat binaries, scripts with a `#!` line.
    static func isExecutable(_ bytes: [UInt8]) -> Bool {
        if starts(bytes, [0x7F, 0x45, 0x4C, 0x46]) { return true }
        if starts(bytes, Array("#!".utf8)) { return true }
        for magic: [UInt8] in [[0xFE, 0xED, 0xFA, 0xCE], [0xFE, 0xED, 0xFA, 0xCF], [0xCE, 0xFA, 0xED, 0xFE], [0xCF, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE]]
            where starts(bytes, magic) { return true }
        if starts(bytes, Array("MZ".utf8)) {
            // A DOS/PE header is binary (zeros in its first 64 bytes); "MZ" typed at the start of a note is not.
            return bytes.prefix(64).contains(0) || String(validating: bytes, as: UTF8.self) == nil
        }
        return false
    }

    /// HTML, XML, SVG or script, judged from the start of the text as a browser would sniff it.
    static func looksLikeMarkup(_ text: String) -> Bool {
        let head = String(text.unicodeScalars.prefix(1024)).lowercased()
        let trimmed = head.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        for opening in ["<!doctype", "<html", "<head", "<body", "<script", "<?xml", "<svg", "<iframe", "<!--", "<meta", "<style", "<object", "<embed", "<a ", "<img", "<div", "<p>", "<table", "<form", "<title", "<br", "<h1", "<b>", "<font"]
            where trimmed.hasPrefix(opening) { return true }
        return ["<script", "<html", "<iframe", "<svg", "javascript:", "<body", "<object", "<embed"].contains { head.contains($0) }
    }

    /// The entry names of a ZIP archive from its central directory (found through the end of
    /// central directory record), or nil when the archive is malformed. Every offset is
    /// checked against the buffer.
    static func zipEntryNames(_ bytes: [UInt8], limit: Int = 10_000) -> [String]? {
        func u16(_ at: Int) -> Int? { at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        // The end record is 22 bytes plus a comment of up to 65,535.
        guard bytes.count >= 22 else { return nil }
        var end: Int?
        var index = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while index >= lowest {
            if u32(index) == 0x0605_4B50 { end = index; break }
            index -= 1
        }
        guard let end, let count = u16(end + 10), let size = u32(end + 12), let offset = u32(end + 16),
              offset <= bytes.count, size <= bytes.count - offset else { return nil }
        var names: [String] = []
        var position = offset
        for _ in 0..<min(count, limit) {
            guard u32(position) == 0x0201_4B50, let nameLength = u16(position + 28), let extra = u16(position + 30), let comment = u16(position + 32) else { return nil }
            let nameStart = position + 46
            guard nameStart + nameLength <= bytes.count else { return nil }
            names.append(String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self))
            position = nameStart + nameLength + extra + comment
        }
        return names
    }

    /// A name fit for `Content-Disposition`: the last path component only, letters, digits and
    /// `-_. ` kept, everything else `_`, at most 80 characters, ending in the type's own
    /// extension (the bytes decide the type, so they decide the extension too).
    static func safeFileName(_ sent: String?, type: ResourceFileType) -> String {
        let last = (sent ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var stem = last
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        var cleaned = ""
        for scalar in stem.unicodeScalars {
            let keep = (CharacterSet.alphanumerics.contains(scalar) && scalar.properties.generalCategory != .control) || "-_ ".unicodeScalars.contains(scalar)
            let next: Character = keep ? Character(scalar) : "_"
            if next == "_", cleaned.last == "_" { continue }
            cleaned.append(next)
        }
        cleaned = String(cleaned.trimmingCharacters(in: CharacterSet(charactersIn: " ._-")).prefix(80))
        if cleaned.isEmpty { cleaned = "resource" }
        return cleaned + "." + type.fileExtension
    }

    /// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266).
    static func contentDisposition(_ name: String, inline: Bool) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 32 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")) ?? ascii
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
