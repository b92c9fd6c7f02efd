import CairnAPI
import CairnCore
import Foundation
import OpenAPIRuntime

/// The report operations: the public door (no sign-in) and the practitioners' one.
extension APIHandler {
    var reports: ReportService { services.reports }

    // MARK: Public

    func createPublicReport(_ input: Operations.CreatePublicReport.Input) async throws -> Operations.CreatePublicReport.Output {
        let context = try APIRequest.open(.createPublicReport)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the report as JSON.") }
        let language = PublicLanguage(code: body.language) ?? .en
        var report = ReportInput()
        report.language = body.language
        report.description = body.description
        report.dangerNow = body.dangerNow ?? false
        report.location = body.location ?? ""
        report.postcode = body.postcode ?? ""
        report.occurred = body.when ?? ""
        report.people = body.people ?? ""
        report.vehicles = body.vehicles ?? ""
        report.phones = body.phones ?? ""
        report.businesses = body.businesses ?? ""
        report.websites = body.websites ?? ""
        report.reporterType = body.reporterType?.rawValue ?? ""
        if let contact = body.contact {
            report.anonymous = false
            report.contactName = contact.name ?? ""
            report.contactPhone = contact.phone ?? ""
            report.contactEmail = contact.email ?? ""
            report.contactBestTime = contact.bestTime ?? ""
            report.contactConsent = contact.consent ?? false
        }
        let submitted = try await PublicIntake.submit(report, services: services, context: context,
                                                      idempotencyKey: input.headers.idempotencyKey, language: language)
        return .created(.init(body: .json(.init(reference: submitted.report.reference, passphrase: submitted.passphrase ?? ""))))
    }

    func getPublicReportStatus(_ input: Operations.GetPublicReportStatus.Input) async throws -> Operations.GetPublicReportStatus.Output {
        let context = try APIRequest.open(.getPublicReportStatus)
        let report = try await PublicIntake.lookup(reference: input.path.reference, passphrase: input.headers.cairnPassphrase,
                                                   services: services, context: context, language: .en)
        let language = PublicLanguage(rawValue: report.language) ?? .en
        return .ok(.init(body: .json(.init(reference: report.reference, status: PublicIntake.statusSentence(report, in: language),
                                           language: .init(rawValue: language.rawValue)))))
    }

    // MARK: Practitioners

    func listReports(_ input: Operations.ListReports.Input) async throws -> Operations.ListReports.Output {
        let (identity, context) = try APIRequest.authorize(.listReports)
        var q = ReportService.Query()
        let query = input.query
        q.inbox = query.inbox.flatMap { ReportService.Inbox(rawValue: $0.rawValue) }
        q.status = query.status.flatMap { ReportStatus(rawValue: $0.rawValue) }
        q.urgency = query.urgency.flatMap { Urgency(rawValue: $0.rawValue) }
        q.type = query._type.flatMap { ExploitationType(rawValue: $0.rawValue) }
        q.district = String((query.district ?? "").prefix(4))
        if let agency = query.agencyId {
            guard let id = UUID(uuidString: agency) else { throw AppError.badRequest("Query parameter 'agencyId' is not a valid id.") }
            q.agencyID = id
        }
        q.overdue = query.overdue ?? false
        q.search = String((query.q ?? "").prefix(200))
        q.sort = ReportService.Sort(rawValue: query.sort?.rawValue ?? "received") ?? .received
        q.page = query.page ?? 1
        q.perPage = query.perPage ?? 50
        guard q.page >= 1, q.page <= 100_000 else { throw AppError.badRequest("Query parameter 'page' must be 1 or more.") }
        guard (1...200).contains(q.perPage) else { throw AppError.badRequest("Query parameter 'perPage' must be from 1 to 200.") }
        let (items, total) = try await reports.list(q, identity: identity, address: context.clientAddress, via: "api")
        let agencies = try await agencyNames()
        return .ok(.init(body: .json(.init(items: try items.map { try summary($0, agencies: agencies) }, total: total, page: q.page, perPage: q.perPage))))
    }

