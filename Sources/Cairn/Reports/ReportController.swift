import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The practitioners' side of reports: inboxes, recording a report, triage, the workflow,
/// referrals, outcomes and the CSV export.
struct ReportController {
    let services: AppServices
    let views: Views
    var reports: ReportService { services.reports }

    // MARK: View models

    struct Row: Sendable {
        let id: String
        let reference: String
        let received: String
        let due: String
        let overdue: Bool
        /// Not triaged yet: `due` is the triage deadline.
        let awaitsTriage: Bool
        let status: String
        let urgency: String
        let urgencyClass: String
        let types: String
        let district: String
        let agency: String
        let source: String
    }

    struct ListPage: Sendable {
        let rows: [Row]
        let empty: Bool
        let tabs: [Choice]
        let inbox: String
        let search: String
        let statuses: [Choice]
        let urgencies: [Choice]
        let types: [Choice]
        let agencies: [Choice]
        let sorts: [Choice]
        let district: String
        let overdue: Bool
        let canCreate: Bool
        let canExport: Bool
        let exportHref: String
        let pagination: Pagination
    }

    struct PersonRow: Sendable {
        let index: Int
        let number: Int
        let name: String
        let aliases: String
        let dateOfBirth: String
        let age: String
        let nationality: String
    }

    struct AddressRow: Sendable {
        let index: Int
        let number: Int
        let line: String
        let postcode: String
    }

    struct IndicatorChoice: Sendable {
        let id: String
        let field: String
        let text: String
        let dimension: String
        let observed: Bool
        let disclosed: Bool
    }

    struct IndicatorGroup: Sendable {
        let label: String
        let items: [IndicatorChoice]
        let open: Bool
    }

    struct FormPage: Sendable {
        let action: String
        let heading: String
        let submission: String
        let description: String
        let dangerNow: Bool
        let types: [Choice]
        let countyLines: Bool
        let ages: [Choice]
        let sectors: [Choice]
        let location: String
        let postcode: String
        let occurred: String
        let persons: [PersonRow]
        let addresses: [AddressRow]
        let phones: String
        let vehicles: String
        let businesses: String
        let online: String
        let groups: [IndicatorGroup]
        let isNew: Bool
        let cancel: String
    }

    struct Line: Sendable {
        let label: String
        let value: String
    }

    struct EventRow: Sendable {
        let at: String
        let actor: String
        let action: String
        let change: String?
        let note: String?
    }

    struct ReferralRow: Sendable {
        let id: String
        let from: String
        let to: String
        let status: String
        let shared: String
        let request: String
        let response: String?
        let canRespond: Bool
        let pending: Bool
        let accepted: Bool
    }

    struct MentionRow: Sendable {
        let kind: String
        let value: String
        let normalised: String
        let extra: String
    }

    struct IndicatorRow: Sendable {
        let list: String
        let dimension: String
        let text: String
        let knowledge: String
        let version: String
    }

    struct DetailPage: Sendable {
        let id: String
        let reference: String
        let status: String
        let urgency: String
        let urgencyClass: String
        let overdue: Bool
        let due: String
        /// Not triaged yet: `due` is the triage deadline.
        let awaitsTriage: Bool
        let shared: Bool
        let sharedNote: String
        let summary: [Line]
        let rules: [FiredRule]
        let noRules: Bool
        let routing: String?
        let description: String
        let reporter: [Line]
        let showReporter: Bool
        let mentions: [MentionRow]
        let hasMentions: Bool
        let indicators: [IndicatorRow]
        let hasIndicators: Bool
        let events: [EventRow]
        let referrals: [ReferralRow]
        let hasReferrals: Bool
        let outcome: [Line]
        let closed: Bool
        // What this person may do now.
        let canAccept: Bool
        let canReject: Bool
        let canReroute: Bool
        let canStart: Bool
        let canAssign: Bool
        let canClose: Bool
        let canReopen: Bool
        let canTriage: Bool
        let canRefer: Bool
        /// A caseworker may open a survivor-support case from the report.
        let canOpenCase: Bool
        let hasActions: Bool
        let agencies: [Choice]
        let shareChoices: [Choice]
        let suggested: String?
        /// Analysts: the reports this one is linked to, and why.
        let links: IntelligenceController.LinkPanel?
        let canRecordIntelligence: Bool
    }

