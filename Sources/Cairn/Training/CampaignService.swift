import CairnCore
import FluentKit
import Foundation

/// Awareness campaigns: the only way to their tables. Every signed-in role reads them
/// (`viewTraining`); coordinators and trainers record and change them (`manageTraining`), and
/// every change is written to the audit log (ids, codes and counts, never the wording).
/// Reports that arrived with a campaign's code are counted through `ReportDirectory+Campaigns`;
/// the plan action a campaign serves is chosen from `PlanActions`.
///
/// The parts: checking what was typed in `CampaignService+Checks`, the list and one campaign's
/// figures in `+Reading`; what intake and the indicators read in `CampaignStatistics`.
struct CampaignService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog
    let reports: ReportDirectory
    let planActions: PlanActions
    /// The hub's resources a campaign may name as its materials.
    let resources: ResourceChoices
    var db: any Database { database.db }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    /// What a person types for a campaign, as text; `check` turns it into a `Checked`.
    struct Input: Sendable {
        var name = ""
        /// `CampaignAudience` raw values.
        var audiences: [String] = []
        /// `CampaignLanguage` codes.
        var languages: [String] = []
        /// `CampaignChannel` raw values.
        var channels: [String] = []
        /// Per channel (raw value): the reach as typed, and how it was counted.
        var reach: [String: String] = [:]
        var countedAs: [String: String] = [:]
        /// Postcode districts, separated by commas or spaces.
        var areas = ""
        /// `YYYY-MM-DD`.
        var startsOn = ""
        var endsOn = ""
        /// Titles of materials not in the hub, one a line.
        var materials = ""
        /// Ids of the hub resources used, as sent.
        var resourceIDs: [String] = []
        /// A plan action's id, or empty.
        var planActionID = ""
    }

    /// An input that passed every check.
    struct Checked: Sendable {
        let name: String
        let audiences: [CampaignAudience]
        let languages: [CampaignLanguage]
        let reach: [(channel: CampaignChannel, reach: Int, countedAs: String)]
        let areas: [String]
        let startsOn: CalendarDate
        let endsOn: CalendarDate
        let materials: [String]
        /// Hub resources used, in the order chosen.
        let resources: [UUID]
        let planActionID: UUID?
    }

    // MARK: Changes

    /// Records a new campaign with a new code. All problems are reported at once (422, naming
    /// each field); nothing is stored unless all pass. `code` is for the demo's fixed codes.
    @discardableResult
    func create(_ input: Input, identity: Identity, address: String, code fixed: String? = nil, now: Date = Date()) async throws -> Campaign {
        try require(identity, .manageTraining)
        let checked = try await check(input, identity: identity)
        var attempts = 0
        while true {
            attempts += 1
            let code: String
            if let fixed {
                guard let valid = CampaignCode.normalise(fixed) else { throw AppError.badRequest("A campaign code is six characters of \(String(CampaignCode.alphabet)).") }
                code = valid
            } else {
                var generator = PooledRandomNumberGenerator()
                code = CampaignCode.generate(using: &generator)
            }
            do {
                return try await db.transaction { tx in
                    if try await Campaign.query(on: tx).filter(\.$code == code).count() > 0 {
                        throw AppError.conflict("The campaign code \(code) is taken.")
                    }
                    let campaign = Campaign()
                    campaign.id = UUID()
                    campaign.code = code
                    campaign.createdByID = identity.userID
                    campaign.createdAt = now
                    Self.apply(checked, to: campaign, now: now)
                    try await campaign.create(on: tx)
                    let id = try campaign.requireID()
                    for r in checked.reach { try await CampaignReach(campaignID: id, channel: r.channel, reach: r.reach, countedAs: r.countedAs).create(on: tx) }
                    try await Self.saveMaterials(checked.resources, campaign: id, on: tx)
                    try await audit.append(AuditEvent(actor: identity.auditActor, action: "campaign.created", recordType: "campaign", recordID: id.uuidString,
                                                      address: address, detail: "code \(code); \(checked.reach.count) channels; reach \(checked.reach.map(\.reach).reduce(0, +)); \(checked.resources.count) hub resources"),
                                           on: tx)
                    return campaign
                }
            } catch let error as AppError where error.status == .conflict && fixed == nil && attempts < 5 {
                continue  // a new code clashed with one in use: draw again
            } catch let error as any DatabaseError where error.isConstraintFailure && fixed == nil && attempts < 5 {
                continue  // another instance took the same code at the same moment
            }
        }
    }

    /// Saves an edited campaign: everything but its code.
    @discardableResult
    func update(_ id: UUID, _ input: Input, identity: Identity, address: String, now: Date = Date()) async throws -> Campaign {
        try require(identity, .manageTraining)
        guard try await Campaign.find(id, on: db) != nil else { throw AppError.notFound("campaign") }
        let checked = try await check(input, identity: identity, linked: Set(try await materialIDs(id)))
        return try await db.transaction { tx in
            guard let campaign = try await Campaign.find(id, on: tx) else { throw AppError.notFound("campaign") }
            let before = try await CampaignReach.query(on: tx).filter(\.$campaignID == id).all()
            let linked = try await CampaignMaterial.query(on: tx).filter(\.$campaignID == id).sort(\.$position).all().map(\.resourceID)
            var changed = Self.changes(from: campaign, reach: before, to: checked)
            if linked != checked.resources { changed.append("hubResources") }
            Self.apply(checked, to: campaign, now: now)
            try await campaign.save(on: tx)
            try await CampaignReach.query(on: tx).filter(\.$campaignID == id).delete()
            for r in checked.reach { try await CampaignReach(campaignID: id, channel: r.channel, reach: r.reach, countedAs: r.countedAs).create(on: tx) }
            try await CampaignMaterial.query(on: tx).filter(\.$campaignID == id).delete()
            try await Self.saveMaterials(checked.resources, campaign: id, on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "campaign.updated", recordType: "campaign", recordID: id.uuidString,
                                              address: address, detail: changed.isEmpty ? "no change" : "changed: " + changed.joined(separator: ", ")), on: tx)
            return campaign
        }
    }

    /// Archives a campaign: it leaves the current list; its code still counts reports (its
    /// leaflets are still out there).
    func archive(_ id: UUID, identity: Identity, address: String, now: Date = Date()) async throws {
        try require(identity, .manageTraining)
        try await db.transaction { tx in
            guard let campaign = try await Campaign.find(id, on: tx) else { throw AppError.notFound("campaign") }
            guard campaign.archivedAt == nil else { throw AppError.conflict("This campaign is already archived.") }
            campaign.archivedAt = now
            campaign.updatedAt = now
            try await campaign.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "campaign.archived", recordType: "campaign", recordID: id.uuidString,
                                              address: address, detail: "code \(campaign.code)"), on: tx)
        }
    }

    /// Deletes a campaign and its reach. Refused (409) once a report has arrived with its code:
    /// archive it instead, so the code is never given to another campaign.
    func delete(_ id: UUID, identity: Identity, address: String) async throws {
        try require(identity, .manageTraining)
        guard let found = try await Campaign.find(id, on: db) else { throw AppError.notFound("campaign") }
        if (try await reports.countsByCampaignCode([found.code])[found.code] ?? 0) > 0 {
            throw AppError.conflict("Reports have arrived with this campaign’s code, so it cannot be deleted: archive it instead.")
        }
        try await db.transaction { tx in
            guard let campaign = try await Campaign.find(id, on: tx) else { throw AppError.notFound("campaign") }
            try await CampaignReach.query(on: tx).filter(\.$campaignID == id).delete()
            try await CampaignMaterial.query(on: tx).filter(\.$campaignID == id).delete()
            try await campaign.delete(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "campaign.deleted", recordType: "campaign", recordID: id.uuidString,
                                              address: address, detail: "code \(campaign.code)"), on: tx)
        }
    }

    static func saveMaterials(_ resources: [UUID], campaign id: UUID, on tx: any Database) async throws {
        for (position, resource) in resources.enumerated() {
            try await CampaignMaterial(campaignID: id, resourceID: resource, position: position).create(on: tx)
        }
    }

    /// The hub resources a campaign used, in its order.
    func materialIDs(_ id: UUID) async throws -> [UUID] {
        try await CampaignMaterial.query(on: db).filter(\.$campaignID == id).sort(\.$position).all().map(\.resourceID)
    }

    static func apply(_ checked: Checked, to campaign: Campaign, now: Date) {
        campaign.name = checked.name
        campaign.audiences = checked.audiences.map(\.rawValue).joined(separator: ",")
        campaign.languages = checked.languages.map(\.rawValue).joined(separator: ",")
        campaign.areas = checked.areas.joined(separator: ",")
        campaign.startsOn = checked.startsOn.description
        campaign.endsOn = checked.endsOn.description
        campaign.materials = checked.materials.joined(separator: "\n")
        campaign.planActionID = checked.planActionID
        campaign.updatedAt = now
    }

    /// The names of the fields an edit changes (for the audit log: names, never values).
    static func changes(from c: Campaign, reach: [CampaignReach], to checked: Checked) -> [String] {
        let before = Set(reach.map { "\($0.channel)|\($0.reach)|\($0.countedAs)" })
        let after = Set(checked.reach.map { "\($0.channel.rawValue)|\($0.reach)|\($0.countedAs)" })
        let pairs: [(String, Bool)] = [
            ("name", c.name != checked.name), ("audiences", c.audienceList != checked.audiences), ("languages", c.languageList != checked.languages),
            ("reach", before != after), ("areas", c.areaList != checked.areas), ("startsOn", c.startsOn != checked.startsOn.description),
            ("endsOn", c.endsOn != checked.endsOn.description), ("materials", c.materialList != checked.materials),
            ("planAction", c.planActionID != checked.planActionID),
        ]
        return pairs.filter(\.1).map(\.0)
    }
}
