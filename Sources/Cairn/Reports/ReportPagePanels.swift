import CairnCore
import Foundation

/// A panel another capability adds to a report's page: given the report, the reader and their
/// address, the panel's view model (any struct: the template reads its fields), or nil when
/// the reader is not to see one. Intelligence gives the report's links; it is wired in
/// `buildApplication`, so Reports does not know whose panel it shows.
typealias ReportLinkPanel = @Sendable (_ reportID: UUID, _ identity: Identity, _ address: String) async throws -> (any Sendable)?
