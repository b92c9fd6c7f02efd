import CairnCore
import Foundation
import Hummingbird

/// The sessions' pages: the list (filters in the URL), the form for a new session, one session
/// with its attendance and feedback forms, and the register.
extension TrainingController {
    func addSessionRoutes(to router: AppRouter, table: RouteTable) {
        router.add(TrainingRoute.sessions, table: table) { request, context, identity in
            var q = TrainingService.SessionQuery()
            var errors: [AppError.FieldError] = []
            let whenText = request.query("when"), courseText = request.query("course")
            if !whenText.isEmpty {
                if let when = TrainingService.SessionQuery.When(rawValue: whenText) { q.when = when }
                else { errors.append(.init("when", "Choose upcoming or past sessions")) }
            }
            if !courseText.isEmpty {
                if let id = UUID(uuidString: courseText) { q.courseID = id }
                else { errors.append(.init("course", "Choose a course from the list")) }
            }
            q.page = Pagination.pageNumber(request)
            let today = TrainingService.today()
            let (sessions, total) = try await training.sessions(q, identity: identity, today: today)
            let titles = try await training.courseTitles(identity: identity)
            let agencies = try await agencyNames()
            let items = [("when", q.when?.rawValue ?? ""), ("course", q.courseID?.uuidString ?? "")]
            let page = TrainingPages.SessionsPage(
                rows: sessions.map { TrainingPages.sessionRow($0, course: titles[$0.courseID] ?? "", agencies: agencies, today: today) },
                empty: sessions.isEmpty, filtered: q.when != nil || q.courseID != nil,
                whens: [Choice(value: "upcoming", label: "Upcoming", selected: q.when == .upcoming), Choice(value: "past", label: "Past", selected: q.when == .past)],
                courses: titles.sorted { $0.value < $1.value }.map { Choice(value: $0.key.uuidString, label: $0.value, selected: $0.key == q.courseID) },
                canManage: identity.can(.manageTraining), newHref: TrainingRoute.newSession.path(query: [("course", q.courseID?.uuidString ?? "")]),
                pagination: Pagination(page: q.page, perPage: q.perPage, total: total, path: TrainingRoute.sessions.path, query: items))
            return try views.render("training/sessions", page, title: "Training sessions", request: request, context: context, errors: errors,
                                    status: errors.isEmpty ? .ok : .badRequest)
        }
        router.add(TrainingRoute.newSession, table: table) { request, context, identity in
            var input = TrainingService.SessionInput()
            input.courseID = UUID(uuidString: request.query("course"))?.uuidString ?? ""
            input.trainerAgencyID = identity.agencyID.uuidString
            return try await sessionForm(request, context, identity, input: input)
        }
        router.add(TrainingRoute.createSession, table: table) { request, context, identity in
            let (form, dates) = try await SessionForm.readWithDates(request)
            let input = form.input
            do {
                let session = try await training.createSession(input, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.session(.value(try session.requireID())).path, flash: "Session recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await sessionForm(request, context, identity, input: input, errors: PlanController.merge(error.fieldErrors, dates), dates: dates)
            }
        }
        router.add(TrainingRoute.session(.key), table: table) { request, context, identity in
            let detail = try await training.session(try context.id(.sessionId, "session"), identity: identity)
            return try views.render("training/session", TrainingPages.sessionPage(detail, canManage: identity.can(.manageTraining)),
                                    title: "Training session", request: request, context: context)
        }
        router.add(TrainingRoute.recordAttendance(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            let rows = try await AttendanceForm.read(request).rows
            do {
                try await training.recordAttendance(id, rows: rows, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.session(.value(id)).path(fragment: "attendance"), flash: "Attendance saved.")
            } catch let error as AppError where [HTTPResponse.Status.badRequest, .unprocessableContent, .conflict].contains(error.status) {
                let detail = try await training.session(id, identity: identity)
                let errors = error.fieldErrors.isEmpty ? [AppError.FieldError("sector-1", error.detail)] : error.fieldErrors
                return try views.render("training/session", TrainingPages.sessionPage(detail, canManage: true, typed: rows, errors: errors),
                                        title: "Training session", request: request, context: context, errors: errors, status: error.status)
            }
        }
        router.add(TrainingRoute.recordFeedback(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            let sheet = try await FeedbackForm.read(request).input
            do {
                try await training.recordSheet(id, sheet, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.session(.value(id)).path(fragment: "feedback"), flash: "Confidence sheet recorded.")
            } catch let error as AppError where [HTTPResponse.Status.badRequest, .unprocessableContent, .conflict].contains(error.status) {
                let detail = try await training.session(id, identity: identity)
                let errors = error.fieldErrors.isEmpty ? [AppError.FieldError("phase", error.detail)] : error.fieldErrors
                return try views.render("training/session", TrainingPages.sessionPage(detail, canManage: true, sheet: sheet, errors: errors),
                                        title: "Training session", request: request, context: context, errors: errors, status: error.status)
            }
        }
        router.add(TrainingRoute.register(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            let detail = try await training.session(id, identity: identity)
            let attendees = try await training.register(id, identity: identity, address: context.clientAddress)
            return try views.render("training/register", TrainingPages.registerPage(detail, attendees: attendees), title: "Register",
                                    request: request, context: context)
        }
        router.add(TrainingRoute.addAttendee(.key), table: table) { request, context, identity in
            let id = try context.id(.sessionId, "session")
            let input = try await AttendeeForm.read(request).input
            do {
                try await training.addAttendee(id, input, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.register(.value(id)).path, flash: "Attendee added to the register.")
            } catch let error as AppError where [HTTPResponse.Status.unprocessableContent, .conflict].contains(error.status) {
                let detail = try await training.session(id, identity: identity)
                let attendees = try await training.register(id, identity: identity, address: context.clientAddress)
                return try views.render("training/register", TrainingPages.registerPage(detail, attendees: attendees, typed: input), title: "Register",
                                        request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("name", error.detail)] : error.fieldErrors, status: error.status)
            }
        }
        addSessionChangeRoutes(to: router, table: table)
    }

    func sessionForm(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, input: TrainingService.SessionInput,
                     editing: UUID? = nil, errors: [AppError.FieldError] = [], dates: FormDates? = nil) async throws -> Response {
        let courses = try await training.courses(identity: identity)
        let agencies = try await services.accounts.agencies()
        let page = TrainingPages.sessionForm(input, courses: courses, agencies: agencies, today: TrainingService.today(), editing: editing)
        return try views.render("training/session-form", page, title: page.heading, request: request, context: context, errors: errors,
                                status: errors.isEmpty ? .ok : .unprocessableContent, dates: dates)
    }
}
