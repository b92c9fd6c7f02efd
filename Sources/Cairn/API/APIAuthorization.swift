import CairnAPI
import CairnCore
import HTTPTypes
import Hummingbird
import OpenAPIRuntime

/// Gives the generated API handlers the request context and the identity `APIAuthorization`
/// checked: swift-openapi-hummingbird passes them only the HTTP request, so both travel in
/// task-local values.
enum APIRequest {
    static let unauthenticated = AppError(.unauthorized, title: "Sign-in required", "Send an API token as \"Authorization: Bearer <token>\". Create one with `cairn token create --user EMAIL`.")
    @TaskLocal static var context: CairnRequestContext?

    /// The operation `APIAuthorization` let through, having checked the context's identity.
    @TaskLocal static var authorized: APIOperation?

    /// The request's `Accept-Language`, for answers in a survivor's language before they sign in.
    @TaskLocal static var acceptLanguage: String?

    /// The context of an operation open to everyone (signed in or not).
    static func open(_ operation: APIOperation) throws -> CairnRequestContext {
        guard let context, authorized == operation, operation.permission == .everyone else { throw missing(operation) }
        return context
    }

    /// The caller's identity, as `APIAuthorization` checked it for this operation before the
    /// request was read; nothing is checked again here.
    static func authorize(_ operation: APIOperation) throws -> (Identity, CairnRequestContext) {
        guard let context, authorized == operation, let identity = context.identity else { throw missing(operation) }
        return (identity, context)
    }

    /// The survivor behind an operation of their own view, as `APIAuthorization` checked it.
    static func survivor(_ operation: APIOperation) throws -> (SurvivorIdentity, CairnRequestContext) {
        guard let context, authorized == operation, operation.permission == .survivor, let survivor = context.survivor else { throw missing(operation) }
        return (survivor, context)
    }

    /// A handler asked for another operation's authorisation, or ran without the middleware:
    /// a programming error, answered with 500 rather than stopping the process.
    static func missing(_ operation: APIOperation) -> AppError {
        AppError(.internalServerError, title: "Something went wrong", "The API operation \(operation.rawValue) was not authorised as it should have been. It has been logged.")
    }
}

/// Makes the request context available to the API operations (`APIRequest.context`).
struct APIContextMiddleware: RouterMiddleware {
    typealias Context = CairnRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard FrontMiddleware.isAPI(request.uri.path) else { return try await next(request, context) }
        return try await APIRequest.$context.withValue(context) {
            try await APIRequest.$acceptLanguage.withValue(request.headers[.acceptLanguage].map { String($0.prefix(200)) }) { try await next(request, context) }
        }
    }
}

/// Checks the operation's permission (`APIOperation.route`) once, before anything reads the
/// request, so a caller without the right learns nothing about what a valid body would be:
/// 401 when nobody is signed in, 403 when the person lacks the permission.
struct APIAuthorization: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let operation = APIOperation(rawValue: operationID), let context = APIRequest.context else {
            throw AppError(.internalServerError, title: "Something went wrong", "The API operation \(operationID) has no authorisation rule. It has been logged.")
        }
        let permission = operation.permission
        if permission == .survivor {
            // Only a survivor's own token; a staff token never opens these (403), nobody gets 401.
            if context.survivor == nil {
                if context.identity != nil { throw AppError.forbidden }
                throw AppError(.unauthorized, title: "Sign-in required", "Sign in with your reference and passphrase at POST /api/v1/survivor/tokens.")
            }
        } else if permission != .everyone {
            guard let identity = context.identity else { throw APIRequest.unauthenticated }
            guard identity.can(permission) else { throw AppError.forbidden }
        }
        return try await APIRequest.$authorized.withValue(operation) {
            try await next(request, body, metadata)
        }
    }
}

extension APIHandler {
    /// Registers every operation behind `APIAuthorization` and then the spec's checks
    /// (`APISpecCheck`), and records each row of the operation table in the route table.
    /// Throws, so the server does not start, if the table and `openapi.yaml` disagree.
    /// A national instance serves only the national operations, a partnership's instance only
    /// the others (`APIOperation.isNational`).
    func register(on router: AppRouter, table: RouteTable, spec: APISpec, national: Bool = false) throws {
        for operation in APIOperation.allCases {
            guard let documented = spec.operation(operation.method, operation.specPath), documented.id == operation.rawValue else {
                throw APISpec.Invalid(description: "openapi.yaml has no operation \(operation.rawValue) at \(operation.method.rawValue) \(operation.specPath)")
            }
        }
        guard spec.operations.count == APIOperation.allCases.count else {
            throw APISpec.Invalid(description: "openapi.yaml has \(spec.operations.count) operations; APIOperation lists \(APIOperation.allCases.count)")
        }
        try registerHandlers(on: SideTransport(base: router, national: national), serverURL: .defaultOpenAPIServerURL, configuration: .init(),
                             middlewares: [APIAuthorization(), APISpecCheck(spec: spec)])
        for operation in APIOperation.allCases where operation.isNational == national {
            let route = operation.route
            table.record(RouteSpec(method: route.method, path: route.path, permission: route.permission))
        }
    }
}

/// Passes on only the operations of one side: a national instance's or a partnership's.
struct SideTransport: ServerTransport {
    let base: any ServerTransport
    let national: Bool

    func register(_ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                  method: HTTPRequest.Method, path: String) throws {
        guard path.hasPrefix("/api/v1/national/") == national else { return }
        try base.register(handler, method: method, path: path)
    }
}
