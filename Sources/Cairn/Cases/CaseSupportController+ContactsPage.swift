import CairnCore
import Foundation

/// The contact log page: contacts planned with the survivor and what became of them.
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

    func contactsPage(_ c: AuthorisedCase) async throws -> ContactsPage {
        let rows = try await support.contacts(of: c)
        let today = CaseSupportService.today()
        let held = rows.filter { $0.contactStatus == .attended || $0.contactStatus == .missed }
        var streak = 0
        for contact in held { if contact.contactStatus == .missed { streak += 1 } else { break } }
        return ContactsPage(
            header: Self.header(c, current: .contacts),
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
}
