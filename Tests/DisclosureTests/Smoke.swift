import Testing
@testable import Disclosure

@Test func smoke() { #expect(Bool(true)) }
