// The national side's checks on a received release, each failure with its own plain reason.

import Crypto
import Foundation

public enum ReleaseRejection: Error, Equatable, Sendable {
    case unknownPartnership(String)
    case unsigned
    case badSignature
    case replay
    case outOfOrder(String)
    case badPeriod(String)
    case badSchema(String)

    /// A sentence for people and API clients.
    public var message: String {
        switch self {
        case .unknownPartnership(let p): "The partnership '\(p)' is not registered here, so its signature cannot be checked."
        case .unsigned: "The release is not signed."
        case .badSignature: "The signature does not match the release: it was changed after signing or signed with another key."
        case .replay: "This release has already been accepted."
        case .outOfOrder(let why): "The release is out of order: \(why)."
        case .badPeriod(let p): "The period '\(p)' is not a quarter (YYYY-Qn) or a year (YYYY)."
        case .badSchema(let why): "The release is malformed: \(why)."
        }
    }
}

public enum ReleaseVerifier {
    public static let methods: Set<String> = ["suppression", "dp-laplace", "dp-gaussian"]

    /// Checks, in order: a key is known, a signature is present and valid, the release is new,
    /// it follows the last accepted one, its period and its tables are well formed.
    public static func verify(_ release: SignedRelease, key: Curve25519.Signing.PublicKey?, last: (sequence: Int, hash: String)?,
                              seenHashes: Set<String>) throws(ReleaseRejection) {
        guard let key else { throw .unknownPartnership(release.partnership) }
        guard !release.signature.isEmpty else { throw .unsigned }
        guard let sig = Data(base64Encoded: release.signature), sig.count == 64,
              key.isValidSignature(sig, for: release.canonicalBytes()) else { throw .badSignature }
        let hash = release.hash
        guard !seenHashes.contains(hash) else { throw .replay }
        if let last {
            guard release.sequence == last.sequence + 1 else {
                throw .outOfOrder("expected release \(last.sequence + 1) after \(last.sequence), got \(release.sequence)")
            }
            guard release.previous == last.hash else { throw .outOfOrder("it does not name the last accepted release as its previous one") }
        } else {
            guard release.sequence == 1 else { throw .outOfOrder("the first release must be number 1, got \(release.sequence)") }
            guard release.previous == nil else { throw .outOfOrder("the first release cannot name a previous one") }
        }
        guard isPeriod(release.period) else { throw .badPeriod(release.period) }
        try checkSchema(release)
    }

    /// "2026" or "2026-Q1" … "2026-Q4" (years 1900–9999).
    public static func isPeriod(_ p: String) -> Bool {
        let b = Array(p.utf8)
        guard b.count == 4 || b.count == 7, b.prefix(4).allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let year = Int(String(decoding: b.prefix(4), as: UTF8.self)), year >= 1900 else { return false }
        if b.count == 4 { return true }
        return b[4] == UInt8(ascii: "-") && b[5] == UInt8(ascii: "Q") && (49...52).contains(b[6])
    }

    static func checkSchema(_ r: SignedRelease) throws(ReleaseRejection) {
        guard !r.id.isEmpty, r.id.count <= 200 else { throw .badSchema("the id is empty or too long") }
        guard methods.contains(r.method) else { throw .badSchema("unknown method '\(r.method)'") }
        guard !r.tables.isEmpty else { throw .badSchema("it has no tables") }
        var names = Set<String>()
        for t in r.tables {
            guard !t.name.isEmpty, names.insert(t.name).inserted else { throw .badSchema("a table name is empty or repeated") }
            guard (1...2).contains(t.dimensions.count), Set(t.dimensions).count == t.dimensions.count else {
                throw .badSchema("table '\(t.name)' must have one or two different dimensions")
            }
            guard !t.cells.isEmpty else { throw .badSchema("table '\(t.name)' has no cells") }
            var keys = Set<[String: String]>()
            for c in t.cells {
                for d in c.key.keys where !t.dimensions.contains(d) {
                    throw .badSchema("a cell of table '\(t.name)' names the dimension '\(d)', which the table does not have")
                }
                guard keys.insert(c.key).inserted else { throw .badSchema("table '\(t.name)' repeats a cell") }
                if let v = c.value, v < 0 { throw .badSchema("table '\(t.name)' has a negative count") }
                if let e = c.error95, !(e.isFinite && e >= 0) { throw .badSchema("table '\(t.name)' has an invalid error") }
            }
        }
    }
}
