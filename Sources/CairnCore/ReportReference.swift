/// The reference a reporter is given, e.g. `CRN-7K4P-Q2`: five random characters and a
/// check character, from an alphabet without 0/O, 1/I/L and U so it can be read aloud,
/// handwritten and typed back without confusion.
public struct ReportReference: Hashable, Sendable, CustomStringConvertible {
    public static let prefix = "CRN"
    /// 30 characters: digits 2–9 and letters without I, L, O, U.
    public static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let payloadLength = 5

    /// The canonical form, `CRN-XXXX-XX`.
    public let value: String

    public var description: String { value }

    private init(payload: [Character]) {
        let all = payload + [Self.checkCharacter(for: payload)]
        value = "\(Self.prefix)-\(String(all[0..<4]))-\(String(all[4...]))"
    }

    /// A new random reference. Uniqueness is the store's job (retry on a clash).
    public static func generate(using generator: inout some RandomNumberGenerator) -> ReportReference {
        ReportReference(payload: (0..<payloadLength).map { _ in alphabet.randomElement(using: &generator) ?? "2" })
    }

    /// Accepts what people type: any case, with or without the prefix, dashes or spaces, and
    /// characters misread as ones not in the alphabet (O or 0 for D or Q, I, L or 1 for 7, J
    /// or T, U for V). Misreadings are resolved by the check character, and refused when more
    /// than one reading fits.
    public init(parsing text: String) throws(ReportReferenceError) {
        var chars = text.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" && $0 != "." }
        if chars.hasPrefix(Self.prefix), chars.count == Self.prefix.count + Self.payloadLength + 1 {
            chars.removeFirst(Self.prefix.count)
        }
        guard chars.count == Self.payloadLength + 1 else { throw .wrongLength }
        var options: [[Character]] = []
        for (offset, c) in chars.enumerated() {
            if Self.alphabet.contains(c) {
                options.append([c])
            } else if let readings = Self.misreadings[c] {
                options.append(readings)
            } else {
                throw .invalidCharacter(position: offset + 1)
            }
        }
        var candidates: [[Character]] = [[]]
        for choice in options { candidates = candidates.flatMap { prefix in choice.map { prefix + [$0] } } }
        let valid = candidates.filter { Self.isValid($0) }
        guard let first = valid.first else { throw .checkFailed }
        guard valid.count == 1 else { throw .ambiguous }
        self.init(payload: Array(first.dropLast()))
    }

    static let misreadings: [Character: [Character]] = [
        "0": ["D", "Q"], "O": ["D", "Q"],
        "1": ["7", "J", "T"], "I": ["7", "J", "T"], "L": ["7", "J", "T"],
        "U": ["V"],
    ]

    // Luhn mod N: catches every single wrong character and most swaps of neighbours.
    static func checkCharacter(for payload: [Character]) -> Character {
        let n = alphabet.count
        var factor = 2, sum = 0
        for c in payload.reversed() {
            // Parsing admits only characters of the alphabet.
            let addend = factor * (alphabet.firstIndex(of: c) ?? 0)
            sum += addend / n + addend % n
            factor = factor == 2 ? 1 : 2
        }
        return alphabet[(n - sum % n) % n]
    }

    static func isValid(_ chars: [Character]) -> Bool {
        guard let check = chars.last else { return false }
        return checkCharacter(for: Array(chars.dropLast())) == check
    }
}

extension ReportReference: Codable {
    /// Stored and sent as the canonical string; decoding checks it like typed input.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

public enum ReportReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    case wrongLength
    case invalidCharacter(position: Int)
    case checkFailed
    case ambiguous

    public var description: String {
        switch self {
        case .wrongLength: "A reference looks like CRN-7K4P-Q2: six letters and numbers after CRN."
        case .invalidCharacter(let position): "Character \(position) of the reference cannot appear in a reference. Check it and try again."
        case .checkFailed: "That reference has a mistake in it. Check each character and try again."
        case .ambiguous: "We could not be sure which reference you meant. Check any O, 0, I, L, 1 or U and try again."
        }
    }
}

/// Words the reporter keeps to check the status of their report. Only a hash is stored.
public struct Passphrase: Hashable, Sendable, CustomStringConvertible {
    public static let separator = "-"
    public static let defaultWordCount = 4

    public let words: [String]

    public var description: String { words.joined(separator: Self.separator) }

    public static func generate(wordCount: Int = defaultWordCount,
                                using generator: inout some RandomNumberGenerator) -> Passphrase {
        Passphrase(words: (0..<max(1, wordCount)).map { _ in Self.words.randomElement(using: &generator) ?? "cairn" })
    }

    /// The form to hash and compare: lower case, folded (`fold`: "Mèo" and "meo" are the same
    /// word), words joined by single dashes, whatever the person typed between them
    /// ("Apple  Bread.candle" → "apple-bread-candle"). English words are unchanged by folding, so
    /// passphrases given before folding existed still match.
    public static func normalise(_ typed: String) -> String {
        fold(typed).split(whereSeparator: { !$0.isLetter }).joined(separator: separator)
    }
}
