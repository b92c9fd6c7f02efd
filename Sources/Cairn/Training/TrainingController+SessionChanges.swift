import CairnCore
import Foundation
import Hummingbird

/// Changing a session from its pages: the edit form, deleting it (behind a page that asks to
/// confirm), and taking a person off its register (likewise).
extension TrainingController {
    func addSessionChangeRoutes(to router: AppRouter, table: RouteTable) {
        router.add(TrainingRoute.editSession(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            return try await sessionForm(request, context, identity, input: try await training.sessionInput(for: id, identity: identity), editing: id)
        }
        router.add(TrainingRoute.updateSession(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            let (form, dates) = try await SessionForm.readWithDates(request)
            let input = form.input
            do {
                try await training.updateSession(id, input, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.session(.value(id)).path, flash: "Session saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await sessionForm(request, context, identity, input: input, editing: id, errors: PlanController.merge(error.fieldErrors, dates),
                                             dates: dates)
            }
        }
        router.add(TrainingRoute.confirmRemoveAttendee(.key, .key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session"), attendeeID = try context.id(.attendeeId, "attendee")
            let attendee = try await training.attendee(attendeeID, session: id, identity: identity)
            let page = ConfirmPage(heading: "Remove \(attendee.name) from the register?",
                                   body: "They are taken off this session’s register. They leave the totals of people trained unless they are on another session’s register.",
                                   action: TrainingRoute.removeAttendee(.value(id), .value(attendeeID)).path, button: "Remove from the register",
                                   cancel: TrainingRoute.register(.value(id)).path, warning: true)
            return try views.render("confirm", page, title: "Remove an attendee", request: request, context: context)
        }
        router.add(TrainingRoute.removeAttendee(.key, .key), table: table) { _, context, identity in
            let id = try context.id(.sessionId, "session"), attendeeID = try context.id(.attendeeId, "attendee")
            try await training.removeAttendee(attendeeID, session: id, identity: identity, address: context.clientAddress)
            return .seeOther(TrainingRoute.register(.value(id)).path, flash: "Attendee removed from the register.")
        }
        router.add(TrainingRoute.confirmDeleteSession(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            let detail = try await training.session(id, identity: identity)
            let contents = try await training.sessionContents(id, identity: identity)
            var parts: [String] = []
            if contents.countRows > 0 { parts.append("its attendance counts (\(contents.people) people)") }
            if contents.registered > 0 { parts.append("its register of \(contents.registered) named attendees") }
            if contents.sheets > 0 { parts.append("its \(contents.sheets) confidence sheets") }
            let body = "The session is deleted, not kept" + (parts.isEmpty ? "." : ", with " + parts.joined(separator: ", ") + ".")
                + " Its people leave the totals of people trained unless they attended another session."
            let page = ConfirmPage(heading: "Delete the session of \(detail.course.title) on \(Format.day(detail.session.heldOn))?", body: body,
                                   action: TrainingRoute.deleteSession(.value(id)).path, button: "Delete the session",
                                   cancel: TrainingRoute.session(.value(id)).path, warning: true)
            return try views.render("confirm", page, title: page.heading, request: request, context: context)
        }
        router.add(TrainingRoute.deleteSession(.key), table: table) { _, context, identity in
            let id = try context.id(.sessionId, "session")
            try await training.deleteSession(id, identity: identity, address: context.clientAddress)
            return .seeOther(TrainingRoute.sessions.path, flash: "Session deleted.")
        }
    }
}
