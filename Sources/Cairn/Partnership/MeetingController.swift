import CairnCore
import Foundation
import Hummingbird

/// Meetings of the board, its sub-groups and networks (the list, one meeting with its
/// attendance, papers, decisions and actions, the form that records or changes one) and the
/// action log. View models are in `MeetingViews.swift`; everything goes through `GovernanceService`.
struct MeetingController {
    let services: AppServices
    let views: Views
    var governance: GovernanceService { services.governance }

    static let perPage = 25

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(MeetingRoute.meetings, table: table) { request, context, identity in
            let sort = GovernanceService.MeetingSort(rawValue: request.query("sort")) ?? .newest
            let groupID = UUID(uuidString: request.query("group"))
            let page = Pagination.pageNumber(request)
            let list = try await governance.meetings(identity: identity, groupID: groupID, sort: sort, page: page, perPage: Self.perPage)
            let groups = try await governance.groups(identity: identity)
            let path = MeetingRoute.meetings.path
            let model = MeetingsPage(
                rows: try list.rows.map(Self.row), empty: list.rows.isEmpty, canEdit: identity.can(.editPartnership),
                sorts: GovernanceController.choices(GovernanceService.MeetingSort.self, selected: sort.rawValue, label: \.label),
                groups: try groups.map { Choice(value: try $0.group.requireID().uuidString, label: $0.group.name, selected: $0.group.id == groupID) },
                pagination: Pagination(page: page, perPage: Self.perPage, total: list.total, path: path,
                                       query: [("group", groupID?.uuidString ?? ""), ("sort", sort.rawValue)]))
            return try views.render("partnership/meeting-list", model, title: "Meetings", request: request, context: context)
        }
        router.add(MeetingRoute.newMeeting, table: table) { request, context, identity in
            var input = GovernanceService.MeetingInput()
            input.groupID = UUID(uuidString: request.query("group"))?.uuidString ?? ""
            return try views.render("partnership/meeting-form", try await meetingForm(nil, input: input, identity: identity), title: "Record a meeting",
                                    request: request, context: context)
        }
        router.add(MeetingRoute.recordMeeting, table: table) { request, context, identity in
            let (form, dates) = try await MeetingForm.readWithDates(request)
            do {
                let meeting = try await governance.recordMeeting(form.input, identity: identity, address: context.clientAddress)
                return .seeOther(MeetingRoute.meeting(.value(try meeting.requireID())).path, flash: "Meeting recorded.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("partnership/meeting-form", try await meetingForm(nil, input: form.input, identity: identity, errors: dates.merged(error.fieldErrors)),
                                        title: "Record a meeting", request: request, context: context, errors: dates.merged(error.fieldErrors), status: error.status, dates: dates)
            }
        }
        router.add(MeetingRoute.meeting(.key), table: table) { request, context, identity in
            let d = try await governance.meeting(try context.id(.meetingId, "meeting"), identity: identity)
            return try views.render("partnership/meeting-show", try await meetingPage(d, identity: identity), title: d.meeting.title,
                                    request: request, context: context)
        }
        router.add(MeetingRoute.editMeeting(.key), table: table) { request, context, identity in
            let d = try await governance.meeting(try context.id(.meetingId, "meeting"), identity: identity)
            return try views.render("partnership/meeting-form", try await meetingForm(d, input: nil, identity: identity), title: "Change \(d.meeting.title)",
                                    request: request, context: context)
        }
        router.add(MeetingRoute.updateMeeting(.key), table: table) { request, context, identity in
            let id = try context.id(.meetingId, "meeting")
            let (form, dates) = try await MeetingForm.readWithDates(request)
            do {
                _ = try await governance.updateMeeting(id, form.input, identity: identity, address: context.clientAddress)
                return .seeOther(MeetingRoute.meeting(.value(id)).path, flash: "Changes saved.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let d = try await governance.meeting(id, identity: identity)
                return try views.render("partnership/meeting-form", try await meetingForm(d, input: form.input, identity: identity, errors: dates.merged(error.fieldErrors)),
                                        title: "Change \(d.meeting.title)", request: request, context: context, errors: dates.merged(error.fieldErrors),
                                        status: error.status, dates: dates)
            }
        }
        router.add(MeetingRoute.addAction(.key), table: table) { request, context, identity in
            let id = try context.id(.meetingId, "meeting")
            let (form, dates) = try await MeetingActionForm.readWithDates(request)
            do {
                _ = try await governance.addAction(to: id, form.input, identity: identity, address: context.clientAddress)
                return .seeOther(MeetingRoute.meeting(.value(id)).path(fragment: "actions"), flash: "Action added to the log.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let d = try await governance.meeting(id, identity: identity)
                return try views.render("partnership/meeting-show", try await meetingPage(d, identity: identity, action: form.input),
                                        title: d.meeting.title, request: request, context: context, errors: dates.merged(error.fieldErrors), status: error.status, dates: dates)
            }
        }
        router.add(MeetingRoute.actions, table: table) { request, context, identity in
            let filter = GovernanceService.ActionFilter(rawValue: request.query("status")) ?? .open
            let page = Pagination.pageNumber(request)
            let list = try await governance.actions(identity: identity, filter: filter, page: page, perPage: Self.perPage)
            let path = MeetingRoute.actions.path
            let model = ActionsPage(
                rows: try list.rows.map(Self.actionRow), empty: list.rows.isEmpty, filter: filter.label.lowercased(),
                tabs: GovernanceService.ActionFilter.allCases.map {
                    Choice(value: MeetingRoute.actions.path(query: [("status", $0.rawValue)]), label: $0.label, selected: $0 == filter)
                },
                canEdit: identity.can(.editPartnership),
                pagination: Pagination(page: page, perPage: Self.perPage, total: list.total, path: path, query: [("status", filter.rawValue)]))
            return try views.render("partnership/meeting-actions", model, title: "Action log", request: request, context: context)
        }
        router.add(MeetingRoute.actionStatus(.key), table: table) { request, context, identity in
            let form = try await ActionStatusForm.read(request)
            let action = try await governance.setActionStatus(try context.id(.actionId, "action"), status: form.status ?? "", identity: identity,
                                                              address: context.clientAddress)
            // Back to where the button was: the meeting's page, or the log.
            let back = form.from == "log" ? MeetingRoute.actions.path : MeetingRoute.meeting(.value(action.meetingID)).path(fragment: "actions")
            return .seeOther(back, flash: action.actionStatus == .done ? "Action marked done." : "Action open again.")
        }
    }
}
