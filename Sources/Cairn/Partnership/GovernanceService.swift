import CairnCore
import FluentKit
import Foundation

/// The partnership's members and governance: each member agency's role, named contacts and
/// the date it joined; the board, its sub-groups and the sector networks; meetings with
/// attendance, papers and decisions; and the action log. The only way to their storage: every
/// signed-in role reads (`viewPartnership`), coordinators and administrators change
/// (`editPartnership`), every change and every read of a contact's details is audited.
///
/// Its parts are in `GovernanceService+Members`, `+Groups`, `+Meetings` and `+Actions`.
/// Agencies are read from the shared directory (`Agency`); information-sharing agreements are
/// `AgreementService`'s.
public struct GovernanceService: Sendable {
    let database: CairnDatabase
    let audit: AuditLog

    var db: any Database { database.db }

    static func today(_ now: Date = Date()) -> CalendarDate { CalendarDate(now, in: .london) }

    func require(_ identity: Identity, _ permission: Permission) throws {
        guard identity.can(permission) else { throw AppError.forbidden }
    }

    func log(_ identity: Identity, _ action: String, _ recordType: String, _ recordID: UUID?, address: String, detail: String = "",
             on db: (any Database)? = nil) async throws {
        try await audit.append(AuditEvent(actor: identity.auditActor, action: action, recordType: recordType, recordID: recordID?.uuidString ?? "",
                                          address: address, detail: detail), on: db)
    }

    /// Every agency of the directory by id (the partnership has tens, not thousands).
    static func agencies(on db: any Database) async throws -> [UUID: Agency] {
        Dictionary(try await Agency.query(on: db).all().map { (try $0.requireID(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The agencies that are members now, with their membership.
    static func currentMembers(on db: any Database) async throws -> [UUID: PartnershipMember] {
        Dictionary(try await PartnershipMember.query(on: db).filter(\.$leftOn == nil).all().map { ($0.agencyID, $0) },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Reads a list of agency ids that must all be current members: an id that is not one, or
    /// an agency that is not a member, is an error on `field` naming it.
    static func memberAgencies(_ texts: [String], field: String, members: [UUID: PartnershipMember], agencies: [UUID: Agency],
                               into v: inout Validator) -> [UUID] {
        var ids: [UUID] = []
        for text in texts {
            guard let id = UUID(uuidString: text.trimmingCharacters(in: .whitespaces)), let agency = agencies[id] else {
                v.add(field, "Choose member agencies from the list.")
                return []
            }
            guard members[id] != nil else {
                v.add(field, "\(agency.name) is not a member of the partnership.")
                return []
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// A date field: `YYYY-MM-DD`, as the forms' date boxes and the API send it.
    static func date(_ text: String, field: String, label: String, required: Bool = true, notAfter latest: CalendarDate? = nil,
                     into v: inout Validator) -> CalendarDate? {
        let cleaned = text.trimmingCharacters(in: .whitespaces)
        if cleaned.isEmpty {
            if required { v.add(field, "Enter \(label.lowercased()).") }
            return nil
        }
        guard let date = try? CalendarDate(parsing: cleaned) else {
            v.add(field, "\(label) must be a real date, written YYYY-MM-DD, for example 2026-03-14.")
            return nil
        }
        if let latest, date > latest {
            v.add(field, "\(label) must be today or in the past.")
            return nil
        }
        return date
    }

    /// The names of `ids`, in alphabetical order ("an agency no longer listed" for one removed).
    static func names(_ ids: some Sequence<UUID>, _ agencies: [UUID: Agency]) -> [String] {
        ids.map { agencies[$0]?.name ?? "An agency no longer listed" }.sorted()
    }
}

/// A page of a list, as the services give it: the rows and how many there are in all.
struct ListPage<Row: Sendable>: Sendable {
    let rows: [Row]
    let total: Int
    let page: Int
    let perPage: Int

    /// `all`, already in order, cut to one page.
    init(all: [Row], page: Int, perPage: Int) {
        let range = Pagination.rows(page: page, perPage: perPage)
        rows = range.lowerBound < all.count ? Array(all[range.lowerBound..<min(range.upperBound, all.count)]) : []
        total = all.count
        self.page = page
        self.perPage = perPage
    }

    init(rows: [Row], total: Int, page: Int, perPage: Int) {
        self.rows = rows
        self.total = total
        self.page = page
        self.perPage = perPage
    }
}
