import Crypto
import Foundation
import Testing
@testable import Disclosure

@Suite("Signed releases")
struct SigningTests {
    let key = Curve25519.Signing.PrivateKey()

    func release(_ n: Int, previous: String?, period: String = "2026-Q1") -> SignedRelease {
        SignedRelease(partnership: "westmere", sequence: n, id: "westmere-\(n)", period: period, method: "suppression",
                      parameters: ["k": "10", "rounding": "5"], revises: nil,
                      tables: [PublishedTable(name: "By type", dimensions: ["type"], cells: [
                          PublishedCell(key: ["type": "Labour"], value: nil, error95: nil),
                          PublishedCell(key: ["type": "Sexual"], value: 15, error95: nil),
                          PublishedCell(key: [:], value: 20, error95: nil),
                      ])], previous: previous)
    }

    func chain(_ count: Int) throws -> [SignedRelease] {
        var out: [SignedRelease] = []
        for n in 1...count { out.append(try release(n, previous: out.last?.hash).signed(with: key)) }
        return out
    }

    /// Accepts releases in order like the national side would, returning the first rejection.
    func accept(_ releases: [SignedRelease], key: Curve25519.Signing.PublicKey?) -> ReleaseRejection? {
        var last: (sequence: Int, hash: String)?
        var seen = Set<String>()
        for r in releases {
            do throws(ReleaseRejection) {
                try ReleaseVerifier.verify(r, key: key, last: last, seenHashes: seen)
            } catch { return error }
            last = (r.sequence, r.hash)
            seen.insert(r.hash)
        }
        return nil
    }

    @Test func canonicalBytesAreSortedCompactAndExcludeTheSignature() throws {
        let r = release(1, previous: nil)
        let text = String(decoding: r.canonicalBytes(), as: UTF8.self)
        #expect(text.hasPrefix(#"{"id":"westmere-1","method":"suppression","parameters":{"k":"10","rounding":"5"},"partnership":"westmere","period":"2026-Q1","previous":null,"revises":null,"sequence":1,"tables":[{"cells":[{"error95":null,"key":{"type":"Labour"},"value":null}"#))
        #expect(!text.contains("\n") && !text.contains(": "))
        #expect(!text.contains("signature"))
        let signed = try r.signed(with: key)
        #expect(signed.canonicalBytes() == r.canonicalBytes())
        #expect(signed.hash.count == 64)
        // Through JSON and back, the bytes and the signature still check out.
        let json = try JSONEncoder().encode(signed)
        let back = try JSONDecoder().decode(SignedRelease.self, from: json)
        #expect(back.canonicalBytes() == signed.canonicalBytes())
        #expect(accept([back], key: key.publicKey) == nil)
        let shape = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(shape["previous"] is NSNull)
    }

    @Test func aGoodChainIsAccepted() throws {
        #expect(accept(try chain(4), key: key.publicKey) == nil)
    }

    @Test func aOneByteChangeIsABadSignature() throws {
        let good = try chain(1)[0]
        var json = try #require(String(data: JSONEncoder().encode(good), encoding: .utf8))
        json = json.replacingOccurrences(of: "\"value\":15", with: "\"value\":16")
        let tampered = try JSONDecoder().decode(SignedRelease.self, from: Data(json.utf8))
        #expect(accept([tampered], key: key.publicKey) == .badSignature)
        // Any single field changed, including the chain link.
        var other = good
        other.period = "2026-Q2"
        #expect(accept([other], key: key.publicKey) == .badSignature)
        var garbled = good
        garbled.signature = "not base64!"
        #expect(accept([garbled], key: key.publicKey) == .badSignature)
    }

    @Test func aReorderedChainIsOutOfOrder() throws {
        let c = try chain(3)
        guard case .outOfOrder = accept([c[0], c[2], c[1]], key: key.publicKey) else { Issue.record("expected out of order"); return }
        guard case .outOfOrder = accept([c[1]], key: key.publicKey) else { Issue.record("expected out of order"); return }
        // Right number, wrong link.
        let forged = try release(2, previous: String(repeating: "0", count: 64)).signed(with: key)
        guard case .outOfOrder = accept([c[0], forged], key: key.publicKey) else { Issue.record("expected out of order"); return }
    }

    @Test func aReplayIsRejected() throws {
        let c = try chain(2)
        #expect(accept([c[0], c[1], c[1]], key: key.publicKey) == .replay)
        #expect(accept([c[0], c[0]], key: key.publicKey) == .replay)
    }

    @Test func anUnknownKeyOrAMissingSignatureIsRejected() throws {
        #expect(accept(try chain(1), key: nil) == .unknownPartnership("westmere"))
        let otherKey = Curve25519.Signing.PrivateKey().publicKey
        #expect(accept(try chain(1), key: otherKey) == .badSignature)
        #expect(accept([release(1, previous: nil)], key: key.publicKey) == .unsigned)
        let noSignatureField = try JSONDecoder().decode(SignedRelease.self, from: Data(#"{"partnership":"w","sequence":1,"id":"a","period":"2026","method":"suppression","tables":[]}"#.utf8))
        #expect(accept([noSignatureField], key: key.publicKey) == .unsigned)
    }

    @Test func badPeriodsAndSchemasAreRejectedWithTheirReason() throws {
        #expect(accept([try release(1, previous: nil, period: "2026-Q5").signed(with: key)], key: key.publicKey) == .badPeriod("2026-Q5"))
        #expect(accept([try release(1, previous: nil, period: "26-Q1").signed(with: key)], key: key.publicKey) == .badPeriod("26-Q1"))
        #expect(ReleaseVerifier.isPeriod("2026") && ReleaseVerifier.isPeriod("2026-Q4") && !ReleaseVerifier.isPeriod("2026-q1"))
        func rejected(_ change: (inout SignedRelease) -> Void) throws -> Bool {
            var r = release(1, previous: nil)
            change(&r)
            guard case .badSchema = accept([try r.signed(with: key)], key: key.publicKey) else { return false }
            return true
        }
        #expect(try rejected { $0.tables = [] })
        #expect(try rejected { $0.method = "guesswork" })
        #expect(try rejected { $0.tables[0] = PublishedTable(name: "T", dimensions: ["type"], cells: [PublishedCell(key: ["age": "adult"], value: 1, error95: nil)]) })
        #expect(try rejected { $0.tables[0] = PublishedTable(name: "T", dimensions: ["type"], cells: [PublishedCell(key: [:], value: -1, error95: nil)]) })
        #expect(try rejected { $0.tables[0] = PublishedTable(name: "T", dimensions: ["type"], cells: [PublishedCell(key: [:], value: 1, error95: nil), PublishedCell(key: [:], value: 2, error95: nil)]) })
        for r in [ReleaseRejection.unsigned, .badSignature, .replay, .unknownPartnership("x"), .outOfOrder("x"), .badPeriod("x"), .badSchema("x")] {
            #expect(!r.message.isEmpty)
        }
    }
}
