import Foundation

/// Low-level text helpers shared by the normalisers and comparisons.
/// Work happens on ASCII bytes where possible because Foundation's Unicode
/// transforms are ~100x slower and most records are plain ASCII.
public enum TextKit {
    /// Upper-case ASCII letters and digits; everything else becomes a space.
    /// Non-ASCII text is first transliterated to Latin ASCII (so "Łukasz" → "LUKASZ",
    /// "Мария" → "MARIA"); scripts the transform cannot handle keep their letters.
    public static func fold(_ s: String, keepDigits: Bool = true) -> String {
        // Very long fields are almost certainly junk; cap the work we do on them.
        let input = s.utf8.count > 512 ? String(s.prefix(512)) : s
        var bytes = [UInt8]()
        bytes.reserveCapacity(input.utf8.count)
        var ascii = true
        for b in input.utf8 where b >= 0x80 { ascii = false; break }
        let source: String
        if ascii {
            source = input
        } else if let quick = latinFold(input) {
            source = quick
        } else {
            let latin = input.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false)
                ?? input.folding(options: [.diacriticInsensitive], locale: nil)
            source = latin
        }
        var lastSpace = true
        for scalar in source.unicodeScalars {
            let v = scalar.value
            var out: UInt8? = nil
            if v >= 0x61 && v <= 0x7A { out = UInt8(v - 32) }
            else if v >= 0x41 && v <= 0x5A { out = UInt8(v) }
            else if keepDigits && v >= 0x30 && v <= 0x39 { out = UInt8(v) }
            else if v == 0x27 || v == 0x2019 || v == 0x60 { continue } // apostrophes join: O'Brien → OBRIEN
            else if v >= 0x80 && scalar.properties.isAlphabetic {
                // A script without a Latin transform (or a stray letter): keep it as is,
                // upper-cased, so such names still compare exactly.
                let up = String(scalar).uppercased()
                bytes.append(contentsOf: Array(up.utf8))
                lastSpace = false
                continue
            }
            if let o = out {
                bytes.append(o); lastSpace = false
            } else if !lastSpace {
                bytes.append(0x20); lastSpace = true
            }
        }
        while bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Latin letters with diacritics (Polish, Romanian, Albanian, Vietnamese, French…) to
    /// ASCII, from a table built once. ICU's transliterator costs tens of microseconds a call,
    /// and these letters are most of the non-ASCII text in UK records.
    static let latinTable: [UInt32: String] = {
        var t = [UInt32: String]()
        let special: [UInt32: String] = [0x141: "L", 0x142: "l", 0x110: "D", 0x111: "d", 0xD8: "O", 0xF8: "o",
                                         0xDF: "ss", 0xC6: "AE", 0xE6: "ae", 0x152: "OE", 0x153: "oe", 0x131: "i",
                                         0xD0: "D", 0xF0: "d", 0xDE: "Th", 0xFE: "th", 0x126: "H", 0x127: "h"]
        for range in [0xC0...0x24F, 0x1E00...0x1EFF] {
            for v in range {
                guard let scalar = Unicode.Scalar(UInt32(v)), scalar.properties.isAlphabetic else { continue }
                if let sp = special[UInt32(v)] { t[UInt32(v)] = sp; continue }
                let folded = String(scalar).folding(options: [.diacriticInsensitive], locale: nil)
                if folded.unicodeScalars.allSatisfy({ $0.isASCII }) && !folded.isEmpty { t[UInt32(v)] = folded }
            }
        }
        for (k, v) in special { t[k] = v }
        // Combining marks (decomposed input) are dropped.
        for v in 0x300...0x36F { t[UInt32(v)] = "" }
        return t
    }()

    static func latinFold(_ s: String) -> String? {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar); continue }
            guard let r = latinTable[scalar.value] else { return nil }
            out += r
        }
        return out
    }

    /// Split folded text into words.
    @inlinable
    public static func words(_ s: String) -> [Substring] {
        s.split(separator: " ", omittingEmptySubsequences: true)
    }

    /// Stable 64-bit FNV-1a hash (Swift's Hasher is seeded per process, and blocking keys
    /// and pools must be the same in every run).
    @inlinable
    public static func hash<S: Sequence>(_ bytes: S, seed: UInt64 = 0xcbf29ce484222325) -> UInt64 where S.Element == UInt8 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return mix(h)
    }

    @inlinable
    public static func hash(_ s: String) -> UInt64 { hash(s.utf8) }

    /// Finaliser so that similar strings spread across the key space.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e3779b97f4a7c15
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }

    @inlinable
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a ^ (b &* 0x9e3779b97f4a7c15 &+ 0x632be59bd9b4e019))
    }
}

