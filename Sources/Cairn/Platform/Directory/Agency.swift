import CairnCore
import FluentKit
import Foundation

/// A member organisation of the partnership: with `User`, the partnership's shared directory,
/// which every capability reads and Accounts keeps.
public final class Agency: Model, @unchecked Sendable {
    public static let schema = "agencies"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// `AgencyType` raw value.
    @Field(key: "type") public var type: String
    /// A first responder may refer a potential victim to the National Referral Mechanism.
    @Field(key: "first_responder") public var firstResponder: Bool
    @Field(key: "area") public var area: String
    @Field(key: "created_at") public var createdAt: Date
    /// Comma-separated `PartnerService` raw values: what routing may send this agency.
    @Field(key: "services") public var servicesText: String

    public init() {}
    public init(id: UUID? = nil, name: String, type: AgencyType, firstResponder: Bool, area: String, services: Set<PartnerService> = []) {
        self.id = id
        self.name = name
        self.type = type.rawValue
        self.firstResponder = firstResponder
        self.area = area
        self.createdAt = Date()
        self.servicesText = Self.storageString(services)
    }

    public var agencyType: AgencyType { AgencyType(rawValue: type) ?? .other }

    public var services: Set<PartnerService> {
        get { Set(servicesText.split(separator: ",").compactMap { PartnerService(rawValue: String($0)) }) }
        set { servicesText = Self.storageString(newValue) }
    }

    static func storageString(_ services: Set<PartnerService>) -> String {
        PartnerService.allCases.filter(services.contains).map(\.rawValue).joined(separator: ",")
    }
}
