import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address. IPv4 is held as IPv4-mapped IPv6 (`::ffff:a.b.c.d`), so a peer a
/// dual-stack socket reports as `::ffff:10.0.0.5` is the same address as `10.0.0.5`.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 16 bytes, network order.
    let bytes: [UInt8]

    static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]

    /// Reads a bare address: `10.0.0.5`, `2001:db8::1`, `::ffff:10.0.0.5`. Nothing else: no
    /// port, brackets, zone or name.
    init?(_ text: some StringProtocol) {
        let text = String(text)
        // inet_pton has no length limit of its own; no address is longer than this.
        // Printable ASCII only: a NUL would end the C string early and "1.2.3.4\0junk" pass.
        guard !text.isEmpty, text.utf8.count <= 45, text.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        if !text.contains(":") {
            var v4 = in_addr()
            guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
            bytes = Self.mappedPrefix + withUnsafeBytes(of: &v4) { Array($0) }
        } else {
            var v6 = in6_addr()
            guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        }
    }

    /// IPv4, or IPv4-mapped IPv6.
    var isIPv4: Bool { Array(bytes[0..<12]) == Self.mappedPrefix }

    var isLoopback: Bool {
        isIPv4 ? bytes[12] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// The conventional spelling: dotted for IPv4 (also when it came IPv4-mapped), compressed
    /// IPv6 otherwise, so one client is one key in throttles and the audit log.
    var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        var v6 = in6_addr()
        withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// One address or CIDR range of `CAIRN_TRUSTED_PROXIES`.
struct IPRange: Hashable, Sendable, CustomStringConvertible {
    let network: IPAddress
    /// Leading bits that must match, out of 128 (an IPv4 `/8` is 96 + 8).
    let bits: Int
    /// Written as IPv4 (or IPv4-mapped): matches IPv4 peers only, and IPv6 ranges match IPv6
    /// peers only, so `::/0` does not quietly trust every IPv4 client too.
    let isIPv4: Bool

    enum Problem: Error, Equatable { case notAnAddress, badPrefix, hostBitsSet(suggestion: String) }

    init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { throw .notAnAddress }
        // Written as plain IPv4 (`10.0.0.0/8`): the prefix counts IPv4 bits.
        let family = !parts[0].contains(":")
        let width = family ? 32 : 128
        var prefix = width
        if parts.count == 2 {
            guard let n = Int(parts[1]), parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), (0...width).contains(n) else {
                throw .badPrefix
            }
            prefix = n
        }
        let bits = family ? 96 + prefix : prefix
        let masked = Self.mask(address.bytes, bits: bits)
        if masked != address.bytes {
            let network = IPAddress(bytes: masked)
            throw .hostBitsSet(suggestion: "\(network)/\(prefix)")
        }
        self.network = address
        self.bits = bits
        // An IPv4-mapped range written in IPv6 (`::ffff:10.0.0.0/104`) is an IPv4 range.
        self.isIPv4 = family || (address.isIPv4 && bits >= 96)
    }

    func contains(_ address: IPAddress) -> Bool {
        address.isIPv4 == isIPv4 && Self.mask(address.bytes, bits: bits) == network.bytes
    }

    static func mask(_ bytes: [UInt8], bits: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = min(8, max(0, bits - index * 8))
            return keep == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
    }

    var description: String {
        isIPv4 && network.isIPv4 ? "\(network)/\(bits - 96)" : "\(network)/\(bits)"
    }
}

extension IPAddress {
    init(bytes: [UInt8]) { self.bytes = bytes }
}

/// The reverse proxies (load balancers) Cairn believes about the client: only a request whose
/// direct peer is one of them has its `X-Forwarded-For` and `X-Forwarded-Proto` read, and the
/// client is the nearest address in `X-Forwarded-For` that is not one of them. Everything left
/// of that was written by the client and is ignored.
public struct TrustedProxies: Sendable, Equatable {
    let ranges: [IPRange]

    public static let none = TrustedProxies(ranges: [])

    init(ranges: [IPRange]) { self.ranges = ranges }

    /// Reads `10.0.0.0/8, 192.168.1.10, 2001:db8::/32`. Every bad entry is reported at once.
    public init(parsing text: String) throws(AppConfig.Invalid) {
        var ranges: [IPRange] = []
        var problems: [String] = []
        for raw in text.split(separator: ",") {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            do {
                ranges.append(try IPRange(parsing: entry))
            } catch {
                let shown = entry.prefix(60)
                switch error {
                case .notAnAddress:
                    problems.append("\"\(shown)\" is not an IPv4 or IPv6 address or CIDR range (names are not resolved), e.g. 10.0.0.5 or 10.0.0.0/8")
                case .badPrefix:
                    problems.append("\"\(shown)\" has a prefix length that is not 0–32 (IPv4) or 0–128 (IPv6)")
                case .hostBitsSet(let suggestion):
                    problems.append("\"\(shown)\" has bits set after the prefix; the range is written \(suggestion)")
                }
            }
        }
        if !problems.isEmpty { throw AppConfig.Invalid(problems: problems) }
        self.ranges = ranges
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` (as a socket reports it, e.g. `::ffff:10.0.0.5` or `fe80::1%eth0`)
    /// is a trusted proxy. Anything that is not an address is not one.
    public func contains(_ address: String) -> Bool {
        guard let parsed = Self.peer(address) else { return false }
        return contains(parsed)
    }

    func contains(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// A socket's peer address; a zone (`%eth0`) is dropped.
    static func peer(_ text: String) -> IPAddress? {
        IPAddress(text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// One `X-Forwarded-For` entry: an address, `[v6]`, `[v6]:port` or `v4:port` (some load
    /// balancers add the port). Anything else is nil.
    static func forwardedEntry(_ raw: Substring) -> IPAddress? {
        let entry = raw.trimmingCharacters(in: .whitespaces)
        if let address = IPAddress(entry) { return address }
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            let rest = entry[entry.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.count > 1 && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }) else { return nil }
            return IPAddress(entry[entry.index(after: entry.startIndex)..<close])
        }
        let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].contains("."), !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) {
            return IPAddress(parts[0])
        }
        return nil
    }

    /// Who is calling. `peer` is the TCP peer; `forwardedFor` the `X-Forwarded-For` header
    /// values in the order received. Only a trusted peer's header is read, right to left:
    /// each trusted proxy's entry is skipped, the first address that is not a trusted proxy is
    /// the client. An entry that is not an address stops the walk at the proxy that passed it
    /// on (nothing to its left can be believed); when every entry is a proxy, the leftmost is.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, let direct = Self.peer(peer) else { return "unknown" }
        guard contains(direct) else { return direct.description }
        var nearest = direct
        let entries = forwardedFor.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
        for raw in entries.reversed() {
            guard let hop = Self.forwardedEntry(raw) else { return nearest.description }
            nearest = hop
            if !contains(hop) { break }
        }
        return nearest.description
    }

    /// True when a trusted proxy says the browser used HTTPS. With several values (each proxy
    /// appending its own), the last is the nearest proxy's and the only one believed.
    public func forwardedHTTPS(peer: String?, forwardedProto: [String]) -> Bool {
        guard let peer, contains(peer) else { return false }
        let values = forwardedProto.flatMap { $0.split(separator: ",") }
        return values.last?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    /// The peer is this machine (loopback) and not a proxy: a request made on the host itself.
    public func isLoopbackDirect(peer: String?) -> Bool {
        guard let peer, let address = Self.peer(peer) else { return false }
        return address.isLoopback && !contains(address)
    }
}