/// String similarity measures on byte arrays (names are folded to ASCII first).
public enum Similarity {
    /// Jaro–Winkler similarity in [0, 1].
    public static func jaroWinkler(_ a: [UInt8], _ b: [UInt8]) -> Double {
        let la = a.count, lb = b.count
        if la == 0 || lb == 0 { return la == lb ? 1 : 0 }
        if a == b { return 1 }
        let window = max(0, max(la, lb) / 2 - 1)
        // Names are short; fixed stack-like buffers avoid allocation in the hot loop.
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: la + lb) { flags in
            for i in 0..<(la + lb) { flags[i] = false }
            var matches = 0
            for i in 0..<la {
                let lo = max(0, i - window), hi = min(lb - 1, i + window)
                if lo > hi { continue }
                for j in lo...hi where !flags[la + j] && a[i] == b[j] {
                    flags[i] = true; flags[la + j] = true; matches += 1; break
                }
            }
            if matches == 0 { return 0 }
            var t = 0, k = 0
            for i in 0..<la where flags[i] {
                while !flags[la + k] { k += 1 }
                if a[i] != b[k] { t += 1 }
                k += 1
            }
            let m = Double(matches)
            let jaro = (m / Double(la) + m / Double(lb) + (m - Double(t / 2)) / m) / 3
            var prefix = 0
            while prefix < min(4, min(la, lb)) && a[prefix] == b[prefix] { prefix += 1 }
            return jaro + Double(prefix) * 0.1 * (1 - jaro)
        }
    }

    /// Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions),
    /// stopping early once it exceeds `limit`.
    public static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int = .max) -> Int {
        let la = a.count, lb = b.count
        if abs(la - lb) > limit { return limit + 1 }
        if la == 0 { return lb }
        if lb == 0 { return la }
        var prev2 = [Int](repeating: 0, count: lb + 1)
        var prev = Array(0...lb)
        var cur = [Int](repeating: 0, count: lb + 1)
        for i in 1...la {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...lb {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = min(v, prev2[j - 2] + 1)
                }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[lb]
    }
}

/// A phonetic key written for the names seen in UK anti-slavery work: English,
/// Albanian, Romanian, Polish, Vietnamese, Arabic and Tigrinya names in Latin spelling.
/// It merges spellings that sound alike (Mohammed/Muhammad, Tesfaye/Tesfay,
/// Ghebre/Gebre, Hoxha/Hodja) while keeping the first letter's sound.
public enum Phonetic {
    public static func key(_ folded: String) -> String {
        var s = Array(folded.utf8.filter { $0 >= 0x41 && $0 <= 0x5A })
        if s.isEmpty { return "" }
        if s.count > 40 { s = Array(s.prefix(40)) }
        // Multi-letter rewrites first (longest first).
        let rules: [([UInt8], [UInt8])] = [
            (Array("SCH".utf8), Array("S".utf8)), (Array("TCH".utf8), Array("C".utf8)),
            (Array("XH".utf8), Array("J".utf8)), (Array("DJ".utf8), Array("J".utf8)),
            (Array("DH".utf8), Array("D".utf8)), (Array("TH".utf8), Array("T".utf8)),
            (Array("PH".utf8), Array("F".utf8)), (Array("GH".utf8), Array("G".utf8)),
            (Array("KH".utf8), Array("H".utf8)), (Array("CK".utf8), Array("K".utf8)),
            (Array("CH".utf8), Array("C".utf8)), (Array("SH".utf8), Array("S".utf8)),
            (Array("SZ".utf8), Array("S".utf8)), (Array("CZ".utf8), Array("C".utf8)),
            (Array("RZ".utf8), Array("J".utf8)), (Array("NG".utf8), Array("N".utf8)),
            (Array("QU".utf8), Array("K".utf8)), (Array("OU".utf8), Array("U".utf8)),
            (Array("EE".utf8), Array("I".utf8)), (Array("OO".utf8), Array("U".utf8)),
        ]
        var out = [UInt8]()
        out.reserveCapacity(s.count)
        var i = 0
        outer: while i < s.count {
            for (from, to) in rules where i + from.count <= s.count {
                var ok = true
                for k in 0..<from.count where s[i + k] != from[k] { ok = false; break }
                if ok { out.append(contentsOf: to); i += from.count; continue outer }
            }
            out.append(s[i]); i += 1
        }
        var key = [UInt8]()
        for (idx, c) in out.enumerated() {
            var m: UInt8
            switch c {
            case UInt8(ascii: "A"), UInt8(ascii: "E"), UInt8(ascii: "I"), UInt8(ascii: "O"),
                 UInt8(ascii: "U"), UInt8(ascii: "Y"), UInt8(ascii: "W"), UInt8(ascii: "H"):
                m = idx == 0 ? UInt8(ascii: "A") : 0
            case UInt8(ascii: "C"), UInt8(ascii: "K"), UInt8(ascii: "Q"), UInt8(ascii: "G"): m = UInt8(ascii: "K")
            case UInt8(ascii: "X"): m = UInt8(ascii: "K")
            case UInt8(ascii: "Z"), UInt8(ascii: "S"): m = UInt8(ascii: "S")
            case UInt8(ascii: "J"): m = UInt8(ascii: "J")
            case UInt8(ascii: "B"), UInt8(ascii: "P"): m = UInt8(ascii: "P")
            case UInt8(ascii: "V"), UInt8(ascii: "F"): m = UInt8(ascii: "F")
            case UInt8(ascii: "D"), UInt8(ascii: "T"): m = UInt8(ascii: "T")
            case UInt8(ascii: "M"), UInt8(ascii: "N"): m = idx == 0 ? c : UInt8(ascii: "N")
            default: m = c
            }
            if m == 0 { continue }
            if key.last == m { continue }
            key.append(m)
        }
        if key.count > 8 { key = Array(key.prefix(8)) }
        return String(decoding: key, as: UTF8.self)
    }
}
