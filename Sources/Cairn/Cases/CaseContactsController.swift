import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The case team's contact log page.
extension CaseSupportController {
    struct ContactRow: Sendable {
        let id: String
        let date: String
        let method: String
        let status: String
        let note: String?
        /// Planned for a day that has passed, and not yet recorded.
        let unrecorded: Bool
        let open: Bool
        let statusChoices: [Choice]
    }

    struct ContactsPage: Sendable, DateFieldPage {
        let header: Header
        let rows: [ContactRow]
        let empty: Bool
        let methods: [Choice]
        let statuses: [Choice]
        let today: String
        var dates: [String: DateField] = [:]
        let missedStreak: Int?
    }

    func contactsPage(_ c: SupportCase) async throws -> ContactsPage {
        let rows = try await support.contacts(try c.requireID())
        let today = CaseSupportService.today()
        let held = rows.filter { $0.contactStatus == .attended || $0.contactStatus == .missed }
        var streak = 0
        for contact in held { if contact.contactStatus == .missed { streak += 1 } else { break } }
        return ContactsPage(
            header: try Self.header(c, current: "/contacts"),
            rows: try rows.map { r in
                let day = try? CalendarDate(parsing: r.plannedOn)
                return ContactRow(id: try r.requireID().uuidString, date: Format.day(r.plannedOn), method: r.contactMethod.label, status: r.contactStatus.label,
                                  note: r.note.nilIfEmpty, unrecorded: r.contactStatus == .planned && (day.map { $0 < today } ?? false),
                                  open: r.contactStatus == .planned,
                                  statusChoices: [ContactStatus.attended, .missed, .cancelled].map { Choice(value: $0.rawValue, label: $0.label, selected: false) })
            },
            empty: rows.isEmpty,
            methods: ContactMethod.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == .inPerson) },
            statuses: ContactStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == .planned) },
            today: today.description,
            dates: ["plannedOn": DateField("plannedOn", legend: "Date", hint: DateField.example(today), value: "")],
            missedStreak: streak >= 2 ? streak : nil)
    }

    func addContactRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases/:id/contacts", .workCases, table: table) { request, context in
            let (_, c) = try await teamCase(context, section: "contacts")
            return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/contacts", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["plannedOn": DateInput.Rules(label: "Date")])
            do {
                try dates.check()
                let row = try await support.planContact(id, date: data["plannedOn"] ?? "", method: data["method"] ?? "", status: data["status"] ?? "",
                                                        note: data["note"] ?? "", identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/contacts", flash: "Contact on \(Format.day(row.plannedOn)) recorded: \(row.contactStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.post, "/cases/:id/contacts/:contact", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            guard let contactID = context.parameters.get("contact").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("contact") }
            let data = try await FormData.read(request)
            do {
                let row = try await support.updateContact(id, contactID: contactID, status: data["status"] ?? "", note: data["note"] ?? "",
                                                          identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/contacts", flash: "Contact on \(Format.day(row.plannedOn)): \(row.contactStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let c = try await cases.teamCase(id, identity: identity)
                return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
