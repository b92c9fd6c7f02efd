import Foundation

/// A UK postcode split into its parts ("SW1A 1AA": area SW, district SW1A, sector SW1A 1).
public struct Postcode: Sendable, Hashable, Codable {
    public var outward: String
    public var inward: String
    public var full: String { "\(outward) \(inward)" }
    /// The postcode district (the outward code), used for hotspots and weak evidence.
    public var district: String { outward }
    public var sector: String { "\(outward) \(inward.prefix(1))" }
    public var area: String { String(outward.prefix { $0.isLetter }) }
}

public enum PostcodeNormaliser {
    /// Parse and validate a UK postcode; tolerant of case, spacing and the common O/0 and I/1
    /// slips in the inward code. Returns nil for anything that is not a valid shape.
    public static func parse(_ raw: String) -> Postcode? {
        var chars = [UInt8]()
        for b in raw.utf8.prefix(32) {
            if b >= 0x61 && b <= 0x7A { chars.append(b - 32) }
            else if (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) { chars.append(b) }
        }
        guard chars.count >= 5 && chars.count <= 7 else { return nil }
        var inward = Array(chars.suffix(3))
        let outward = Array(chars.prefix(chars.count - 3))
        // Inward code is digit-letter-letter; fix obvious confusions.
        if inward[0] == UInt8(ascii: "O") { inward[0] = UInt8(ascii: "0") }
        if inward[0] == UInt8(ascii: "I") { inward[0] = UInt8(ascii: "1") }
        func isL(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        func isD(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        guard isD(inward[0]), isL(inward[1]), isL(inward[2]) else { return nil }
        // Outward: A9, A99, AA9, AA99, A9A, AA9A.
        let o = outward
        let valid: Bool
        switch o.count {
        case 2: valid = isL(o[0]) && isD(o[1])
        case 3: valid = isL(o[0]) && ((isD(o[1]) && isD(o[2])) || (isL(o[1]) && isD(o[2])) || (isD(o[1]) && isL(o[2])))
        case 4: valid = isL(o[0]) && isL(o[1]) && isD(o[2]) && (isD(o[3]) || isL(o[3]))
        default: valid = false
        }
        guard valid else { return nil }
        return Postcode(outward: String(decoding: o, as: UTF8.self), inward: String(decoding: inward, as: UTF8.self))
    }

    /// The district from a partial postcode ("M14", "m14 5") when the full code is unknown.
    public static func district(_ raw: String) -> String? {
        if let p = parse(raw) { return p.district }
        let w = TextKit.words(TextKit.fold(raw)).first.map(String.init) ?? ""
        if w.count >= 2 && w.count <= 4, w.first?.isLetter == true, w.contains(where: { $0.isNumber }) { return w }
        return nil
    }
}

public enum PhoneNormaliser {
    /// E.164 ("+447700900123") from UK national, international, "0044" and "(0)" forms.
    /// Returns nil when there are too few digits to be a phone number.
    public static func e164(_ raw: String, defaultCountry: String = "44") -> String? {
        var digits = [UInt8]()
        var plus = false
        var seenDigit = false
        for b in raw.utf8.prefix(64) {
            if b == UInt8(ascii: "+") && !seenDigit { plus = true }
            if b >= 0x30 && b <= 0x39 { digits.append(b); seenDigit = true }
        }
        var d = String(decoding: digits, as: UTF8.self)
        // "+44 (0)7700 900123": drop the trunk zero written in brackets.
        if raw.contains("(0)") , let r = d.range(of: "440"), r.lowerBound == d.startIndex { d = "44" + d.dropFirst(3) }
        if d.hasPrefix("00") { d = String(d.dropFirst(2)); plus = true }
        if plus {
            if d.hasPrefix("440") { d = "44" + d.dropFirst(3) }
        } else if d.hasPrefix("0") {
            d = defaultCountry + d.dropFirst()
        } else if d.hasPrefix("44") && d.count == 12 {
            // 447700900123 written without the plus
        } else if d.count == 10 && d.hasPrefix("7") {
            d = defaultCountry + d   // mobile with the leading zero lost
        } else if !plus {
            d = defaultCountry + d
        }
        guard d.count >= 9 && d.count <= 15 else { return nil }
        return "+" + d
    }
}

/// A normalised address: the parts that identify a dwelling.
public struct AddressKey: Sendable, Hashable, Codable {
    /// Flat or unit ("FLAT 2", "2A"), house number or name and street, folded and expanded.
    public var flat: String
    public var number: String
    public var street: String
    /// The dwelling as one comparable string, e.g. "FLAT 2 12 HIGH STREET".
    public var key: String {
        [flat.isEmpty ? "" : "FLAT \(flat)", number, street].filter { !$0.isEmpty }.joined(separator: " ")
    }
    /// The building without the flat: co-residents of an HMO share this.
    public var building: String { [number, street].filter { !$0.isEmpty }.joined(separator: " ") }
}

public enum AddressNormaliser {
    static let expansions: [String: String] = [
        "RD": "ROAD", "ST": "STREET", "STR": "STREET", "AVE": "AVENUE", "AV": "AVENUE", "LN": "LANE",
        "DR": "DRIVE", "CT": "COURT", "CRT": "COURT", "PL": "PLACE", "SQ": "SQUARE", "CRES": "CRESCENT",
        "CR": "CRESCENT", "TER": "TERRACE", "TERR": "TERRACE", "GDNS": "GARDENS", "GRN": "GREEN",
        "GR": "GROVE", "GRV": "GROVE", "CL": "CLOSE", "PK": "PARK", "HSE": "HOUSE", "HO": "HOUSE",
        "BLDG": "BUILDING", "BLDGS": "BUILDINGS", "WY": "WAY", "PDE": "PARADE", "HWY": "HIGHWAY",
        "MT": "MOUNT", "N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST", "UPR": "UPPER", "LWR": "LOWER",
        "APT": "FLAT", "APARTMENT": "FLAT", "UNIT": "FLAT", "FLT": "FLAT", "RM": "ROOM",
    ]

    /// Normalise an address line. A trailing postcode or town in the text is ignored
    /// (they are compared separately); "Flat 2, 12 High St" and "2/12 High Street" agree.
    public static func parse(_ raw: String, town: String = "") -> AddressKey {
        var text = raw
        if text.utf8.count > 300 { text = String(text.prefix(300)) }
        // "2/12" means flat 2 at number 12.
        var flat = ""
        // Folding drops punctuation, so mark the slash with a word first.
        let marked = text.utf8.contains(UInt8(ascii: "/")) ? text.replacingOccurrences(of: "/", with: " QQSLASHQQ ") : text
        var words = TextKit.words(TextKit.fold(marked)).map(String.init)
        if let slash = words.firstIndex(of: "QQSLASHQQ"), slash > 0, slash + 1 < words.count,
           words[slash + 1].first?.isNumber == true {
            flat = words[slash - 1]; words.removeSubrange((slash - 1)...slash)
        }
        words = words.filter { $0 != "QQSLASHQQ" }
        // Drop a trailing postcode and the town.
        if words.count >= 2, PostcodeNormaliser.parse(words.suffix(2).joined()) != nil { words.removeLast(2) }
        else if let last = words.last, PostcodeNormaliser.parse(last) != nil { words.removeLast() }
        let townWords = TextKit.words(TextKit.fold(town)).map(String.init)
        if !townWords.isEmpty, words.count > townWords.count, Array(words.suffix(townWords.count)) == townWords {
            words.removeLast(townWords.count)
        }
        var out = [String]()
        var i = 0
        var number = ""
        while i < words.count {
            let w = expansions[words[i]] ?? words[i]
            if (w == "FLAT" || w == "ROOM") && i + 1 < words.count {
                flat = words[i + 1]; i += 2; continue
            }
            if number.isEmpty, w.first?.isNumber == true {
                // "12A" or "12" is the house number; the first numeric token wins.
                number = w
                i += 1
                continue
            }
            out.append(w)
            i += 1
        }
        // "ST" before a name is Saint: keep "STREET" only at the end.
        if out.count > 1 {
            for k in 0..<(out.count - 1) where out[k] == "STREET" { out[k] = "SAINT" }
        }
        return AddressKey(flat: flat, number: number, street: out.joined(separator: " "))
    }
}

public enum EmailNormaliser {
    /// Lower-case; for Gmail drop dots and "+tags" in the local part (they reach one mailbox).
    public static func normalise(_ raw: String) -> String? {
        let s = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard s.utf8.count <= 254, let at = s.lastIndex(of: "@") else { return nil }
        var local = String(s[..<at])
        var domain = String(s[s.index(after: at)...])
        guard !local.isEmpty, domain.contains("."), !domain.contains(" "), !local.contains(" ") else { return nil }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        if domain == "gmail.com" { local = local.replacingOccurrences(of: ".", with: "") }
        guard !local.isEmpty else { return nil }
        return local + "@" + domain
    }
}

public enum VehicleNormaliser {
    /// UK registrations (current AB12 CDE, prefix A123 BCD, suffix ABC 123D, dateless) folded
    /// to upper-case without spaces. Returns nil for text with no letters or digits.
    public static func normalise(_ raw: String) -> String? {
        var out = [UInt8]()
        for b in raw.utf8.prefix(32) {
            if b >= 0x61 && b <= 0x7A { out.append(b - 32) }
            else if (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) { out.append(b) }
        }
        guard out.count >= 2 && out.count <= 8 else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a normalised registration has a recognised UK format.
    public static func isUKFormat(_ reg: String) -> Bool {
        let c = Array(reg.utf8)
        func L(_ i: Int) -> Bool { c[i] >= 0x41 && c[i] <= 0x5A }
        func D(_ i: Int) -> Bool { c[i] >= 0x30 && c[i] <= 0x39 }
        if c.count == 7 && L(0) && L(1) && D(2) && D(3) && L(4) && L(5) && L(6) { return true }      // AB12CDE
        if c.count >= 5 && c.count <= 7 && L(0) && L(c.count - 1) && L(c.count - 2) && L(c.count - 3) {  // A123BCD
            return (1..<(c.count - 3)).allSatisfy(D)
        }
        if c.count >= 5 && c.count <= 7 && L(0) && L(1) && L(2) && L(c.count - 1) {               // ABC123D
            return (3..<(c.count - 1)).allSatisfy(D)
        }
        return false
    }
}

public enum UsernameNormaliser {
    /// Handles: "@Name_1" → "name_1"; a profile URL is reduced to its handle.
    public static func normalise(_ raw: String) -> String? {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if s.utf8.count > 256 { s = String(s.prefix(256)) }
        if s.contains("/") , let u = URLNormaliser.normalise(s) {
            s = String(u.split(separator: "/").last ?? "")
        }
        while s.hasPrefix("@") { s.removeFirst() }
        let kept = s.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "." || $0 == "-" }
        let out = String(String.UnicodeScalarView(kept))
        return out.isEmpty ? nil : out
    }
}

public enum URLNormaliser {
    /// Lower-case host, no scheme, no "www.", no query or fragment, no trailing slash.
    public static func normalise(_ raw: String) -> String? {
        var s = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.utf8.count > 2048 { s = String(s.prefix(2048)) }
        for p in ["https://", "http://", "HTTPS://", "HTTP://"] where s.hasPrefix(p) { s = String(s.dropFirst(p.count)) }
        if let q = s.firstIndex(where: { $0 == "?" || $0 == "#" }) { s = String(s[..<q]) }
        var parts = s.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty else { return nil }
        parts[0] = parts[0].lowercased()
        if parts[0].hasPrefix("www.") { parts[0] = String(parts[0].dropFirst(4)) }
        if parts[0].hasPrefix("m.") { parts[0] = String(parts[0].dropFirst(2)) }
        guard parts[0].contains("."), !parts[0].contains(" ") else { return nil }
        return parts.joined(separator: "/")
    }
}

public enum BusinessNormaliser {
    static let suffixes: Set<String> = ["LTD", "LIMITED", "PLC", "LLP", "LP", "CO", "COMPANY", "INC", "UK", "GROUP", "SERVICES", "SERVICE", "THE", "AND"]

    /// "Sparkle Hand Car Wash Ltd t/a Sparkle" → trading name "SPARKLE" is ignored,
    /// legal name kept: "SPARKLE HAND CAR WASH". Legal-form words and "&" are dropped.
    public static func normalise(_ raw: String) -> String? {
        var s = raw
        if s.utf8.count > 300 { s = String(s.prefix(300)) }
        let lowered = s.lowercased()
        for marker in [" t/a ", " ta ", " trading as "] {
            if let r = lowered.range(of: marker) {
                let offset = lowered.distance(from: lowered.startIndex, to: r.lowerBound)
                s = String(s.prefix(offset))
                break
            }
        }
        let words = TextKit.words(TextKit.fold(s.replacingOccurrences(of: "&", with: " "))).map(String.init)
            .filter { !suffixes.contains($0) }
        let out = words.joined(separator: " ")
        return out.isEmpty ? nil : out
    }
}
