import CairnCore
import Foundation
import Hummingbird

/// Signing in and out, including the two-factor step.
struct SignInController {
    let auth: AuthService
    let views: Views
    let throttle: AddressThrottle
    let demo: Bool

    static func pathFor(stage: AuthService.Stage) -> String {
        switch stage {
        case .complete: "/"
        case .twoFactor: "/sign-in/two-factor"
        case .twoFactorSetup: "/account/two-factor"
        case .changePassword: "/account/password"
        }
    }

    /// Only local paths, so a crafted link cannot send someone elsewhere after signing in.
    static func safeNext(_ next: String?) -> String { LocalRedirect.path(next) ?? "/" }

    static func sessionCookie(_ token: String, context: CairnRequestContext) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: token, path: "/", secure: context.isSecure, httpOnly: true, sameSite: .lax)
    }

    static func clearedSessionCookie(context: CairnRequestContext) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: context.isSecure, httpOnly: true, sameSite: .lax)
    }

    struct SignInPage: Sendable {
        var email: String
        var next: String
        var demo: Bool
        var demoAccounts: [String]
        var problem: String?
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/sign-in", .everyone, table: table) { request, context in
            if context.identity != nil { return .seeOther("/") }
            return try views.render("accounts/sign-in", page(email: "", next: request.uri.queryParameters["next"].map(String.init) ?? "/"),
                                    title: "Sign in", request: request, context: context)
        }
        router.add(.post, "/sign-in", .everyone, table: table) { request, context in
            let form = try await FormData.read(request)
            let email = String((form["email"] ?? "").prefix(254))
            let next = Self.safeNext(form["next"])
            var v = Validator()
            v.text(form["email"], field: "email", label: "Email address", max: 254)
            if (form["password"] ?? "").isEmpty { v.add("password", "Enter your password") }
            if !v.errors.isEmpty {
                return try views.render("accounts/sign-in", page(email: email, next: next), title: "Sign in", request: request, context: context,
                                        errors: v.errors, status: .unprocessableContent)
            }
            if let wait = throttle.retryAfter(context.clientAddress) {
                throw AppError(.tooManyRequests, title: "Too many attempts", "There have been too many failed sign-ins from your network. Wait \(wait / 60 + 1) minutes and try again.", retryAfter: wait)
            }
            switch try await auth.signIn(email: email, password: form["password"] ?? "", address: context.clientAddress) {
            case .invalid:
                throttle.record(context.clientAddress)
                return try views.render("accounts/sign-in", page(email: email, next: next), title: "Sign in", request: request, context: context,
                                        errors: [.init("email", "The email address or password is not right")], status: .unauthorized)
            case .locked(let minutes):
                throttle.record(context.clientAddress)
                return try views.render("accounts/sign-in", page(email: email, next: next), title: "Sign in", request: request, context: context,
                                        errors: [.init("email", "This account is locked after too many failed attempts. Try again in \(minutes) minute\(minutes == 1 ? "" : "s"), or ask an administrator to reset your password.")],
                                        status: .tooManyRequests)
            case .signedIn(let token, let stage):
                var response = Response.seeOther(stage == .complete ? next : Self.pathFor(stage: stage))
                response.setCookie(Self.sessionCookie(token, context: context))
                return response
            }
        }
        router.add(.get, "/sign-in/two-factor", .everyone, table: table) { request, context in
            guard let session = context.session, session.stage == .twoFactor else { return .seeOther(context.identity == nil ? "/sign-in" : "/") }
            return try views.render("accounts/two-factor", TwoFactorPage(), title: "Enter your security code", request: request, context: context)
        }
        router.add(.post, "/sign-in/two-factor", .everyone, table: table) { request, context in
            guard let session = context.session, session.stage == .twoFactor else { return .seeOther("/sign-in") }
            let form = try await FormData.read(request)
            let code = form["code"] ?? ""
            if code.filter(\.isNumber).count != 6 {
                return try views.render("accounts/two-factor", TwoFactorPage(), title: "Enter your security code", request: request, context: context,
                                        errors: [.init("code", "Enter the 6-digit code from your authenticator app")], status: .unprocessableContent)
            }
            guard let token = try await auth.verifyTwoFactor(session: session, code: code, address: context.clientAddress) else {
                return try views.render("accounts/two-factor", TwoFactorPage(), title: "Enter your security code", request: request, context: context,
                                        errors: [.init("code", "The code is not right, or has already been used. Wait for a new code and try again")], status: .unauthorized)
            }
            var response = Response.seeOther("/")
            response.setCookie(Self.sessionCookie(token, context: context))
            return response
        }
        router.add(.post, "/sign-out", .everyone, table: table) { request, context in
            if let session = context.session {
                try await auth.signOut(tokenHash: session.record.id!, actor: AuditActor(id: session.user.id, name: session.user.email), address: context.clientAddress)
            }
            var response = Response.seeOther("/sign-in", flash: "You have signed out.")
            response.setCookie(Self.clearedSessionCookie(context: context))
            return response
        }
    }

    func page(email: String, next: String) -> SignInPage {
        SignInPage(email: email, next: Self.safeNext(next), demo: demo,
                   demoAccounts: demo ? DemoPartnership.accounts.map(\.email) : [], problem: nil)
    }

    struct TwoFactorPage: Sendable {}
}

