import CairnCore
import Foundation

/// The case pages' view models: the list of the person's cases, the form to open one, and the
/// case page (summary, team, identity on request, alerts and warning signs).
extension CaseController {
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

    static func row(_ c: SupportCase) throws -> Row {
        Row(id: try c.requireID().uuidString, code: c.code, chosenName: c.chosenName, status: c.caseStatus.label, risk: c.risk.rawValue.capitalized,
            opened: Format.dateTime(c.openedAt), interpreter: c.interpreterNeeded ? "Interpreter: \(c.language)" : "")
    }

    static func form(_ input: CaseService.Input) -> FormPage {
        FormPage(chosenName: input.chosenName, account: input.account, language: input.language, interpreterNeeded: input.interpreterNeeded,
                 legalName: input.legalName, dateOfBirth: input.dateOfBirth, nationality: input.nationality, languages: input.languages,
                 contact: input.contact, reportReference: input.reportReference,
                 ages: AgeGroup.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.ageGroup == $0.rawValue) },
                 dates: ["dateOfBirth": DateField("dateOfBirth", legend: "Date of birth (optional)",
                                                  hint: "For example, 27 3 1990. Leave it empty if it is not known.", value: input.dateOfBirth)])
    }

    func show(_ authorised: AuthorisedCase, person: CaseIdentityRecord?) async throws -> ShowPage {
        let c = authorised.record, id = authorised.id.uuidString
        let agency = try? await services.accounts.agency(c.leadAgencyID)
        var summary = [Line(label: "Status", value: c.caseStatus.label), Line(label: "Opened", value: Format.dateTime(c.openedAt)),
                       Line(label: "Lead agency", value: agency?.name ?? ""), Line(label: "Re-exploitation risk", value: c.risk.rawValue.capitalized)]
        if let reason = c.closureReason.flatMap(ClosureReason.init(rawValue:)) {
            summary.append(Line(label: "Closed because", value: reason.label))
            summary.append(Line(label: "Follow-up plan", value: c.followUpPlan ?? ""))
        }
        if let reference = await cases.sourceReference(of: authorised) {
            summary.append(Line(label: "Opened from report", value: reference))
        }
        let warnings = try await services.support.warnings(of: authorised)
        let risk = ReexploitationRisk.assess(warnings.compactMap(\.recorded), on: CaseSupportService.today())
        summary.insert(Line(label: "Age", value: c.age.label), at: 1)
        let identityLines = person.map {
            [Line(label: "Legal name", value: $0.legalName), Line(label: "Date of birth", value: Format.day($0.dateOfBirth)),
             Line(label: "Nationality", value: $0.nationality), Line(label: "Languages", value: $0.languages),
             Line(label: "Contact", value: $0.contact)].filter { !$0.value.isEmpty }
        } ?? []
        return ShowPage(
            id: id, code: c.code, chosenName: c.chosenName, status: c.caseStatus.label, summary: summary,
            account: c.account, hasAccount: !c.account.isEmpty,
            interpreter: c.contactLanguage,
            team: try await cases.team(of: authorised), identity: identityLines, showIdentity: person != nil, closed: c.caseStatus == .closed,
            reasons: ClosureReason.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            header: CaseSupportController.header(authorised, current: .summary),
            alerts: try await services.support.alerts(identity: authorised.identity).filter { $0.caseID == authorised.id }.map {
                AlertRow(id: try $0.requireID().uuidString, message: $0.message, at: Format.dateTime($0.createdAt), back: CaseRoute.show(.value(authorised.id)).path)
            },
            warnings: warnings.map { w in
                WarningRow(sign: w.recorded?.sign.label ?? w.sign, date: Format.day(w.observedOn), note: w.note,
                           by: w.recordedByID == nil ? "Detected by Cairn" : "Recorded by the team")
            },
            noWarnings: warnings.isEmpty,
            signs: WarningSign.allCases.filter { !$0.isDetectedOnly }.map { Choice(value: $0.rawValue, label: $0.label, selected: false) },
            riskReasons: risk.reasons, highRisk: risk.level == .high, today: CaseSupportService.today().description,
            dates: ["observedOn": DateField("observedOn", legend: "Date seen", hint: DateField.example(CaseSupportService.today()),
                                            value: CaseSupportService.today().description)])
    }
}
