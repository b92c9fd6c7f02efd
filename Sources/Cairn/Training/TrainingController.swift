import CairnCore
import Foundation
import Hummingbird

/// Training's pages (`TrainingRoute`): the totals and the courses here, the sessions in
/// `TrainingController+Sessions.swift`. Everything comes from `TrainingService`, which checks
/// who may read and change what; the view models are in `TrainingPages*.swift`.
struct TrainingController {
    let services: AppServices
    let views: Views
    var training: TrainingService { services.training }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(TrainingRoute.totals, table: table) { request, context, identity in
            let today = TrainingService.today()
            let (values, dates) = FormDates.read(request, fields: [
                "from": DateInput.Rules(label: "The first day", required: false), "to": DateInput.Rules(label: "The last day", required: false),
            ], today: today)
            var errors = dates.problems
            let fromText = values["from"] ?? "", toText = values["to"] ?? ""
            func day(_ text: String, _ field: String) -> CalendarDate? {
                guard !text.isEmpty, !errors.contains(where: { $0.field == field }) else { return nil }
                guard let day = try? CalendarDate(parsing: text) else {
                    errors.append(.init(field, "Enter a real date, for example \(today.day) \(today.month) \(today.year)")); return nil
                }
                return day
            }
            let from = day(fromText, "from"), to = day(toText, "to")
            let byText = request.query("by")
            var by = TrainingService.Breakdown.sector
            if !byText.isEmpty {
                if let known = TrainingService.Breakdown(rawValue: byText) { by = known }
                else { errors.append(.init("by", "Choose sector, area, course or month")) }
            }
            var totals = TrainingService.Totals(rows: [], total: 0)
            if errors.isEmpty {
                do { totals = try await training.totals(from: from, to: to, by: by, identity: identity) }
                catch let error as AppError where error.status == .unprocessableContent { errors += error.fieldErrors }
            }
            let period = switch (from, to) {
            case let (f?, t?): "\(Format.day(f)) to \(Format.day(t))"
            case let (f?, nil): "from \(Format.day(f))"
            case let (nil, t?): "up to \(Format.day(t))"
            case (nil, nil): "every session recorded"
            }
            let page = TrainingPages.totalsPage(totals, by: by, from: fromText, to: toText, period: period,
                                                canManage: identity.can(.manageTraining), today: today)
            return try views.render("training/totals", page, title: "Training", request: request, context: context, errors: errors,
                                    status: errors.isEmpty ? .ok : .badRequest, dates: dates)
        }
        router.add(TrainingRoute.courses, table: table) { request, context, identity in
            let courses = try await training.courses(identity: identity)
            let page = Pagination.pageNumber(request)
            let range = Pagination.rows(page: page, perPage: 25).clamped(to: 0..<courses.count)
            return try views.render("training/courses", TrainingPages.CoursesPage(
                rows: courses[range].map(TrainingPages.row), empty: courses.isEmpty, canManage: identity.can(.manageTraining),
                pagination: Pagination(page: page, perPage: 25, total: courses.count, path: TrainingRoute.courses.path, query: [])),
                title: "Training courses", request: request, context: context)
        }
        router.add(TrainingRoute.newCourse, table: table) { request, context, identity in
            try await courseForm(request, context, identity, input: .init(), editing: nil)
        }
        router.add(TrainingRoute.createCourse, table: table) { request, context, identity in
            let input = try await CourseForm.read(request).input
            do {
                let course = try await training.createCourse(input, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.course(.value(try course.requireID())).path, flash: "Course added.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try await courseForm(request, context, identity, input: input, editing: nil, errors: error.fieldErrors)
            }
        }
        router.add(TrainingRoute.course(.key), table: table) { request, context, identity in
            let detail = try await training.course(try context.id(.courseId, "course"), identity: identity)
            let agencies = try await agencyNames()
            let page = TrainingPages.coursePage(detail, agencies: agencies, canManage: identity.can(.manageTraining), today: TrainingService.today())
            return try views.render("training/course", page, title: detail.course.title, request: request, context: context)
        }
        router.add(TrainingRoute.editCourse(.key), table: table) { request, context, identity in
            let c = try await training.course(try context.id(.courseId, "course"), identity: identity).course
            let input = TrainingService.CourseInput(title: c.title, topics: c.topicList.map(\.rawValue), sectors: c.sectorList.map(\.rawValue),
                                                    outcomes: c.outcomes, duration: String(c.durationMinutes), planActionID: c.planActionID?.uuidString ?? "")
            return try await courseForm(request, context, identity, input: input, editing: try c.requireID())
        }
        router.add(TrainingRoute.updateCourse(.key), table: table) { request, context, identity in
            let id = try context.id(.courseId, "course")
            let input = try await CourseForm.read(request).input
            do {
                try await training.updateCourse(id, input, identity: identity, address: context.clientAddress)
                return .seeOther(TrainingRoute.course(.value(id)).path, flash: "Course saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                _ = try await training.course(id, identity: identity)
                return try await courseForm(request, context, identity, input: input, editing: id, errors: error.fieldErrors)
            }
        }
        addSessionRoutes(to: router, table: table)
    }

    func courseForm(_ request: Request, _ context: CairnRequestContext, _ identity: Identity, input: TrainingService.CourseInput, editing: UUID?,
                    errors: [AppError.FieldError] = []) async throws -> Response {
        let page = TrainingPages.courseForm(input, editing: editing, actions: try await training.actionChoices(identity: identity))
        return try views.render("training/course-form", page, title: page.heading, request: request, context: context, errors: errors,
                                status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func agencyNames() async throws -> [UUID: String] {
        Dictionary(try await services.accounts.agencies().compactMap { a in a.id.map { ($0, a.name) } }, uniquingKeysWith: { first, _ in first })
    }
}
