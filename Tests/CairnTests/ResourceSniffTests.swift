import Foundation
import Testing

@testable import Cairn

/// Telling a file's type from its bytes, file names, and reading multipart bodies: pure.
@Suite("Resource type detection")
struct ResourceSniffTests {
    /// A ZIP archive (stored, no compression) holding empty entries with these names.
    static func zip(_ names: [String]) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        var out: [UInt8] = [], central: [UInt8] = []
        for name in names {
            let bytes = Array(name.utf8)
            let offset = out.count
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + le32(0) + le16(bytes.count) + le16(0) + bytes
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + le32(0)
            central += le16(bytes.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + bytes
        }
        let start = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(names.count) + le16(names.count) + le32(central.count) + le32(start) + le16(0)
        return out
    }

    static let docx = zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
    static let pptx = zip(["[Content_Types].xml", "ppt/presentation.xml"])
    static let pdf = DemoResources.pdf("Hello")
    static let png = DemoResources.png(width: 2, height: 2, rgb: (1, 2, 3))
    static let html = Array("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".utf8)
    static let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 56)
    static let pe: [UInt8] = Array("MZ".utf8) + [0x90, 0] + Array(repeating: 0, count: 60) + Array("PE".utf8) + [0, 0]

    @Test func recognisesEachAcceptedType() throws {
        #expect(try ResourceSniff.detect(Self.pdf).get() == .pdf)
        #expect(try ResourceSniff.detect(Self.png).get() == .png)
        #expect(try ResourceSniff.detect([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] + Array("JFIF".utf8)).get() == .jpeg)
        #expect(try ResourceSniff.detect(Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8)).get() == .webp)
        #expect(try ResourceSniff.detect(Array("Cunoașteți-vă drepturile.\nLinia: 08000 121 700\n".utf8)).get() == .text)
        #expect(try ResourceSniff.detect(Self.docx).get() == .docx)
        #expect(try ResourceSniff.detect(Self.pptx).get() == .pptx)
    }

    @Test func refusesWebPagesProgramsAndOtherArchives() throws {
        #expect(ResourceSniff.detect(Self.html) == .failure(.html))
        #expect(ResourceSniff.detect(Array("  <svg onload=alert(1)>".utf8)) == .failure(.html))
        #expect(ResourceSniff.detect(Array("Notes\n<script>steal()</script>".utf8)) == .failure(.html))
        #expect(ResourceSniff.detect(Self.elf) == .failure(.executable))
        #expect(ResourceSniff.detect(Self.pe) == .failure(.executable))
        #expect(ResourceSniff.detect(Array("#!/bin/sh\nrm -rf /\n".utf8)) == .failure(.executable))
        #expect(ResourceSniff.detect([0xCF, 0xFA, 0xED, 0xFE, 7, 0, 0, 1]) == .failure(.executable))
        #expect(ResourceSniff.detect(Self.zip(["notes.txt", "word/x.xml"])) == .failure(.zipNotOffice))
        #expect(ResourceSniff.detect(Self.zip(["[Content_Types].xml", "xl/workbook.xml"])) == .failure(.zipNotOffice))
        #expect(ResourceSniff.detect([]) == .failure(.empty))
        #expect(ResourceSniff.detect([0xC3, 0x28, 0x41]) == .failure(.unknown))
        #expect(ResourceSniff.detect(Array("text with a NUL\u{0}".utf8)) == .failure(.unknown))
        // "MZ" typed at the start of a note is text, not a program.
        #expect(try ResourceSniff.detect(Array("MZ Smith: meeting notes".utf8)).get() == .text)
    }

    /// A broken archive (a truncated or lying central directory) is refused, never read past its end.
    @Test func malformedArchivesAreRefusedSafely() {
        var broken = Self.docx
        broken.removeLast(10)
        #expect(ResourceSniff.detect(broken) == .failure(.zipNotOffice))
        var lying = Self.docx
        // Point the central directory past the end.
        let end = lying.count - 22
        lying[end + 16] = 0xFF; lying[end + 17] = 0xFF; lying[end + 18] = 0xFF; lying[end + 19] = 0x7F
        #expect(ResourceSniff.detect(lying) == .failure(.zipNotOffice))
        #expect(ResourceSniff.zipEntryNames(Array("PK\u{3}\u{4}".utf8)) == nil)
    }

    @Test func fileNamesAreSanitisedAndTakeTheSniffedExtension() {
        #expect(ResourceSniff.safeFileName("../../etc/passwd", type: .text) == "passwd.txt")
        #expect(ResourceSniff.safeFileName("C:\\Users\\x\\Drepturi la muncă.pdf", type: .pdf) == "Drepturi la muncă.pdf")
        #expect(ResourceSniff.safeFileName("poster.pdf", type: .png) == "poster.png")
        #expect(ResourceSniff.safeFileName("a\"b;<c>.docx", type: .docx) == "a_b_c.docx")
        #expect(ResourceSniff.safeFileName(nil, type: .pdf) == "resource.pdf")
        #expect(ResourceSniff.safeFileName("...", type: .pdf) == "resource.pdf")
        #expect(ResourceSniff.safeFileName(String(repeating: "x", count: 300) + ".txt", type: .text).count == 84)
        let disposition = ResourceSniff.contentDisposition("Drepturi la muncă.pdf", inline: false)
        #expect(disposition == "attachment; filename=\"Drepturi la munc_.pdf\"; filename*=UTF-8''Drepturi%20la%20munc%C4%83.pdf")
        #expect(ResourceSniff.contentDisposition("a.png", inline: true).hasPrefix("inline; "))
    }

    static func body(_ boundary: String, _ parts: [(String, String?, [UInt8])], close: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        for (name, file, data) in parts {
            out += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\(file.map { "; filename=\"\($0)\"" } ?? "")\r\n\r\n".utf8)
            out += data + Array("\r\n".utf8)
        }
        if close { out += Array("--\(boundary)--\r\n".utf8) }
        return out
    }

    @Test func readsAMultipartBody() throws {
        let data: [UInt8] = Self.png + Array("\r\n--not-the-boundary\r\n".utf8)
        let form = try MultipartForm(contentType: "multipart/form-data; boundary=\"XyZ\"",
                                     body: Self.body("XyZ", [("title", nil, Array("Drepturi; \"la\" muncă".utf8)), ("file", "a;b.png", data)]))
        #expect(try form.text("title") == "Drepturi; \"la\" muncă")
        #expect(form.file("file")?.data == data)
        #expect(form.file("file")?.fileName == "a;b.png")
        #expect(try form.text("missing") == nil)
        #expect(MultipartForm.boundary(contentType: "application/x-www-form-urlencoded") == nil)
        #expect(MultipartForm.boundary(contentType: "multipart/form-data") == nil)
    }

    @Test func refusesMalformedMultipartBodies() {
        let good = Self.body("b", [("title", nil, Array("x".utf8))])
        let cases: [[UInt8]] = [
            Array("no boundary here".utf8),
            Self.body("b", [("title", nil, Array("x".utf8))], close: false),
            Array("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n".utf8),
            Array("--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n".utf8),
            Array("--b\r\nContent-Disposition: form-data; name=\"t\r\n\r\nx\r\n--b--\r\n".utf8),
            Self.body("b", [("title", nil, Array("x".utf8)), ("title", nil, Array("y".utf8))]),
            Array("--bX\r\n".utf8),
            Self.body("b", (0..<40).map { ("f\($0)", nil, Array("x".utf8)) }),
        ]
        #expect(throws: Never.self) { try MultipartForm(body: good, boundary: "b") }
        for body in cases {
            #expect(throws: AppError.self) { try MultipartForm(body: body, boundary: "b") }
        }
        #expect(throws: AppError.self) { try MultipartForm(body: Self.body("b", [("title", nil, [0xC3, 0x28])]), boundary: "b").text("title") }
        #expect(throws: AppError.self) { try MultipartForm(body: Self.body("b", [("title", nil, [0x41, 0x00])]), boundary: "b").text("title") }
    }
}
