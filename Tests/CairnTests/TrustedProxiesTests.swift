import Foundation
import Testing

@testable import Cairn

/// For a test's configuration: the proxies named (a typo gives none, and the test fails).
func trusted(_ text: String) -> TrustedProxies { (try? TrustedProxies(parsing: text)) ?? .none }

/// Parsing and matching of `CAIRN_TRUSTED_PROXIES`, and who the client is.
@Suite struct TrustedProxiesTests {
    func proxies(_ text: String) throws -> TrustedProxies { try TrustedProxies(parsing: text) }

    @Test func addressesAreReadInEitherFamilyAndSpelledOneWay() throws {
        #expect(IPAddress("10.0.0.5")?.description == "10.0.0.5")
        #expect(IPAddress("::ffff:10.0.0.5") == IPAddress("10.0.0.5"))
        #expect(IPAddress("::ffff:10.0.0.5")?.description == "10.0.0.5")
        #expect(IPAddress("2001:DB8:0:0:0:0:0:1")?.description == "2001:db8::1")
        #expect(IPAddress("::1")?.isLoopback == true)
        #expect(IPAddress("127.8.9.10")?.isLoopback == true)
        #expect(IPAddress("::ffff:127.0.0.1")?.isLoopback == true)
        #expect(IPAddress("::2")?.isLoopback == false)
        #expect(IPAddress("128.0.0.1")?.isLoopback == false)
        for garbage in ["", " ", "10.0.0", "10.0.0.256", "010.0.0.1", "10.0.0.1 ", "1.2.3.4.5", "localhost", "::g", "1:2:3:4:5:6:7:8:9",
                        "[::1]", "10.0.0.1:80", "fe80::1%eth0", "10.0.0.1\u{0}", String(repeating: "1", count: 5000), "١٠.0.0.1"] {
            #expect(IPAddress(garbage) == nil, "\(garbage.prefix(20)) is not an address")
        }
    }

    @Test func singleAddressesAndRangesMatchTheirEdgesOnly() throws {
        let trusted = try proxies("10.1.2.3, 192.168.0.0/16, 172.16.0.0/12, 2001:db8:abcd::/48, fd00::1")
        for inside in ["10.1.2.3", "::ffff:10.1.2.3", "192.168.0.0", "192.168.255.255", "172.16.0.0", "172.31.255.255",
                       "2001:db8:abcd::", "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff", "fd00::1", "fd00:0::1"] {
            #expect(trusted.contains(inside), "\(inside) is trusted")
        }
        for outside in ["10.1.2.2", "10.1.2.4", "192.167.255.255", "192.169.0.0", "172.15.255.255", "172.32.0.0",
                        "2001:db8:abcc:ffff:ffff:ffff:ffff:ffff", "2001:db8:abce::", "fd00::2", "unknown", "", "10.1.2.3:80"] {
            #expect(!trusted.contains(outside), "\(outside) is not trusted")
        }
        // A socket's zone is not part of the address.
        #expect(try proxies("fe80::1").contains("fe80::1%eth0"))
        // /0 and /32, /128.
        #expect(try proxies("0.0.0.0/0").contains("203.0.113.9"))
        #expect(try proxies("0.0.0.0/0").contains("::ffff:203.0.113.9"))
        #expect(try proxies("10.0.0.1/32").contains("10.0.0.1"))
        #expect(!(try proxies("10.0.0.1/32").contains("10.0.0.0")))
        #expect(try proxies("2001:db8::1/128").contains("2001:db8::1"))
        // The families stay apart: an IPv6 range trusts no IPv4 peer (and the other way),
        // except IPv4 written as IPv4-mapped IPv6.
        #expect(!(try proxies("::/0").contains("10.0.0.1")))
        #expect(!(try proxies("0.0.0.0/0").contains("2001:db8::1")))
        #expect(try proxies("::ffff:10.0.0.0/104").contains("10.9.9.9"))
        #expect(!(try proxies("::ffff:10.0.0.0/104").contains("11.0.0.0")))
        #expect(TrustedProxies.none.isEmpty)
        #expect(!TrustedProxies.none.contains("127.0.0.1"))
        #expect(try proxies(" , ,").isEmpty)
    }

