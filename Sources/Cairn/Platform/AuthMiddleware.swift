import Foundation
import HTTPTypes
import Hummingbird

/// Fills the context's identity: a bearer token on the API, the session cookie on pages.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    static let sessionCookie = "cairn_session"
    let auth: AuthService
    /// The survivors' own view (absent on a national instance).
    var survivor: SurvivorService?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if FrontMiddleware.isAPI(request.uri.path) {
            if let header = request.headers[.authorization] {
                let parts = header.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                    throw AppError(.unauthorized, title: "Sign-in required", "The Authorization header must be \"Bearer <token>\".")
                }
                let token = String(parts[1]).trimmingCharacters(in: .whitespaces)
                // A survivor's token opens only the survivor's operations (it never becomes a staff identity).
                if let survivor, token.hasPrefix("sv_") {
                    guard let identity = try await survivor.identity(forToken: token, kind: .api) else {
                        throw AppError(.unauthorized, title: "Sign-in required", "The token is not valid or has expired. Sign in again.")
                    }
                    context.survivor = identity
                    return try await next(request, context)
                }
                guard let identity = try await auth.identity(forBearer: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
                    throw AppError(.unauthorized, title: "Sign-in required", "The API token is not valid, has been revoked, or its user is disabled.")
                }
                context.identity = identity
            }
            return try await next(request, context)
        }
        if let survivor, request.uri.path == "/my" || request.uri.path.hasPrefix("/my/"),
           let token = request.cookies[SurvivorController.cookie]?.value, !token.isEmpty {
            context.survivor = try await survivor.identity(forToken: token, kind: .browser)
        }
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
           let state = try await auth.session(forToken: token) {
            context.session = state
            if state.stage == .complete {
                context.identity = Identity(
                    userID: try state.user.requireID(), email: state.user.email, displayName: state.user.displayName,
                    agencyID: try state.agency.requireID(), agencyName: state.agency.name, roles: state.user.roles,
                    hasTwoFactor: state.user.hasTwoFactor,
                    via: .session(tokenHash: try state.record.requireID(), csrfToken: state.record.csrfToken))
            }
        }
        return try await next(request, context)
    }
}

/// Synchroniser-token CSRF protection for every state-changing form. Signed-in (and
/// part-signed-in) browsers use the token stored with their session; anonymous forms (sign-in)
/// use a random cookie that the form must echo. The API is exempt: it takes bearer tokens,
/// which a browser never sends by itself.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    static let anonymousCookie = "cairn_csrf"
    static let field = "_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard !FrontMiddleware.isAPI(request.uri.path) else { return try await next(request, context) }
        var newAnonymous: String?
        if let survivor = context.survivor, survivor.kind == .browser {
            // The survivor's pages carry their own session's token (a staff session in the same browser keeps its own).
            context.csrfToken = survivor.csrfToken
        } else if let session = context.session {
            context.csrfToken = session.record.csrfToken
        } else if let existing = request.cookies[Self.anonymousCookie]?.value, existing.count >= 20 {
            context.csrfToken = existing
        } else {
            let token = Secrets.token(bytes: 24)
            newAnonymous = token
            context.csrfToken = token
        }
        if ![.get, .head, .options].contains(request.method) {
            var request = request
            let supplied = try await Self.suppliedToken(&request)
            guard let supplied, newAnonymous == nil, Secrets.constantTimeEquals(supplied, context.csrfToken) else {
                throw AppError(.forbidden, title: "Form expired",
                               "This form has expired or did not come from Cairn. Go back, reload the page and try again.")
            }
            return try await finish(request, context, newAnonymous, next)
        }
        return try await finish(request, context, newAnonymous, next)
    }

    private func finish(_ request: Request, _ context: Context, _ newAnonymous: String?, _ next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if let newAnonymous {
            response.setCookie(.init(name: Self.anonymousCookie, value: newAnonymous, path: "/", secure: context.isSecure, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    static func suppliedToken(_ request: inout Request) async throws -> String? {
        if let name = HTTPField.Name("X-CSRF-Token"), let header = request.headers[name] { return header }
        if let type = request.headers[.contentType], MultipartForm.boundary(contentType: type) != nil {
            // An upload form: its body was collected within the upload limit before this; a
            // malformed one is a 400 saying what is wrong.
            let body = try await request.collectBody(upTo: .max)
            return try MultipartForm(contentType: type, body: Array(body.readableBytesView)).text(field)
        }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        let body = try await request.collectBody(upTo: 10_485_760)
        return FormData(String(buffer: body))[field]
    }
}
