import CairnCore
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Cairn

/// The per-address limits through HTTP: checking and counting are one step, so a burst gets
/// exactly the limit through; on PostgreSQL every instance shares the counts.
@Suite struct RateLimitTests {
    @Test func fiftyPublicReportsAtOnceAgainstALimitOfTenLetExactlyTenThrough() async throws {
        try await withEmptyReports(configure: { $0.reportRateLimit = 10 }) { client, built in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for n in 0..<50 {
                    group.addTask {
                        let response = try await send(client, .post, "/api/v1/public/reports",
                                                      json: #"{"description":"Report \#(n) of men sleeping at the car wash","language":"en"}"#)
                        return (response.status, response.headers[.retryAfter])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .created }.count == 10)
            let refused = statuses.filter { $0.0 == .tooManyRequests }
            #expect(refused.count == 40)
            #expect(refused.allSatisfy { Int($0.1 ?? "") ?? 0 > 0 }, "every refusal says when to try again")
            #expect(try await reportCount(built) == 10)
        }
    }

    @Test func failedStatusChecksAreLimitedAtOnceAndFoundReportsAreNotCounted() async throws {
        try await withEmptyReports { client, _ in
            let (reference, passphrase) = try await publicReport(client)
            // Finding the report does not count: many more than the limit of 30.
            for _ in 0..<40 {
                let found = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": passphrase])
                #expect(found.status == .ok)
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for n in 0..<50 {
                    group.addTask {
                        try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": "wrong guess \(n)"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .notFound }.count == 30)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 20)
            // Now even the right passphrase waits: the limit is on the address.
            let waiting = try await send(client, .get, "/api/v1/public/reports/\(reference)", headers: ["Cairn-Passphrase": passphrase])
            #expect(waiting.status == .tooManyRequests)
        }
    }

    /// Two instances on one PostgreSQL database, each with its own application and services.
    static func withTwoInstances(configure: @escaping (inout AppConfig) -> Void = { _ in },
                                 _ body: @Sendable (any TestClientProtocol, any TestClientProtocol, AppServices) async throws -> Void) async throws {
        try await withServices(demo: true, configure: configure) { first, database in
            var config = testConfig(database.url, demo: false)
            configure(&config)
            let second = try AppServices(config: config, logger: TestDatabase.logger)
            do {
                try await second.database.connect()
                let (firstApp, _) = try await buildApplication(services: first, logger: TestDatabase.logger)
                let (secondApp, _) = try await buildApplication(services: second, logger: TestDatabase.logger)
                try await firstApp.test(.router) { one in
                    try await secondApp.test(.router) { two in try await body(one, two, first) }
                }
            } catch {
                await second.shutdown()
                throw error
            }
            await second.shutdown()
        }
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "several instances share a PostgreSQL database"))
    func twoInstancesShareThePublicReportLimit() async throws {
        try await Self.withTwoInstances(configure: { $0.reportRateLimit = 10 }) { one, two, services in
            let before = try await Report.query(on: services.database.db).count()
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        let response = try await send(n % 2 == 0 ? one : two, .post, "/api/v1/public/reports",
                                                      json: #"{"description":"Report \#(n) to either instance","language":"en"}"#)
                        return response.status == .created
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(created == 10)
            #expect(try await Report.query(on: services.database.db).count() == before + 10)
        }
    }

    @Test(.enabled(if: TestDatabase.isPostgres, "several instances share a PostgreSQL database"))
    func twoInstancesShareTheSignInLimitAndTheLockout() async throws {
        try await Self.withTwoInstances { one, two, services in
            let started = ContinuousClock.now
            // Five wrong passwords through the first instance lock the account for the second.
            for n in 1...5 {
                let wrong = try await Browser(one).signIn("viewer@demo.invalid", password: "wrong-password-\(n)")
                #expect(wrong.status == .unauthorized)
            }
            let right = try await Browser(two).signIn("viewer@demo.invalid")
            #expect(right.status == .unauthorized)
            #expect(right.location == nil)
            let db = services.database.db
            #expect(try await AuditEntry.query(on: db).filter(\.$action == "auth.sign_in.locked").count() == 1)
            // Failed sign-ins from one address count together on every instance: 30 in all (the
            // refused right password was one), then 429. The allowance refills one every 30 s, so
            // on a slow machine the count may reach one more per 30 s taken; apart, the two
            // instances would allow 60.
            var failures = 6
            var refused = false
            for n in 7...80 {
                let wrong = try await Browser(n % 2 == 0 ? one : two).signIn("nobody-\(n)@demo.invalid", password: "guess-\(n)")
                if wrong.status == .tooManyRequests { refused = true; break }
                #expect(wrong.status == .unauthorized)
                failures += 1
            }
            let refills = Int((ContinuousClock.now - started).components.seconds / 30)
            #expect(refused && failures >= 30 && failures <= 30 + refills, "\(failures) failures allowed in \(refills * 30)+ s")
            let first = try await Browser(one).signIn("admin@demo.invalid")
            let second = try await Browser(two).signIn("admin@demo.invalid")
            #expect(first.status == .tooManyRequests)
            #expect(second.status == .tooManyRequests)
            #expect(Int(second.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }
}
