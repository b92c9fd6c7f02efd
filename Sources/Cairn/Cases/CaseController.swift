import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The caseworkers' pages: their cases, opening a case, the case page, the identity (shown on
/// request and audited), the team, closing and re-opening.
struct CaseController {
    let services: AppServices
    let views: Views
    var cases: CaseService { services.cases }

    struct Row: Sendable {
        let id: String
        let code: String
        let chosenName: String
        let status: String
        let risk: String
        let opened: String
        let interpreter: String
    }

    struct ListPage: Sendable {
        let rows: [Row]
        let empty: Bool
    }

    struct FormPage: Sendable, DateFieldPage {
        let chosenName: String
        let account: String
        let language: String
        let interpreterNeeded: Bool
        let legalName: String
        let dateOfBirth: String
        let nationality: String
        let languages: String
        let contact: String
        let reportReference: String
        let ages: [Choice]
        var dates: [String: DateField] = [:]
    }

    struct Line: Sendable {
        let label: String
        let value: String
    }

    struct ShowPage: Sendable, DateFieldPage {
        let id: String
        let code: String
        let chosenName: String
        let status: String
        let summary: [Line]
        let account: String
        let hasAccount: Bool
        let interpreter: String
        let team: [CaseService.Member]
        let identity: [Line]
        let showIdentity: Bool
        let closed: Bool
        let reasons: [Choice]
        let header: CaseSupportController.Header
        let alerts: [AlertRow]
        let warnings: [WarningRow]
        let noWarnings: Bool
        let signs: [Choice]
        let riskReasons: [String]
        let highRisk: Bool
        let today: String
        var dates: [String: DateField] = [:]
    }

    struct AlertRow: Sendable {
        let id: String
        let message: String
        let at: String
        let back: String
    }

    struct WarningRow: Sendable {
        let sign: String
        let date: String
        let note: String
        let by: String
    }

    func addRoutes(to router: AppRouter, table: RouteTable) {
        router.add(.get, "/cases", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let list = try await cases.list(identity: identity, address: context.clientAddress, via: "web")
            let page = ListPage(rows: try list.map(Self.row), empty: list.isEmpty)
            return try views.render("cases/index", page, title: "Your cases", request: request, context: context)
        }
        router.add(.get, "/cases/new", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            // "Open a case" on a report page brings its reference and the age it records, for
            // a report the caseworker may see; an unknown or unseen reference brings nothing.
            var input = CaseService.Input()
            if let reference = request.uri.queryParameters.get("report"),
               let report = try await cases.reportForNewCase(reference: String(reference.prefix(40)), identity: identity) {
                input.reportReference = report.reference
                input.ageGroup = report.ageGroup
            }
            return try views.render("cases/form", Self.form(input), title: "Open a case", request: request, context: context)
        }
        router.add(.post, "/cases", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let (data, dates) = try await FormData.read(request).withDates(["dateOfBirth": DateInput.Rules(label: "Date of birth", required: false, timing: .past)])
            var input = CaseService.Input()
            input.chosenName = data["chosenName"] ?? ""
            input.account = data["account"] ?? ""
            input.language = data["language"] ?? ""
            input.interpreterNeeded = data.bool("interpreterNeeded")
            input.legalName = data["legalName"] ?? ""
            input.dateOfBirth = data["dateOfBirth"] ?? ""
            input.nationality = data["nationality"] ?? ""
            input.languages = data["languages"] ?? ""
            input.contact = data["contact"] ?? ""
            input.reportReference = data["reportReference"] ?? ""
            input.ageGroup = data["ageGroup"] ?? AgeGroup.unknown.rawValue
            do {
                try dates.check()
                let record = try await cases.open(input, identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(try record.requireID().uuidString)", flash: "Case \(record.code) opened. You are on its team.")
            } catch let error as AppError where error.status == .unprocessableContent {
                return try views.render("cases/form", Self.form(input), title: "Open a case", request: request, context: context,
                                        errors: error.fieldErrors, status: error.status, dates: dates)
            }
        }
        router.add(.get, "/cases/:id", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let record = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
            return try views.render("cases/show", try await show(record, person: nil, identity: identity), title: "Case \(record.code)", request: request, context: context)
        }
        router.add(.get, "/cases/:id/identity", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let record = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
            let person = try await cases.identityDetails(id, identity: identity, address: context.clientAddress, via: "web")
            return try views.render("cases/show", try await show(record, person: person, identity: identity), title: "Case \(record.code)", request: request, context: context)
        }
        router.add(.post, "/cases/:id/team", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            do {
                try await cases.addMember(id, email: data["email"] ?? "", identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)", flash: "Added to the case team.")
            } catch let error as AppError where error.status == .unprocessableContent {
                let record = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/show", try await show(record, person: nil, identity: identity), title: "Case \(record.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status)
            }
        }
        router.add(.post, "/cases/:id/status", .workCases, table: table) { request, context in
            let identity = try context.requireIdentity(.workCases)
            let id = try Self.id(context)
            let data = try await FormData.read(request)
            let target: CaseStatus = data["status"] == "open" ? .open : .closed
            do {
                let record = try await cases.move(id, to: target, reason: data["reason"] ?? "", plan: data["followUpPlan"] ?? "",
                                                  identity: identity, address: context.clientAddress)
                return .seeOther("/cases/\(id.uuidString)", flash: "Case \(record.code) \(target == .closed ? "closed" : "re-opened").")
            } catch let error as AppError where error.status == .unprocessableContent {
                let record = try await cases.view(id, identity: identity, address: context.clientAddress, via: "web")
                return try views.render("cases/show", try await show(record, person: nil, identity: identity), title: "Case \(record.code)", request: request,
                                        context: context, errors: error.fieldErrors, status: error.status)
            }
        }
    }

    static func id(_ context: CairnRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw AppError.notFound("case") }
        return id
    }