    @Test func badEntriesAreAllReportedWithAFix() throws {
        do {
            _ = try TrustedProxies(parsing: "10.0.0.0/8, proxy.internal, 10.0.0.1/8, 10.0.0.0/33, 2001:db8::/129, 10.0.0.0/x, 10.0.0.0/-1, 10.0.0.0/ 8, 10.0.0.0/")
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.count == 8)
            #expect(error.problems[0].contains("proxy.internal"))
            #expect(error.problems[0].contains("names are not resolved"))
            #expect(error.problems[1].contains("10.0.0.0/8"), "suggests the range meant")
            #expect(error.problems[2].contains("0–32"))
        }
    }

    @Test func theClientIsTheNearestAddressThatIsNotAProxy() throws {
        let trusted = try proxies("10.0.0.0/8, 2001:db8::/32")
        // No trusted proxies: the header is nobody's word.
        #expect(TrustedProxies.none.clientAddress(peer: "203.0.113.7", forwardedFor: ["127.0.0.1"]) == "203.0.113.7")
        // A peer that is not a proxy: the header is ignored.
        #expect(trusted.clientAddress(peer: "203.0.113.7", forwardedFor: ["127.0.0.1"]) == "203.0.113.7")
        // A proxy with no header: the proxy.
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: []) == "10.0.0.2")
        // The client's own (forged) entries to the left are skipped, however many.
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["127.0.0.1, 1.1.1.1, 198.51.100.4"]) == "198.51.100.4")
        // Several proxies, across several header lines.
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.4", "10.0.0.9, 2001:db8::5"]) == "198.51.100.4")
        // A client with a trusted-looking forged entry cannot hide behind it: its own address
        // was appended by the proxy to the right of it.
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["10.0.0.3, 198.51.100.4"]) == "198.51.100.4")
        // Every entry a proxy: the leftmost.
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["10.0.0.7, 10.0.0.8"]) == "10.0.0.7")
        // Ports and brackets some balancers add; IPv4-mapped spelled as IPv4.
        #expect(trusted.clientAddress(peer: "::ffff:10.0.0.2", forwardedFor: ["198.51.100.4:5123"]) == "198.51.100.4")
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["[2001:db9::7]:443"]) == "2001:db9::7")
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["[2001:db9::7]"]) == "2001:db9::7")
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["::ffff:198.51.100.4"]) == "198.51.100.4")
        // Garbage stops the walk at the proxy that passed it on; nothing left of it is believed.
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.4, unknown"]) == "10.0.0.2")
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["198.51.100.4, not-an-ip, 10.0.0.9"]) == "10.0.0.9")
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: [""]) == "10.0.0.2")
        #expect(trusted.clientAddress(peer: "10.0.0.2", forwardedFor: ["[::1]x, 1.2.3.4:, 1.2.3.4:8a"]) == "10.0.0.2")
        // No peer (not a socket): unknown.
        #expect(trusted.clientAddress(peer: nil, forwardedFor: ["198.51.100.4"]) == "unknown")
        #expect(trusted.clientAddress(peer: "garbage", forwardedFor: ["198.51.100.4"]) == "unknown")
    }

    @Test func onlyATrustedPeerSaysTheBrowserUsedHTTPS() throws {
        let trusted = try proxies("10.0.0.0/8")
        #expect(trusted.forwardedHTTPS(peer: "10.0.0.2", forwardedProto: ["https"]))
        #expect(trusted.forwardedHTTPS(peer: "10.0.0.2", forwardedProto: ["HTTPS"]))
        #expect(!trusted.forwardedHTTPS(peer: "203.0.113.7", forwardedProto: ["https"]))
        #expect(!TrustedProxies.none.forwardedHTTPS(peer: "127.0.0.1", forwardedProto: ["https"]))
        // The nearest proxy's value (the last) is the one believed.
        #expect(!trusted.forwardedHTTPS(peer: "10.0.0.2", forwardedProto: ["https, http"]))
        #expect(trusted.forwardedHTTPS(peer: "10.0.0.2", forwardedProto: ["http", "https"]))
        #expect(!trusted.forwardedHTTPS(peer: "10.0.0.2", forwardedProto: []))
    }

    @Test func loopbackDirectMeansThisHostAndNotAProxy() throws {
        #expect(TrustedProxies.none.isLoopbackDirect(peer: "127.0.0.1"))
        #expect(TrustedProxies.none.isLoopbackDirect(peer: "::1"))
        #expect(TrustedProxies.none.isLoopbackDirect(peer: "::ffff:127.0.0.1"))
        #expect(!TrustedProxies.none.isLoopbackDirect(peer: "10.0.0.1"))
        #expect(!TrustedProxies.none.isLoopbackDirect(peer: nil))
        // A reverse proxy on the same host forwards everyone's requests: not "this host".
        #expect(!(try proxies("127.0.0.1, ::1").isLoopbackDirect(peer: "127.0.0.1")))
        #expect(!(try proxies("127.0.0.1, ::1").isLoopbackDirect(peer: "::1")))
    }

    @Test func configurationReadsTheListAndRefusesTheOldSwitch() throws {
        let config = try AppConfig.load(environment: ["CAIRN_TRUSTED_PROXIES": "10.0.0.0/8, ::1"])
        #expect(config.trustedProxies.contains("10.4.4.4"))
        #expect(config.trustedProxies.contains("::1"))
        #expect(try AppConfig.load(environment: [:]).trustedProxies.isEmpty)
        // false is what it always meant: nobody.
        #expect(try AppConfig.load(environment: ["CAIRN_TRUST_PROXY": "false"]).trustedProxies.isEmpty)
        do {
            _ = try AppConfig.load(environment: ["CAIRN_TRUST_PROXY": "true", "CAIRN_TRUSTED_PROXIES": "10.0.0.0/8, nope"])
            Issue.record("expected a configuration error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems.count == 2)
            #expect(error.description.contains("CAIRN_TRUSTED_PROXIES: \"nope\""))
            #expect(error.description.contains("CAIRN_TRUST_PROXY=true is no longer supported"))
            #expect(error.description.contains("CAIRN_TRUSTED_PROXIES=10.0.0.0/8"))
        }
    }
}
