import CairnCore
import Foundation
import Hummingbird

/// The contact log: the page, planning or recording a contact, and recording what became of one.
extension CaseSupportController {
    func addContactRoutes(to router: AppRouter, table: RouteTable) {
        router.add(CaseSupportRoute.contacts(.key), table: table) { request, context, identity in
            let c = try await viewedCase(context, identity, section: "contacts")
            return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.record.code)", request: request, context: context)
        }
        router.add(CaseSupportRoute.planContact(.key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let (form, dates) = try await ContactForm.readWithDates(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let row = try await support.planContact(c, date: form.plannedOn ?? "", method: form.method ?? "", status: form.status ?? "",
                                                        note: form.note ?? "", address: context.clientAddress)
                return .seeOther(CaseSupportRoute.contacts(.value(id)).path,
                                 flash: "Contact on \(Format.day(row.plannedOn)) recorded: \(row.contactStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(CaseSupportRoute.updateContact(.key, contact: .key), table: table) { request, context, identity in
            let id = try context.id(.caseId, "case")
            let contactID = try context.id(.contactId, "contact")
            let form = try await StatusUpdateForm.read(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                let row = try await support.updateContact(c, contactID: contactID, status: form.status ?? "", note: form.note ?? "",
                                                          address: context.clientAddress)
                return .seeOther(CaseSupportRoute.contacts(.value(id)).path, flash: "Contact on \(Format.day(row.plannedOn)): \(row.contactStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