    static func row(_ c: SupportCase) throws -> Row {
        Row(id: try c.requireID().uuidString, code: c.code, chosenName: c.chosenName, status: c.caseStatus.label, risk: c.risk.rawValue.capitalized,
            opened: ReportController.time(c.openedAt), interpreter: c.interpreterNeeded ? "Interpreter: \(c.language)" : "")
    }

    static func form(_ input: CaseService.Input) -> FormPage {
        FormPage(chosenName: input.chosenName, account: input.account, language: input.language, interpreterNeeded: input.interpreterNeeded,
                 legalName: input.legalName, dateOfBirth: input.dateOfBirth, nationality: input.nationality, languages: input.languages,
                 contact: input.contact, reportReference: input.reportReference,
                 ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
                 dates: ["dateOfBirth": DateField("dateOfBirth", legend: "Date of birth (optional)",
                                                  hint: "For example, 27 3 1990. Leave it empty if it is not known.", value: input.dateOfBirth)])
    }

    func show(_ c: SupportCase, person: CaseIdentityRecord?, identity: Identity) async throws -> ShowPage {
        let agency = try? await services.accounts.agency(c.leadAgencyID)
        var summary = [Line(label: "Status", value: c.caseStatus.label), Line(label: "Opened", value: ReportController.time(c.openedAt)),
                       Line(label: "Lead agency", value: agency?.name ?? ""), Line(label: "Re-exploitation risk", value: c.risk.rawValue.capitalized)]
        if let reason = c.closureReason.flatMap(ClosureReason.init(rawValue:)) {
            summary.append(Line(label: "Closed because", value: reason.label))
            summary.append(Line(label: "Follow-up plan", value: c.followUpPlan ?? ""))
        }
        if let reference = try await cases.sourceReference(of: c, identity: identity) {
            summary.append(Line(label: "Opened from report", value: reference))
        }
        let warnings = try await services.support.warnings(try c.requireID())
        let risk = ReexploitationRisk.assess(warnings.compactMap(\.recorded), on: CaseSupportService.today())
        summary.insert(Line(label: "Age", value: c.age.label), at: 1)
        let identityLines = person.map {
            [Line(label: "Legal name", value: $0.legalName), Line(label: "Date of birth", value: Format.day($0.dateOfBirth)),
             Line(label: "Nationality", value: $0.nationality), Line(label: "Languages", value: $0.languages),
             Line(label: "Contact", value: $0.contact)].filter { !$0.value.isEmpty }
        } ?? []
        return ShowPage(
            id: try c.requireID().uuidString, code: c.code, chosenName: c.chosenName, status: c.caseStatus.label, summary: summary,
            account: c.account, hasAccount: !c.account.isEmpty,
            interpreter: c.contactLanguage,
            team: try await cases.team(try c.requireID()), identity: identityLines, showIdentity: person != nil, closed: c.caseStatus == .closed,
            reasons: ClosureReason.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            header: try CaseSupportController.header(c, current: ""),
            alerts: try await services.support.alerts(identity: identity).filter { $0.caseID == c.id }.map {
                AlertRow(id: try $0.requireID().uuidString, message: $0.message, at: ReportController.time($0.createdAt), back: "/cases/\(try c.requireID().uuidString)")
            },
            warnings: warnings.map { w in
                WarningRow(sign: w.recorded?.sign.label ?? w.sign, date: Format.day(w.observedOn), note: w.note,
                           by: w.recordedByID == nil ? "Detected by Cairn" : "Recorded by the team")
            },
            noWarnings: warnings.isEmpty,
            signs: WarningSign.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            riskReasons: risk.reasons, highRisk: risk.level == .high, today: CaseSupportService.today().description,
            dates: ["observedOn": DateField("observedOn", legend: "Date seen", hint: DateField.example(CaseSupportService.today()),
                                            value: CaseSupportService.today().description)])
    }
}
