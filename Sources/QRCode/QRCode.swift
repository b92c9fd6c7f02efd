/// A QR code symbol (ISO/IEC 18004), encoded in byte mode at error-correction level M, in the
/// smallest version (1–40) that holds the data, with the mask of lowest penalty.
/// Pure Swift with no dependencies; `svg` draws it.
public struct QRCode: Sendable, Equatable {
    /// 1–40.
    public let version: Int
    /// 0–7.
    public let mask: Int
    /// Modules per side: 17 + 4 × version.
    public var size: Int { 17 + 4 * version }
    /// Row-major, `true` for a dark module.
    public let modules: [Bool]

    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    public enum EncodingError: Error, Equatable {
        /// More than 2,331 bytes: the most a version-40-M symbol holds in byte mode.
        case tooLong(bytes: Int)
    }

    /// Encodes `text` as UTF-8 bytes. `forceMask` is for tests.
    public init(text: String, forceMask: Int? = nil) throws(EncodingError) {
        try self.init(bytes: Array(text.utf8), forceMask: forceMask)
    }

    public init(bytes: [UInt8], forceMask: Int? = nil) throws(EncodingError) {
        guard let version = Self.smallestVersion(for: bytes.count) else { throw .tooLong(bytes: bytes.count) }
        let codewords = Self.interleaved(Self.dataCodewords(bytes, version: version), version: version)
        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeData(codewords)
        let chosen = forceMask.map { max(0, min(7, $0)) } ?? (0..<8).min { a, b in
            matrix.masked(a).penalty < matrix.masked(b).penalty
        } ?? 0
        let final = matrix.masked(chosen)
        self.version = version
        self.mask = chosen
        self.modules = final.dark
    }

    // MARK: Capacity (level M)

    /// Error-correction codewords per block at level M, by version.
    static let eccPerBlock = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
                              26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28]
    /// Error-correction blocks at level M, by version.
    static let blocks = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
                         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49]

    /// Modules left for codewords once the function patterns are drawn.
    static func rawDataModules(version v: Int) -> Int {
        var result = (16 * v + 128) * v + 64
        if v >= 2 {
            let alignments = v / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if v >= 7 { result -= 36 }
        }
        return result
    }

    static func totalCodewords(version: Int) -> Int { rawDataModules(version: version) / 8 }

    static func dataCapacity(version: Int) -> Int {
        totalCodewords(version: version) - eccPerBlock[version - 1] * blocks[version - 1]
    }

    static func countBits(version: Int) -> Int { version <= 9 ? 8 : 16 }

    static func smallestVersion(for byteCount: Int) -> Int? {
        (1...40).first { v in 4 + countBits(version: v) + 8 * byteCount <= 8 * dataCapacity(version: v) }
    }

    // MARK: Codewords

    /// Mode 0100 (byte), the count, the bytes, a terminator of up to four zero bits, zero bits
    /// to a byte boundary, then alternating pad bytes 0xEC 0x11.
    static func dataCodewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits(version: version))
        for b in bytes { bits.append(Int(b), count: 8) }
        let capacityBits = dataCapacity(version: version) * 8
        bits.append(0, count: min(4, capacityBits - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var result = bits.bytes
        var pad: UInt8 = 0xEC
        while result.count < dataCapacity(version: version) {
            result.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return result
    }

    /// Splits the data into blocks, adds each block's error correction, and interleaves:
    /// the i-th data codeword of every block in turn, then the i-th EC codeword of every block.
    static func interleaved(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = blocks[version - 1], ecc = eccPerBlock[version - 1]
        let total = totalCodewords(version: version)
        let shortBlocks = blockCount - total % blockCount
        let shortLength = total / blockCount
        var dataBlocks: [[UInt8]] = [], eccBlocks: [[UInt8]] = []
        var offset = 0
        for i in 0..<blockCount {
            let length = shortLength - ecc + (i < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<(offset + length)])
            offset += length
            dataBlocks.append(block)
            eccBlocks.append(ReedSolomon.remainder(block, degree: ecc))
        }
        var result: [UInt8] = []
        result.reserveCapacity(total)
        for i in 0..<(shortLength - ecc + 1) {
            for block in dataBlocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<ecc {
            for block in eccBlocks { result.append(block[i]) }
        }
        return result
    }
}

struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        guard count > 0 else { return }
        for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) }
    }

    var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
        for (i, bit) in bits.enumerated() where bit { result[i / 8] |= 0x80 >> UInt8(i % 8) }
        return result
    }
}
