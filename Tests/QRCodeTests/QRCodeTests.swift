import Testing

@testable import QRCode

/// Known vectors from ISO/IEC 18004 and its annexes, and the symbol's structure.
@Suite struct QRCodeTests {
    @Test func reedSolomonMatchesTheStandardsWorkedExample() {
        // Annex I: "01234567" in version 1-M gives these 16 data and 10 error-correction codewords.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(ReedSolomon.remainder(data, degree: 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func formatInformationForLevelMMatchesTheStandardsTable() {
        let table = [0b101010000010010, 0b101000100100101, 0b101111001111100, 0b101101101001011,
                     0b100010111111001, 0b100000011001110, 0b100111110010111, 0b100101010100000]
        for mask in 0..<8 { #expect(QRMatrix.formatBits(mask: mask) == table[mask], "mask \(mask)") }
    }

    @Test func versionInformationMatchesTheStandardsTable() {
        #expect(QRMatrix.versionBits(version: 7) == 0x07C94)
        #expect(QRMatrix.versionBits(version: 8) == 0x085BC)
        #expect(QRMatrix.versionBits(version: 20) == 0x149A6)
        #expect(QRMatrix.versionBits(version: 40) == 0x28C69)
    }

    @Test func alignmentPatternPositionsMatchAnnexE() {
        #expect(QRMatrix.alignmentPositions(version: 1) == [])
        #expect(QRMatrix.alignmentPositions(version: 2) == [6, 18])
        #expect(QRMatrix.alignmentPositions(version: 7) == [6, 22, 38])
        #expect(QRMatrix.alignmentPositions(version: 15) == [6, 26, 48, 70])
        #expect(QRMatrix.alignmentPositions(version: 32) == [6, 34, 60, 86, 112, 138])
        #expect(QRMatrix.alignmentPositions(version: 40) == [6, 30, 58, 86, 114, 142, 170])
    }

    @Test func capacitiesAtLevelMMatchTheStandardsTable() {
        // Byte-mode capacity (characters) at level M for a few versions, from Table 7.
        let expected = [1: 14, 2: 26, 5: 84, 7: 122, 10: 213, 20: 666, 40: 2331]
        for (version, bytes) in expected {
            #expect(QRCode.smallestVersion(for: bytes) == version, "version \(version)")
            if version < 40 { #expect(QRCode.smallestVersion(for: bytes + 1) == version + 1, "version \(version) + 1") }
        }
        #expect(QRCode.smallestVersion(for: 2332) == nil)
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 2332)) { try QRCode(bytes: Array(repeating: 65, count: 2332)) }
    }

    @Test func dataCodewordsArePaddedAsTheStandardSays() {
        // "AB" in byte mode, version 1-M: 0100 00000010 01000001 01000010 0000, then pad bytes.
        let codewords = QRCode.dataCodewords(Array("AB".utf8), version: 1)
        #expect(codewords.count == 16)
        #expect(Array(codewords.prefix(4)) == [0x40, 0x24, 0x14, 0x20])
        #expect(Array(codewords.dropFirst(4)) == [0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11])
    }

    @Test func aSymbolHasFindersTimingAndTheDarkModule() throws {
        let code = try QRCode(text: "otpauth://totp/Cairn:someone%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30&issuer=Cairn")
        #expect(code.size == 17 + 4 * code.version)
        #expect(code.modules.count == code.size * code.size)
        for (cx, cy) in [(3, 3), (code.size - 4, 3), (3, code.size - 4)] {
            #expect(code.isDark(x: cx, y: cy))
            #expect(!code.isDark(x: cx + 2, y: cy))
            #expect(code.isDark(x: cx + 3, y: cy))
        }
        for i in 8..<(code.size - 8) {
            #expect(code.isDark(x: i, y: 6) == (i % 2 == 0))
            #expect(code.isDark(x: 6, y: i) == (i % 2 == 0))
        }
        #expect(code.isDark(x: 8, y: code.size - 8))
    }

    @Test func theChosenMaskHasTheLowestPenalty() throws {
        let text = "otpauth://totp/Cairn:admin%40demo.invalid?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=Cairn"
        let chosen = try QRCode(text: text)
        var matrix = QRMatrix(version: chosen.version)
        matrix.drawFunctionPatterns()
        matrix.placeData(QRCode.interleaved(QRCode.dataCodewords(Array(text.utf8), version: chosen.version), version: chosen.version))
        let penalties = (0..<8).map { matrix.masked($0).penalty }
        #expect(penalties[chosen.mask] == penalties.min())
        #expect(try QRCode(text: text, forceMask: chosen.mask) == chosen)
    }

    @Test func penaltyRulesScoreAsTheStandardSays() {
        #expect(QRMatrix.runPenalty([true, true, true, true, false]) == 0)
        #expect(QRMatrix.runPenalty([true, true, true, true, true, false]) == 3)
        #expect(QRMatrix.runPenalty([false, false, false, false, false, false, false]) == 5)
        let finderLike: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
        #expect(QRMatrix.finderLikePenalty(finderLike) == 40)
        #expect(QRMatrix.finderLikePenalty([true, false, true, true, false, false, true, false, false]) == 0)
    }

    @Test func svgHasNoStyleAndEscapesItsTitle() throws {
        let svg = try QRCode(text: "hello").svg(title: "Scan <this> & \"that\"")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(!svg.contains("style"))
        #expect(svg.contains("aria-label=\"Scan &lt;this&gt; &amp; &quot;that&quot;\""))
        #expect(svg.contains("viewBox=\"0 0 29 29\""))
    }
}
