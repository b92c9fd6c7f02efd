import CairnCore
import Foundation
import Hummingbird
import NIOCore

/// The signed-in person behind a request.
public struct Identity: Sendable {
    public enum Via: Sendable, Equatable {
        /// A browser session: the stored token hash and its CSRF token.
        case session(tokenHash: String, csrfToken: String)
        case apiToken(id: UUID)
    }

    public var userID: UUID
    public var email: String
    public var displayName: String
    public var agencyID: UUID
    public var agencyName: String
    public var roles: Set<Role>
    public var hasTwoFactor: Bool
    public var via: Via

    public func can(_ permission: Permission) -> Bool { AccessPolicy.allows(roles, permission) }
    public var auditActor: AuditActor { AuditActor(id: userID, name: email) }
}

public struct CairnRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var identity: Identity?
    /// The browser session, including one still part-way through signing in.
    public var session: AuthService.SessionState?
    /// A survivor signed in to their own view (`Survivor/`): never a staff identity as well.
    public var survivor: SurvivorIdentity?
    /// The client's address as throttles and the audit log use it: the TCP peer, or what a
    /// trusted proxy says (`TrustedProxies.clientAddress`); never a header from anyone else.
    public var clientAddress: String = "unknown"
    /// The TCP peer is this machine and not a trusted proxy: a request made on the host itself.
    public var isLoopbackDirect = false
    /// True when the browser reached us over TLS (directly or via a trusted proxy).
    public var isSecure = false
    /// The token this response's forms must carry.
    public var csrfToken = ""
    /// Cookies the response must set (e.g. a fresh anonymous CSRF cookie).
    public var cookiesToSet: [Cookie] = []

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The real limit is enforced by `BodyLimitMiddleware` from configuration; this only
    /// keeps Hummingbird's own decoders from applying a smaller one of their own.
    public var maxUploadSize: Int { 128 * 1024 * 1024 }

    public var auditActor: AuditActor { identity?.auditActor ?? .anonymous }

    /// Throws unless the request's identity holds the permission: 401 when nobody is
    /// signed in, 403 when the person lacks it.
    public func require(_ permission: Permission) throws -> Identity? {
        if permission == .everyone { return identity }
        guard let identity else { throw AppError.unauthenticated }
        guard identity.can(permission) else { throw AppError.forbidden }
        return identity
    }

    public func requireIdentity(_ permission: Permission = .signedIn) throws -> Identity {
        guard let identity = try require(permission) else { throw AppError.unauthenticated }
        return identity
    }
}