    struct ClosePage: Sendable, DateFieldPage {
        let id: String
        let reference: String
        let outcomes: [Choice]
        var dates: [String: DateField]
        let note: String
    }

    // MARK: Routes

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/reports", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let q = try Self.query(request, identity: identity)
            let (items, total) = try await reports.list(q, identity: identity)
            try await services.audit.append(AuditEvent(actor: identity.auditActor, action: "report.listed", recordType: "report",
                                                       address: context.clientAddress, detail: "\(q.inbox?.rawValue ?? "default"); \(items.count) shown"))
            let agencies = try await services.accounts.agencies()
            let names = Dictionary(uniqueKeysWithValues: try agencies.map { (try $0.requireID(), $0.name) })
            let inboxes: [ReportService.Inbox] = identity.can(.triageReports) ? ReportService.Inbox.allCases : [.assigned, .made, .referred]
            let queryItems = Self.queryItems(q)
            let page = ListPage(
                rows: try items.map { try row($0, names: names) }, empty: items.isEmpty,
                tabs: inboxes.map { Choice(value: "/reports?inbox=\($0.rawValue)", label: $0.label, selected: $0 == q.inbox) },
                inbox: q.inbox?.rawValue ?? "", search: q.search,
                statuses: ReportStatus.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.status) },
                urgencies: Urgency.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.urgency) },
                types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.type) },
                agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == q.agencyID) },
                sorts: ReportService.Sort.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == q.sort) },
                district: q.district, overdue: q.overdue, canCreate: identity.can(.createReport), canExport: identity.can(.exportReports),
                exportHref: Self.href("/reports.csv", queryItems),
                pagination: Pagination(page: q.page, perPage: q.perPage, total: total, path: "/reports", query: queryItems))
            return try views.render("reports/index", page, title: "Reports", request: request, context: context)
        }

        router.add(.get, "/reports.csv", .exportReports, table: table) { request, context in
            let identity = try context.requireIdentity(.exportReports)
            let q = try Self.query(request, identity: identity)
            let (csv, _) = try await reports.exportCSV(q, identity: identity, address: context.clientAddress)
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"cairn-reports.csv\""],
                            body: .init(byteBuffer: .init(string: csv)))
        }

        router.add(.get, "/reports/new", .createReport, table: table) { request, context in
            let catalogue = try await reports.catalogue()
            return try views.render("reports/form", form(ReportInput(), catalogue: catalogue, submission: UUID().uuidString),
                                    title: "Record a report of concern", request: request, context: context)
        }

        router.add(.post, "/reports", .createReport, table: table) { request, context in
            let identity = try context.requireIdentity(.createReport)
            let data = try await FormData.read(request)
            let input = Self.input(data)
            let submission = String((data["submission"] ?? "").prefix(64))
            do {
                let submitted = try await reports.submit(input, source: .practitioner, identity: identity, address: context.clientAddress,
                                                         idempotencyKey: submission.isEmpty ? nil : "web:\(submission)", requireFormAnswers: true)
                let r = submitted.report
                return .seeOther("/reports/\(try r.requireID().uuidString)", flash: "Report \(r.reference) recorded: urgency \(r.reportUrgency.label.lowercased()).")
            } catch let issues as ReportIssues {
                let catalogue = try await reports.catalogue()
                return try views.render("reports/form", form(input, catalogue: catalogue, submission: submission),
                                        title: "Record a report of concern", request: request, context: context,
                                        errors: issues.fieldErrors, status: .unprocessableContent)
            }
        }

        router.add(.get, "/reports/:id", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let detail = try await reports.detail(try Self.id(context), identity: identity, address: context.clientAddress)
            let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
            return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context)
        }

        router.add(.post, "/reports/:id/actions", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let reason = String((data["reason"] ?? "").prefix(4000)).trimmingCharacters(in: .whitespacesAndNewlines)
            let agencyID = UUID(uuidString: data["agencyId"] ?? "")
            let command: ReportService.Command
            switch data["action"] ?? "" {
            case "accept": command = .accept
            case "reject": command = .reject(reason: reason)
            case "reroute": command = .reroute(agencyID: agencyID, reason: reason)
            case "start": command = .start
            case "assign": command = .assign(agencyID: agencyID, note: reason)
            case "reopen": command = .reopen(reason: reason)
            default: throw AppError.badRequest("Choose an action: accept, reject, reroute, start, assign or reopen.")
            }
            do {
                let report = try await reports.perform(command, on: id, identity: identity, address: context.clientAddress)
                return .seeOther("/reports/\(id.uuidString)", flash: "Report \(report.reference): \(report.reportStatus.label.lowercased()).")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let detail = try await reports.detail(id, identity: identity, address: context.clientAddress)
                let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
                return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("actions", error.detail)] : error.fieldErrors, status: error.status)
            }
        }

        router.add(.get, "/reports/:id/close", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let (report, _) = try await reports.visibleReport(try Self.id(context), identity: identity)
            return try views.render("reports/close", closePage(report, outcome: "", date: Self.today(), note: ""),
                                    title: "Close report \(report.reference)", request: request, context: context)
        }

        router.add(.post, "/reports/:id/close", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let id = try Self.id(context)
            let (data, dates) = try await FormData.read(request).withDates(["outcomeDate": DateInput.Rules(label: "Date of the outcome", timing: .todayOrPast)])
            let outcome = data["outcome"] ?? "", date = data["outcomeDate"] ?? "", note = data["outcomeNote"] ?? ""
            do {
                try dates.check()
                let report = try await reports.perform(.close(outcome: outcome, date: date, note: note), on: id, identity: identity, address: context.clientAddress)
                return .seeOther("/reports/\(id.uuidString)", flash: "Report \(report.reference) closed: \(report.reportOutcome?.label ?? "").")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let (report, _) = try await reports.visibleReport(id, identity: identity)
                return try views.render("reports/close", closePage(report, outcome: outcome, date: date, note: note),
                                        title: "Close report \(report.reference)", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("outcome", error.detail)] : error.fieldErrors, status: error.status, dates: dates)
            }
        }

        router.add(.get, "/reports/:id/triage", .triageReports, table: table) { request, context in
            let identity = try context.requireIdentity(.triageReports)
            let (report, _) = try await reports.visibleReport(try Self.id(context), identity: identity)
            let catalogue = try await reports.catalogue()
            let ticks = try await reports.indicatorTicks(of: report)
            var input = ReportInput()
            input.description = report.narrative
            input.dangerNow = report.dangerNow
            // An unclassified public report starts blank rather than "not known / unknown age".
            input.exploitationTypes = report.classified ? report.types.map(\.rawValue) : []
            input.countyLines = report.countyLines
            input.ageGroup = report.classified ? report.ageGroup : ""
            input.labourSector = report.labourSector ?? ""
            input.indicators = ticks.map { .init(id: $0.indicatorID, knowledge: $0.knowledge) }
            return try views.render("reports/form", triageForm(report, input: input, catalogue: catalogue),
                                    title: "Triage report \(report.reference)", request: request, context: context)
        }

        router.add(.post, "/reports/:id/triage", .triageReports, table: table) { request, context in
            let identity = try context.requireIdentity(.triageReports)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let input = Self.input(data)
            do {
                let result = try await reports.reclassify(id, types: input.exploitationTypes, countyLines: input.countyLines, ageGroup: input.ageGroup,
                                                          labourSector: input.labourSector, dangerNow: input.dangerNow ?? false,
                                                          indicators: input.indicators, identity: identity, address: context.clientAddress)
                return .seeOther("/reports/\(id.uuidString)", flash: "Triaged: urgency \(result.urgency.label.lowercased()). Assign the report below.")
            } catch let error as AppError where error.status == .unprocessableContent || error.status == .conflict {
                let (report, _) = try await reports.visibleReport(id, identity: identity)
                let catalogue = try await reports.catalogue()
                return try views.render("reports/form", triageForm(report, input: input, catalogue: catalogue),
                                        title: "Triage report \(report.reference)", request: request, context: context,
                                        errors: error.fieldErrors.isEmpty ? [.init("exploitationTypes", error.detail)] : error.fieldErrors, status: error.status)
            }
        }

        router.add(.post, "/reports/:id/referrals", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            do {
                let referral = try await reports.refer(id, to: UUID(uuidString: data["toAgencyId"] ?? ""), shared: data.all("shared"),
                                                       request: data["request"] ?? "", identity: identity, address: context.clientAddress)
                let agency = try await services.accounts.agency(referral.toAgencyID)
                return .seeOther("/reports/\(id.uuidString)", flash: "Referred to \(agency.name).")
            } catch let error as AppError where error.status == .unprocessableContent {
                let detail = try await reports.detail(id, identity: identity, address: context.clientAddress)
                let page = try await detailPage(detail, identity: identity, address: context.clientAddress)
                return try views.render("reports/show", page, title: "Report \(detail.report.reference)", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status)
            }
        }

        router.add(.post, "/referrals/:id", .viewReports, table: table) { request, context in
            let identity = try context.requireIdentity(.viewReports)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let referral = try await reports.respond(toReferral: id, status: data["status"] ?? "", response: data["response"] ?? "",
                                                     identity: identity, address: context.clientAddress)
            return .seeOther("/reports/\(referral.reportID.uuidString)", flash: "Referral \(referral.referralStatus.label.lowercased()).")
        }
    }

    // MARK: Building pages

    static func id(_ context: CairnRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw AppError.notFound("report") }
        return id
    }

    /// "6 December 2026 at 12:33am" (`Format`).
    static func time(_ date: Date) -> String { Format.dateTime(date) }

    static func today() -> String { CalendarDate(Date(), in: TimeZone.london).description }

    static func query(_ request: Request, identity: Identity) throws -> ReportService.Query {
        var q = ReportService.Query()
        q.inbox = ReportService.Inbox(rawValue: request.query("inbox")) ?? (identity.can(.triageReports) ? .all : .assigned)
        if (q.inbox == .all || q.inbox == .triage), !identity.can(.triageReports) { q.inbox = .assigned }
        q.status = ReportStatus(rawValue: request.query("status"))
        q.urgency = Urgency(rawValue: request.query("urgency"))
        q.type = ExploitationType(rawValue: request.query("type"))
        q.district = String(request.query("district").uppercased().prefix(4))
        q.agencyID = UUID(uuidString: request.query("agency"))
        q.overdue = request.query("overdue") == "1"
        q.search = request.query("q")
        q.sort = ReportService.Sort(rawValue: request.query("sort")) ?? .received
        q.page = Pagination.pageNumber(request)
        return q
    }

    static func queryItems(_ q: ReportService.Query) -> [(String, String)] {
        [("inbox", q.inbox?.rawValue ?? ""), ("status", q.status?.rawValue ?? ""), ("urgency", q.urgency?.rawValue ?? ""),
         ("type", q.type?.rawValue ?? ""), ("district", q.district), ("agency", q.agencyID?.uuidString ?? ""),
         ("overdue", q.overdue ? "1" : ""), ("q", q.search), ("sort", q.sort.rawValue)]
    }

    static func href(_ path: String, _ items: [(String, String)]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = items.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        return components.string ?? path
    }

    static func typesText(_ r: Report) -> String {
        let types = ExploitationType.allCases.filter(r.types.contains).map(\.label)
        return types.joined(separator: ", ") + (r.countyLines ? " (county lines)" : "")
    }

    func row(_ r: Report, names: [UUID: String]) throws -> Row {
        Row(id: try r.requireID().uuidString, reference: r.reference, received: Self.time(r.receivedAt), due: Self.time(r.dueAt),
            overdue: reports.isOverdue(r), awaitsTriage: ReportService.awaitsTriage(r), status: r.reportOutcome.map { "Closed: \($0.label)" } ?? r.reportStatus.label, urgency: r.reportUrgency.label, urgencyClass: "urgency-\(r.urgency)",
            types: Self.typesText(r), district: r.postcodeDistrict ?? "", agency: r.assignedAgencyID.flatMap { names[$0] } ?? "Not assigned",
            source: r.reportSource.label)
    }

    static func input(_ data: FormData) -> ReportInput {
        var input = ReportInput()
        input.description = data["description"] ?? ""
        input.dangerNow = data.bool("dangerNow")
        input.exploitationTypes = data.all("exploitationTypes")
        input.countyLines = data.bool("countyLines")
        input.ageGroup = data["ageGroup"] ?? ""
        input.labourSector = data["labourSector"] ?? ""
        input.location = data["location"] ?? ""
        input.postcode = data["postcode"] ?? ""
        input.occurred = data["occurred"] ?? ""
        input.phones = data["phones"] ?? ""
        input.vehicles = data["vehicles"] ?? ""
        input.businesses = data["businesses"] ?? ""
        input.websites = data["online"] ?? ""
        input.anonymous = true
        for index in 0..<ReportValidation.maxItems {
            let prefix = "persons[\(index)]."
            guard data[prefix + "name"] != nil else { break }
            input.persons.append(.init(name: data[prefix + "name"] ?? "", aliases: data[prefix + "aliases"] ?? "",
                                       dateOfBirth: data[prefix + "dateOfBirth"] ?? "", age: data[prefix + "age"] ?? "",
                                       nationality: data[prefix + "nationality"] ?? ""))
        }
        for index in 0..<ReportValidation.maxItems {
            let prefix = "addresses[\(index)]."
            guard data[prefix + "line"] != nil else { break }
            input.addresses.append(.init(line: data[prefix + "line"] ?? "", postcode: data[prefix + "postcode"] ?? ""))
        }
        for (key, value) in data.pairs where key.hasPrefix("indicator:") && !value.isEmpty {
            input.indicators.append(.init(id: String(key.dropFirst("indicator:".count)), knowledge: value))
        }
        return input
    }

    func indicatorGroups(_ input: ReportInput, catalogue: IndicatorCatalogue) -> [IndicatorGroup] {
        let ticked = Dictionary(input.indicators.map { ($0.id, $0.knowledge) }, uniquingKeysWith: { a, _ in a })
        return IndicatorList.allCases.map { list in
            let items = catalogue.checklist(list).map {
                IndicatorChoice(id: $0.id, field: "indicator:\($0.id)", text: $0.text, dimension: $0.dimension.label,
                                observed: ticked[$0.id] == IndicatorKnowledge.observed.rawValue,
                                disclosed: ticked[$0.id] == IndicatorKnowledge.disclosed.rawValue)
            }
            return IndicatorGroup(label: list.label, items: items, open: items.contains { $0.observed || $0.disclosed })
        }
    }

    func form(_ input: ReportInput, catalogue: IndicatorCatalogue, submission: String) -> FormPage {
        let persons = input.persons + Array(repeating: ReportInput.Person(), count: max(0, 3 - input.persons.count))
        let addresses = input.addresses + Array(repeating: ReportInput.Address(), count: max(0, 2 - input.addresses.count))
        return FormPage(
            action: "/reports", heading: "Record a report of concern", submission: submission, description: input.description,
            dangerNow: input.dangerNow == true,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.exploitationTypes.contains($0.rawValue)) },
            countyLines: input.countyLines,
            ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
            sectors: LabourSector.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.labourSector == $0.rawValue) },
            location: input.location, postcode: input.postcode, occurred: input.occurred,
            persons: persons.enumerated().map { PersonRow(index: $0, number: $0 + 1, name: $1.name, aliases: $1.aliases, dateOfBirth: $1.dateOfBirth, age: $1.age, nationality: $1.nationality) },
            addresses: addresses.enumerated().map { AddressRow(index: $0, number: $0 + 1, line: $1.line, postcode: $1.postcode) },
            phones: input.phones, vehicles: input.vehicles, businesses: input.businesses, online: input.websites,
            groups: indicatorGroups(input, catalogue: catalogue), isNew: true, cancel: "/reports")
    }

    func triageForm(_ report: Report, input: ReportInput, catalogue: IndicatorCatalogue) throws -> FormPage {
        FormPage(
            action: "/reports/\(try report.requireID().uuidString)/triage", heading: "Triage report \(report.reference)", submission: "",
            description: report.narrative, dangerNow: input.dangerNow == true,
            types: ExploitationType.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.exploitationTypes.contains($0.rawValue)) },
            countyLines: input.countyLines,
            ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
            sectors: LabourSector.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.labourSector == $0.rawValue) },
            location: "", postcode: "", occurred: "", persons: [], addresses: [], phones: "", vehicles: "", businesses: "", online: "",
            groups: indicatorGroups(input, catalogue: catalogue), isNew: false, cancel: "/reports/\(try report.requireID().uuidString)")
    }

    func closePage(_ report: Report, outcome: String, date: String, note: String) throws -> ClosePage {
        ClosePage(id: try report.requireID().uuidString, reference: report.reference,
                  outcomes: ReportOutcome.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == outcome) },
                  dates: ["outcomeDate": DateField("outcomeDate", legend: "Date of the outcome", hint: DateField.example(CalendarDate(Date(), in: Format.timeZone)), value: date)],
                  note: note)
    }

    func detailPage(_ d: ReportService.Detail, identity: Identity, address: String) async throws -> DetailPage {
        let r = d.report
        let status = r.reportStatus
        let triageTeam = identity.can(.triageReports)
        let full = d.access == .full
        let holder = full && r.assignedAgencyID == identity.agencyID
        let allowed = Set(ReportWorkflow.allowedActions(from: status))
        func name(_ id: UUID?) -> String { id.flatMap { d.agencies[$0]?.name } ?? "" }

        var summary: [Line] = [
            Line(label: "Source", value: r.reportSource.label),
            Line(label: "Received", value: Self.time(r.receivedAt)),
            Line(label: "Type of exploitation", value: Self.typesText(r)),
            Line(label: "Age", value: r.age.label),
            Line(label: "Someone in danger now", value: r.dangerNow ? "Yes" : "No"),
        ]
        if let sector = r.sector { summary.append(Line(label: "Labour sector", value: sector.label)) }
        if !r.occurred.isEmpty { summary.append(Line(label: "When", value: r.occurred)) }
        // `r` holds only what the reader may see (ReportAccess.shown): a section not shared is empty.
        if !r.location.isEmpty { summary.append(Line(label: "Where", value: r.location)) }
        if let postcode = r.postcode { summary.append(Line(label: "Postcode", value: postcode)) }
        if let agency = r.reportingAgencyID { summary.append(Line(label: "Reported by", value: name(agency))) }
        summary.append(Line(label: "Assigned to", value: r.assignedAgencyID == nil ? "Not assigned" : name(r.assignedAgencyID)))
        for (label, text) in [("People (as described)", r.peopleText), ("Vehicles", r.vehiclesText), ("Phones", r.phonesText),
                              ("Businesses", r.businessesText), ("Websites and usernames", r.websitesText)] where !text.isEmpty {
            summary.append(Line(label: label, value: text))
        }

        var reporter = [Line(label: "Reporter", value: ReporterType(rawValue: r.reporterType)?.label ?? r.reporterType),
                        Line(label: "Language", value: PublicLanguage(rawValue: r.language)?.englishName ?? r.language)]
        if r.anonymous {
            reporter.append(Line(label: "Contact", value: r.reportSource == .public ? "Anonymous: do not try to identify the reporter." : "Recorded by a practitioner"))
        } else if d.access.allows(.reporterContact) {
            for (label, value) in [("Name", r.contactName), ("Phone", r.contactPhone), ("Email", r.contactEmail), ("Best time to contact", r.contactBestTime)] {
                if let value, !value.isEmpty { reporter.append(Line(label: label, value: value)) }
            }
        }

        var outcome: [Line] = []
        if let o = r.reportOutcome {
            outcome = [Line(label: "Outcome", value: o.label), Line(label: "Date", value: Format.day(r.outcomeDate)),
                       Line(label: "Note", value: r.outcomeNote ?? ""),
                       Line(label: "What the reporter sees", value: PublicReportText.text(status.publicStatusKey(outcome: o), in: .en))]
        }

        let agencies = d.agencies.values.sorted { $0.name < $1.name }
        var suggested = ""
        if triageTeam, status == .new || status == .triaged || status == .rejected {
            let (decision, agency) = try await reports.suggestedAgency(for: r, catalogue: try await reports.catalogue())
            suggested = agency.map { "\(decision.explanation) Suggested: \($0.name)." } ?? "\(decision.explanation) No agency provides \(decision.destination.label.lowercased())."
        }
        let canAccept = full && (holder || triageTeam) && allowed.contains("accept")
        let canReject = holder && allowed.contains("reject")
        let canReroute = full && (holder || triageTeam) && allowed.contains("re-route")
        let canStart = full && (holder || triageTeam) && allowed.contains("start work on")
        let canAssign = triageTeam && (allowed.contains("assign") || status == .new)
        let canClose = full && (holder || triageTeam) && allowed.contains("close")
        let canReopen = full && (holder || triageTeam) && allowed.contains("re-open")
        let canRefer = full && status != .closed && (holder || triageTeam || r.reportingAgencyID == identity.agencyID)
        let sharedCategories: Set<ShareCategory> = if case .shared(let c) = d.access { c } else { [] }

        return DetailPage(
            id: try r.requireID().uuidString, reference: r.reference, status: status.label, urgency: r.reportUrgency.label, urgencyClass: "urgency-\(r.urgency)",
            overdue: reports.isOverdue(r), due: Self.time(r.dueAt), awaitsTriage: ReportService.awaitsTriage(r), shared: !full,
            sharedNote: full ? "" : "Your agency sees this report through a referral: " + sharedCategories.map(\.label).sorted().joined(separator: "; ") + ".",
            summary: summary, rules: r.firedRules, noRules: r.firedRules.isEmpty, routing: r.routingExplanation.nilIfEmpty,
            description: r.narrative, reporter: reporter, showReporter: full || d.access.allows(.reporterContact),
            mentions: d.mentions.map { m in
                let extra = [m.aliases.isEmpty ? "" : "also known as \(m.aliases)", m.dateOfBirth.isEmpty ? "" : "born \(Format.day(m.dateOfBirth))",
                             m.age.isEmpty ? "" : "age \(m.age)", m.nationality, m.postcode ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
                return MentionRow(kind: MentionKind(rawValue: m.kind)?.label ?? m.kind, value: m.value, normalised: m.normalised ?? "not recognised", extra: extra)
            },
            hasMentions: !d.mentions.isEmpty,
            indicators: d.indicators.map { item, tick in
                IndicatorRow(list: item.flatMap { IndicatorList(rawValue: $0.list)?.label } ?? "", dimension: item.flatMap { IndicatorDimension(rawValue: $0.dimension)?.label } ?? "",
                             text: item?.text ?? tick.indicatorID, knowledge: tick.knowledge.capitalized, version: "v\(tick.indicatorVersion)")
            },
            hasIndicators: !d.indicators.isEmpty,
            events: d.events.map { e in
                EventRow(at: Self.time(e.at), actor: e.actorName + (e.agencyID.map { " (\(name($0)))" } ?? ""), action: e.action,
                         change: e.fromStatus == e.toStatus ? nil : "\(ReportStatus(rawValue: e.fromStatus)?.label ?? "—") → \(ReportStatus(rawValue: e.toStatus)?.label ?? e.toStatus)",
                         note: e.note.nilIfEmpty)
            },
            referrals: try d.referrals.map { f in
                let mine = f.toAgencyID == identity.agencyID
                return ReferralRow(id: try f.requireID().uuidString, from: name(f.fromAgencyID), to: name(f.toAgencyID), status: f.referralStatus.label,
                                   shared: f.sharedCategories.map(\.label).sorted().joined(separator: "; "), request: f.request, response: f.response.nilIfEmpty,
                                   canRespond: mine && (f.referralStatus == .pending || f.referralStatus == .accepted),
                                   pending: f.referralStatus == .pending, accepted: f.referralStatus == .accepted)
            },
            hasReferrals: !d.referrals.isEmpty, outcome: outcome, closed: status == .closed,
            canAccept: canAccept, canReject: canReject, canReroute: canReroute, canStart: canStart, canAssign: canAssign,
            canClose: canClose, canReopen: canReopen, canTriage: triageTeam && status != .closed, canRefer: canRefer,
            canOpenCase: identity.can(.workCases),
            hasActions: canAccept || canReject || canReroute || canStart || canAssign || canClose || canReopen || canRefer,
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: false) },
            shareChoices: ShareCategory.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == .summary) },
            suggested: suggested.nilIfEmpty,
            links: try await IntelligenceController.panel(for: try r.requireID(), services: services, identity: identity, address: address),
            canRecordIntelligence: identity.can(.analyseIntelligence))
    }
}
