import Foundation
import Hummingbird
import Linkage

/// A CSV written page by page, for exports that may run to millions of rows: the header, then
/// each page the source reads after the last one (keyset pagination, `Cursor` being where the
/// previous page ended), each page as one chunk of bytes. Nothing holds more than one page.
///
/// Fields go through Linkage's `CSV.field` with formulas defused (a cell a spreadsheet would
/// run starts with `'`); records end in CRLF (RFC 4180).
struct CSVStream<Cursor: Sendable>: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    /// What one read returns: the page's rows, and where the next page starts (nil: the last).
    struct Page: Sendable {
        var rows: [[String]]
        var next: Cursor?
    }

    let header: [String]
    /// Reads the page after `cursor` (nil: the first page).
    let page: @Sendable (Cursor?) async throws -> Page

    struct AsyncIterator: AsyncIteratorProtocol {
        let stream: CSVStream
        var headerSent = false
        var cursor: Cursor?
        var done = false

        mutating func next() async throws -> [UInt8]? {
            if !headerSent {
                headerSent = true
                return CSVStream.bytes([stream.header])
            }
            guard !done else { return nil }
            let page = try await stream.page(cursor)
            cursor = page.next
            done = page.next == nil
            if page.rows.isEmpty { done = true; return nil }
            return CSVStream.bytes(page.rows)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }

    static func bytes(_ rows: [[String]]) -> [UInt8] {
        var out = ""
        for row in rows {
            out += CSV.record(row, defuseFormulas: true)
            out += "\r\n"
        }
        return Array(out.utf8)
    }

    /// The whole file as one string: for tests and small files only.
    func collect() async throws -> String {
        var out: [UInt8] = []
        for try await chunk in self { out += chunk }
        return String(decoding: out, as: UTF8.self)
    }
}

/// An export ready to send: its chunks, and the file name a browser saves it as.
struct ExportDownload: Sendable {
    let contentType: String
    let filename: String
    let chunks: @Sendable () -> AnyAsyncChunks

    init<Cursor: Sendable>(csv: CSVStream<Cursor>, filename: String) {
        contentType = "text/csv; charset=utf-8"
        self.filename = filename
        chunks = { AnyAsyncChunks(csv) }
    }

    init<S: AsyncSequence & Sendable>(contentType: String, filename: String, chunks sequence: S) where S.Element == [UInt8] {
        self.contentType = contentType
        self.filename = filename
        chunks = { AnyAsyncChunks(sequence) }
    }

    /// The HTTP response: the body is written chunk by chunk as the pages are read.
    var response: Response {
        let chunks = self.chunks
        return Response(status: .ok,
                        headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(filename)\"",
                                  .cacheControl: "no-store"],
                        body: ResponseBody { writer in
                            for try await chunk in chunks() { try await writer.write(ByteBuffer(bytes: chunk)) }
                            try await writer.finish(nil)
                        })
    }
}

/// Chunks of bytes from any async sequence, its type hidden.
struct AnyAsyncChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    private let make: @Sendable () -> Iterator

    init<S: AsyncSequence & Sendable>(_ base: S) where S.Element == [UInt8] {
        make = {
            var iterator = base.makeAsyncIterator()
            return Iterator(next: { try await iterator.next() })
        }
    }

    struct Iterator: AsyncIteratorProtocol {
        let next: () async throws -> [UInt8]?
        mutating func next() async throws -> [UInt8]? { try await next() }
    }

    func makeAsyncIterator() -> Iterator { make() }
}