    func createReport(_ input: Operations.CreateReport.Input) async throws -> Operations.CreateReport.Output {
        let (identity, context) = try APIRequest.authorize(.createReport)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the report as JSON.") }
        var report = ReportInput()
        report.description = body.description
        report.dangerNow = body.dangerNow ?? false
        report.exploitationTypes = body.exploitationTypes.map(\.rawValue)
        report.countyLines = body.countyLines ?? false
        report.ageGroup = body.ageGroup.rawValue
        report.labourSector = body.labourSector ?? ""
        report.location = body.location ?? ""
        report.postcode = body.postcode ?? ""
        report.occurred = body.when ?? ""
        report.indicators = (body.indicators ?? []).map { .init(id: $0.id, knowledge: $0.knowledge.rawValue) }
        report.persons = (body.people ?? []).map {
            .init(name: $0.name ?? "", aliases: $0.aliases ?? "", dateOfBirth: $0.dateOfBirth ?? "", age: $0.age ?? "", nationality: $0.nationality ?? "")
        }
        report.addresses = (body.addresses ?? []).map { .init(line: $0.line ?? "", postcode: $0.postcode ?? "") }
        report.phones = (body.phones ?? []).joined(separator: "\n")
        report.vehicles = (body.vehicles ?? []).joined(separator: "\n")
        report.businesses = (body.businesses ?? []).joined(separator: "\n")
        report.websites = (body.online ?? []).joined(separator: "\n")
        report.anonymous = true
        let submitted: ReportService.Submitted
        do {
            submitted = try await reports.submit(report, source: .practitioner, identity: identity, address: context.clientAddress,
                                                 idempotencyKey: input.headers.idempotencyKey, requireFormAnswers: false)
        } catch let issues as ReportIssues { throw issues.appError }
        let detail = try await reports.detail(try submitted.report.requireID(), identity: identity, address: context.clientAddress, via: "api")
        return .created(.init(body: .json(try await full(detail))))
    }

    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let (identity, context) = try APIRequest.authorize(.getReport)
        let detail = try await reports.detail(try Self.uuid(input.path.reportId, "report"), identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try await full(detail))))
    }

    func transitionReport(_ input: Operations.TransitionReport.Input) async throws -> Operations.TransitionReport.Output {
        let (identity, context) = try APIRequest.authorize(.transitionReport)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the transition as JSON.") }
        let id = try Self.uuid(input.path.reportId, "report")
        let reason = body.reason ?? ""
        var agencyID: UUID?
        if let text = body.agencyId {
            guard let parsed = UUID(uuidString: text) else { throw AppError.invalid([.init("agencyId", "agencyId is not a valid id.")]) }
            agencyID = parsed
        }
        let command: ReportService.Command = switch body.action {
        case .accept: .accept
        case .reject: .reject(reason: reason)
        case .reroute: .reroute(agencyID: agencyID, reason: reason)
        case .start: .start
        case .assign: .assign(agencyID: agencyID, note: reason)
        case .reopen: .reopen(reason: reason)
        }
        try await reports.perform(command, on: id, identity: identity, address: context.clientAddress)
        let detail = try await reports.detail(id, identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try await full(detail))))
    }

    func recordReportOutcome(_ input: Operations.RecordReportOutcome.Input) async throws -> Operations.RecordReportOutcome.Output {
        let (identity, context) = try APIRequest.authorize(.recordReportOutcome)
        guard case .json(let body) = input.body else { throw AppError.badRequest("Send the outcome as JSON.") }
        let id = try Self.uuid(input.path.reportId, "report")
        try await reports.perform(.close(outcome: body.outcome.rawValue, date: body.date, note: body.note ?? ""), on: id,
                                  identity: identity, address: context.clientAddress)
        let detail = try await reports.detail(id, identity: identity, address: context.clientAddress, via: "api")
        return .ok(.init(body: .json(try await full(detail))))
    }

    // MARK: Mapping

    func agencyNames() async throws -> [UUID: String] {
        Dictionary(try await accounts.agencies().map { (try $0.requireID(), $0.name) }) { first, _ in first }
    }

    func summary(_ r: Report, agencies: [UUID: String]) throws -> Components.Schemas.ReportSummary {
        .init(id: try r.requireID().uuidString, reference: r.reference, source: try APIEnum.map(r.source), status: try APIEnum.map(r.status),
              urgency: try APIEnum.map(r.urgency), exploitationTypes: try Self.types(r), countyLines: r.countyLines,
              ageGroup: try APIEnum.map(r.ageGroup), postcodeDistrict: r.postcodeDistrict,
              assignedAgencyId: r.assignedAgencyID?.uuidString, assignedAgencyName: r.assignedAgencyID.flatMap { agencies[$0] },
              receivedAt: r.receivedAt, dueAt: r.dueAt, deadline: ReportService.awaitsTriage(r) ? .triage : .response, overdue: reports.isOverdue(r), outcome: try APIEnum.map(optional: r.outcome))
    }

    static func types(_ r: Report) throws -> [Components.Schemas.ExploitationType] {
        try ExploitationType.allCases.filter(r.types.contains).map { try APIEnum.map($0.rawValue) }
    }

    func full(_ d: ReportService.Detail) async throws -> Components.Schemas.Report {
        let r = d.report
        let location = d.access.allows(.location)
        var contact: Components.Schemas.ReporterContact?
        if !r.anonymous, d.access.allows(.reporterContact) {
            contact = .init(name: r.contactName, phone: r.contactPhone, email: r.contactEmail, bestTime: r.contactBestTime, consent: true)
        }
        return .init(
            id: try r.requireID().uuidString, reference: r.reference, source: try APIEnum.map(r.source), language: .init(rawValue: r.language),
            status: try APIEnum.map(r.status), urgency: try APIEnum.map(r.urgency),
            firedRules: try r.firedRules.map { .init(id: $0.id, explanation: $0.explanation, urgency: try APIEnum.map($0.urgency.rawValue)) },
            routingExplanation: r.routingExplanation, dangerNow: r.dangerNow, exploitationTypes: try Self.types(r), countyLines: r.countyLines,
            ageGroup: try APIEnum.map(r.ageGroup), labourSector: r.labourSector, description: r.narrative,
            when: r.occurred.nilIfEmpty, location: location ? r.location.nilIfEmpty : nil, postcode: location ? r.postcode : nil,
            postcodeDistrict: r.postcodeDistrict, reporterType: .init(rawValue: r.reporterType), anonymous: r.anonymous, contact: contact,
            reportingAgencyId: r.reportingAgencyID?.uuidString, assignedAgencyId: r.assignedAgencyID?.uuidString,
            assignedAgencyName: r.assignedAgencyID.flatMap { d.agencies[$0]?.name },
            receivedAt: r.receivedAt, dueAt: r.dueAt, deadline: ReportService.awaitsTriage(r) ? .triage : .response, overdue: reports.isOverdue(r), respondedAt: r.respondedAt, closedAt: r.closedAt,
            outcome: try APIEnum.map(optional: r.outcome), outcomeDate: r.outcomeDate, outcomeNote: r.outcomeNote,
            indicators: try d.indicators.map { item, tick in
                .init(id: tick.indicatorID, version: tick.indicatorVersion, list: item?.list ?? "", dimension: item?.dimension ?? "",
                      text: item?.text ?? tick.indicatorID, knowledge: try APIEnum.map(tick.knowledge))
            },
            mentions: try d.mentions.map {
                .init(kind: try APIEnum.map($0.kind), value: $0.value, normalised: $0.normalised, aliases: $0.aliases.nilIfEmpty,
                      dateOfBirth: $0.dateOfBirth.nilIfEmpty, age: $0.age.nilIfEmpty, nationality: $0.nationality.nilIfEmpty, postcode: $0.postcode)
            },
            events: d.events.map { .init(at: $0.at, actor: $0.actorName, action: $0.action, fromStatus: $0.fromStatus, toStatus: $0.toStatus, note: $0.note) })
    }
}