/// Counts events per address in a sliding window: failed sign-ins (so guessing across accounts
/// is slowed), public reports and failed status checks. Past the limit, the address waits.
///
/// Each address keeps at most `limit` times, oldest first, so a check costs the same however
/// high the limit is set; addresses with nothing recent are dropped as the table grows.
final class AddressThrottle: @unchecked Sendable {
    /// Event times (seconds since the reference date) of one address, oldest first, from `head` on.
    private struct Times {
        var times: [Double] = []
        var head = 0
        var count: Int { times.count - head }
        var oldest: Double? { head < times.count ? times[head] : nil }
        var newest: Double? { times.last }

        mutating func dropOldest() {
            head += 1
            // Reclaim the dropped front once it is half the storage.
            if head > 32, head * 2 > times.count {
                times.removeFirst(head)
                head = 0
            }
        }
    }

    private let lock = NSLock()
    private var events: [String: Times] = [:]
    /// Past this many addresses, `record` drops those with nothing in the window.
    private var pruneAt = 10_000
    let limit: Int
    let window: TimeInterval
    /// Seconds since the reference date; tests move it by hand.
    private let clock: @Sendable () -> Double

    init(limit: Int = 30, window: TimeInterval = 15 * 60, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSinceReferenceDate }) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    func record(_ address: String) {
        lock.lock(); defer { lock.unlock() }
        let now = clock()
        var entry = events.removeValue(forKey: address) ?? Times()
        expire(&entry, now: now)
        // Only the latest `limit` times decide; an older one can go.
        while entry.count >= max(1, limit) { entry.dropOldest() }
        entry.times.append(now)
        events[address] = entry
        if events.count > pruneAt {
            events = events.filter { $0.value.newest.map { now - $0 < window } ?? false }
            pruneAt = max(10_000, events.count * 2)
        }
    }

    /// Seconds to wait, or nil when the address may try.
    func retryAfter(_ address: String) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard var entry = events.removeValue(forKey: address) else { return nil }
        let now = clock()
        expire(&entry, now: now)
        let oldest = entry.oldest
        let count = entry.count
        if count > 0 { events[address] = entry }
        guard count >= limit, let oldest else { return nil }
        return max(1, Int(window - (now - oldest)))
    }

    /// Addresses held (tests).
    var addressCount: Int { lock.withLock { events.count } }

    private func expire(_ entry: inout Times, now: Double) {
        while let oldest = entry.oldest, now - oldest >= window { entry.dropOldest() }
    }
}
