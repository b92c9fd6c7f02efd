import CairnCore
import Foundation
import Hummingbird

/// The contact log: the page, planning or recording a contact, and recording what became of one.
extension CaseSupportController {
    func addContactRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases/:id/contacts", .workCases, table: table) { request, context in
            let c = try await viewedCase(context, section: "contacts")
            return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/contacts", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["plannedOn": DateInput.Rules(label: "Date")])
            let c = try await cases.authorise(id, identity: identity)
            do {
                try dates.check()
                let row = try await support.planContact(c, date: data["plannedOn"] ?? "", method: data["method"] ?? "", status: data["status"] ?? "",
                                                        note: data["note"] ?? "", address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/contacts", flash: "Contact on \(Format.day(row.plannedOn)) recorded: \(row.contactStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.post, "/cases/:id/contacts/:contact", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try CaseController.id(context)
            guard let contactID = context.parameters.get("contact").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound("contact") }
            let data = try await FormData.read(request)
            let c = try await cases.authorise(id, identity: identity)
            do {
                let row = try await support.updateContact(c, contactID: contactID, status: data["status"] ?? "", note: data["note"] ?? "",
                                                          address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)/contacts", flash: "Contact on \(Format.day(row.plannedOn)): \(row.contactStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/contacts", try await contactsPage(c), title: "Contacts · \(c.record.code)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }
    }
}
