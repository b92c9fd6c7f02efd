import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime

/// The outermost layer: works out who is calling from where, times and counts the request,
/// adds the security headers, and turns every error into a clear answer — a problem+json
/// document for the API, an HTML page for people.
struct FrontMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    let config: AppConfig
    let metrics: AppMetrics
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.clientAddress = clientAddress(request, context)
        // A forwarding header on a loopback connection means a proxy on this host passed it on
        // (one not listed as trusted): somebody else's request, not this host's own.
        context.isLoopbackDirect = config.trustedProxies.isLoopbackDirect(peer: context.remoteAddress?.ipAddress)
            && !Self.forwardingHeaders.contains { request.headers[$0] != nil }
        context.isSecure = isSecure(request, context)
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorResponse(error, request: request, context: context)
        }
        addSecurityHeaders(&response, request: request)
        if cameOverTLS(request, context), config.hstsMaxAge > 0 {
            response.headers[Self.strictTransportSecurity] = "max-age=\(config.hstsMaxAge)"
        }
        // Whatever set them (session, language, flash, CSRF), cookies follow the session
        // cookie: Secure whenever it is.
        if context.isSecure { Self.markCookiesSecure(&response) }
        let route = context.endpointPath ?? "unmatched"
        let elapsed = ContinuousClock.now - start
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)
        // Route patterns only: paths and query strings can carry personal data.
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(route),
            "status": .stringConvertible(response.status.code),
            "ms": .stringConvertible((Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000).rounded()),
        ])
        return response
    }

    func clientAddress(_ request: Request, _ context: Context) -> String {
        config.trustedProxies.clientAddress(peer: context.remoteAddress?.ipAddress,
                                            forwardedFor: request.headers[values: Self.forwardedFor])
    }

    /// Whether the browser reached us over TLS: directly, or as a trusted proxy says.
    func cameOverTLS(_ request: Request, _ context: Context) -> Bool {
        request.uri.scheme == .https
            || config.trustedProxies.forwardedHTTPS(peer: context.remoteAddress?.ipAddress, forwardedProto: request.headers[values: Self.forwardedProto])
    }

    func isSecure(_ request: Request, _ context: Context) -> Bool {
        switch config.secureCookies {
        case .always: return true
        case .never: return false
        case .auto: return cameOverTLS(request, context)
        }
    }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardingHeaders = [forwardedFor, HTTPField.Name("Forwarded")!, HTTPField.Name("X-Real-IP")!]
    static let strictTransportSecurity = HTTPField.Name("Strict-Transport-Security")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func addSecurityHeaders(_ response: inout Response, request: Request) {
        let headers: [(String, String)] = [
            ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        for (name, value) in headers {
            let field = HTTPField.Name(name)!
            // A response with a policy of its own (a hub file: stricter) keeps it.
            if field == .contentSecurityPolicy, response.headers[field] != nil { continue }
            response.headers[field] = value
        }
        if response.headers[.cacheControl] == nil, !request.uri.path.hasPrefix("/assets/") {
            // Pages hold personal data: never keep them in shared or back-button caches.
            response.headers[.cacheControl] = "no-store"
        }
    }

    static func isAPI(_ path: String) -> Bool { path.hasPrefix("/api/") }

    /// Adds `Secure` to every `Set-Cookie` that lacks it.
    static func markCookiesSecure(_ response: inout Response) {
        let values = response.headers[values: .setCookie]
        guard values.contains(where: { !hasSecureAttribute($0) }) else { return }
        response.headers[values: .setCookie] = values.map { hasSecureAttribute($0) ? $0 : $0 + "; Secure" }
    }

    static func hasSecureAttribute(_ setCookie: String) -> Bool {
        setCookie.split(separator: ";").dropFirst().contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "secure" }
    }

    func errorResponse(_ error: any Error, request: Request, context: Context) -> Response {
        let problem = Self.appError(from: error)
        if problem.status == .internalServerError {
            // The type only: an error's message may quote the data that caused it.
            context.logger.error("unhandled error", metadata: ["error": .string(String(reflecting: type(of: error)))])
        }
        if Self.isAPI(request.uri.path) {
            return problem.problemResponse(instance: request.uri.path)
        }
        if problem.status == .unauthorized {
            let target = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            let next = request.method == .get && target != "/" ? "?next=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" : ""
            return .seeOther("/sign-in\(next)")
        }
        let model = ErrorPage(status: problem.status.code, title: problem.title, detail: problem.detail, requestID: context.id)
        var response = (try? views.render("error", model, title: problem.title, request: request, context: context, status: problem.status))
            ?? Response(status: problem.status, body: .init(byteBuffer: .init(string: "\(problem.status.code) \(problem.title)")))
        if let retry = problem.retryAfter { response.headers[.retryAfter] = String(retry) }
        response.headers.append(contentsOf: problem.headers)
        return response
    }

    /// Maps anything thrown below to the answer a person or client should see.
    static func appError(from error: any Error) -> AppError {
        switch error {
        case let error as AppError: return error
        case let error as ServerError:
            if let inner = error.underlyingError as? AppError { return inner }
            if let decoding = error.underlyingError as? DecodingError { return .badRequest(describe(decoding)) }
            // No operation input means the generated code could not read the request
            // (parameters, content type, body): the caller's mistake, not ours.
            if error.operationInput == nil { return .badRequest(describe(runtime: error)) }
            return appError(from: error.underlyingError)
        case let error as DecodingError: return .badRequest(describe(error))
        case let error as any HTTPResponseError:
            switch error.status {
            case .contentTooLarge: return AppError(.contentTooLarge, title: "Request too large", "The request body is larger than this server accepts.")
            case .notFound: return .notFound()
            case .methodNotAllowed: return AppError(.methodNotAllowed, title: "Method not allowed", "This address does not accept \(error.status.reasonPhrase) requests.")
            default: return AppError(error.status, error.status.reasonPhrase)
            }
        default:
            return AppError(.internalServerError, title: "Something went wrong", "Cairn could not complete the request. It has been logged; try again or tell your administrator.")
        }
    }

    static func describe(runtime error: ServerError) -> String {
        "The request could not be read: \(error.causeDescription)"
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return joined.isEmpty ? "the body" : "'\(joined)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing field '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'."
        case .typeMismatch(let type, let context):
            return "Field \(path(context.codingPath)) has the wrong type: expected \(Self.typeName(type))."
        case .valueNotFound(let type, let context):
            return "Field \(path(context.codingPath)) is null: expected \(Self.typeName(type))."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "The request body is not valid JSON."
            }
            if context.debugDescription.contains("Cannot initialize") {
                return "Field \(path(context.codingPath)) has a value that is not allowed."
            }
            return "Field \(path(context.codingPath)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "The request body could not be read."
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String": return "a string"
        case "Bool": return "true or false"
        case "Int", "Int64", "Int32", "Double": return "a number"
        default: return name.contains("Array") ? "a list" : "an object"
        }
    }
}

/// Which requests may carry a larger body (uploads), and how large.
struct UploadLimit: Sendable {
    var limit = 0
    var applies: @Sendable (HTTPRequest.Method, String) -> Bool = { _, _ in false }

    func limit(for request: Request, otherwise other: Int) -> Int {
        applies(request.method, request.uri.path) ? max(other, limit) : other
    }
}

struct ErrorPage: Sendable {
    let status: Int
    let title: String
    let detail: String
    let requestID: String
}

/// Refuses bodies over the configured limit with 413 before anything reads them.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    let limit: Int
    /// Uploads (the resource hub's files) may be larger: up to `upload.limit` on the
    /// requests `upload.applies` names, and only there.
    var upload = UploadLimit()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if upload.applies(request.method, request.uri.path) { return try await collect(request, context, limit: max(limit, upload.limit), next) }
        return try await collect(request, context, limit: limit, next)
    }

    func collect(_ request: Request, _ context: Context, limit: Int, _ next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw AppError(.contentTooLarge, title: "Request too large", "The request body is \(length) bytes; the limit is \(limit) bytes.")
        }
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw AppError(.contentTooLarge, title: "Request too large", "The request body is larger than the limit of \(limit) bytes.")
        }
        return try await next(request, context)
    }
}
