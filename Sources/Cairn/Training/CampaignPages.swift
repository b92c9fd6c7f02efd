import CairnCore
import Foundation
import QRCode

/// The campaigns' view models (`campaigns/*`), built from `CampaignService`'s values.
enum CampaignPages {
    struct Row: Sendable {
        let id: String
        let name: String
        let code: String
        let audiences: String
        let dates: String
        let reach: String
        let reports: Int
        let archived: Bool
    }

    struct ListPage: Sendable {
        let rows: [Row]
        let empty: Bool
        let canEdit: Bool
        let shows: [Choice]
        let sorts: [Choice]
        let showingCurrent: Bool
        let pagination: Pagination
    }

    struct ReachLine: Sendable {
        let channel: String
        let reach: String
        let countedAs: String
    }

    struct MonthLine: Sendable {
        let month: String
        let count: Int
    }

    /// One language's link and its QR code (SVG, drawn by the `QRCode` target).
    struct QR: Sendable {
        let language: String
        let link: String
        let note: String?
        let svg: String
        let id: String
    }

    /// A hub resource a campaign used, linked to its page in the hub.
    struct HubMaterial: Sendable {
        let title: String
        let href: String
        let languages: String
        let withdrawn: Bool
    }

    struct ShowPage: Sendable {
        let id: String
        let name: String
        let code: String
        let archived: Bool
        let details: [Line]
        let materials: [String]
        let hubMaterials: [HubMaterial]
        let hasMaterials: Bool
        let reach: [ReachLine]
        let hasReach: Bool
        let reachTotal: String
        let reports: Int
        let reportsByMonth: [MonthLine]
        let hasMonths: Bool
        let planAction: String?
        let planActionHref: String
        let qr: [QR]
        let baseConfigured: Bool
        let canEdit: Bool
        let editHref: String
        let archiveHref: String
        let deleteHref: String
    }

    struct FormPage: Sendable, DateFieldPage {
        struct ChannelField: Sendable {
            let value: String
            let label: String
            let selected: Bool
            let reach: String
            let countedAs: String
            let hint: String
            let reachError: String?
            let countedError: String?
        }

        let heading: String
        let action: String
        let button: String
        let cancelHref: String
        let name: String
        let audiences: [Choice]
        let publicLanguages: [Choice]
        let otherLanguages: [Choice]
        let otherOpen: Bool
        let channels: [ChannelField]
        let areas: String
        let materials: String
        /// The hub's resources to tick, each labelled with its title and languages.
        let resources: [Choice]
        let hasResources: Bool
        let planActions: [Choice]
        var dates: [String: DateField]
    }

    /// "1,625".
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func dates(_ c: Campaign) -> String {
        "\(Format.day(c.startsOn)) to \(Format.day(c.endsOn))"
    }

    static func row(_ r: CampaignService.Row) -> Row {
        let c = r.campaign
        return Row(id: c.id?.uuidString ?? "", name: c.name, code: c.code, audiences: c.audienceList.map(\.label).joined(separator: "; "),
                   dates: dates(c), reach: number(r.reach), reports: r.reports, archived: c.archivedAt != nil)
    }

    static func choices<T: RawRepresentable & CaseIterable>(_ type: T.Type, selected: String?, label: (T) -> String) -> [Choice] where T.RawValue == String {
        T.allCases.map { Choice(value: $0.rawValue, label: label($0), selected: $0.rawValue == selected) }
    }

    static func showPage(_ d: CampaignService.Detail, base: String, baseConfigured: Bool, canEdit: Bool) -> ShowPage {
        let c = d.campaign
        let key = c.id ?? UUID()  // a stored campaign always has one
        let id = key.uuidString
        var details = [
            Line(label: "Code", value: c.code),
            Line(label: "Audience", value: c.audienceList.map(\.label).joined(separator: "; ")),
            Line(label: "Languages", value: c.languageList.map(\.label).joined(separator: ", ")),
            Line(label: "Area", value: c.areaList.isEmpty ? "The whole partnership area" : c.areaList.joined(separator: ", ")),
            Line(label: "Dates", value: dates(c)),
        ]
        if let archived = c.archivedAt { details.append(Line(label: "Archived", value: Format.date(archived))) }
        return ShowPage(
            id: id, name: c.name, code: c.code, archived: c.archivedAt != nil, details: details, materials: c.materialList,
            hubMaterials: d.resources.map {
                HubMaterial(title: $0.title, href: ResourceRoute.show(.value($0.id)).path,
                            languages: $0.languages.compactMap(ResourceLanguage.name).joined(separator: ", "), withdrawn: $0.withdrawn)
            },
            hasMaterials: !c.materialList.isEmpty || !d.resources.isEmpty,
            reach: d.reach.map { ReachLine(channel: $0.campaignChannel?.label ?? $0.channel, reach: number($0.reach), countedAs: $0.countedAs) },
            hasReach: !d.reach.isEmpty, reachTotal: number(d.reachTotal), reports: d.reports,
            reportsByMonth: d.reportsByMonth.map { MonthLine(month: $0.month.label, count: $0.count) }, hasMonths: !d.reportsByMonth.isEmpty,
            planAction: d.planAction?.title, planActionHref: d.planAction.map { PlanRoute.action(.value($0.id)).path } ?? "",
            qr: c.languageList.map { qr(code: c.code, language: $0, base: base) }, baseConfigured: baseConfigured, canEdit: canEdit,
            editHref: CampaignRoute.edit(.value(key)).path, archiveHref: CampaignRoute.confirmArchive(.value(key)).path,
            deleteHref: CampaignRoute.confirmDelete(.value(key)).path)
    }

    /// The public form's address for a campaign in a language: `BASE/report?lang=L&c=CODE`, in
    /// English where the form is not in the language.
    static func reportLink(code: String, language: CampaignLanguage, base: String) -> String {
        base + PublicReportRoute.form.path(query: [("lang", (language.formLanguage ?? .en).rawValue), ("c", code)])
    }

    static func qr(code: String, language: CampaignLanguage, base: String) -> QR {
        let link = reportLink(code: code, language: language, base: base)
        let svg = qrSVG(link, title: "QR code for the report form in \(language.formLanguage == nil ? "English" : language.label), campaign \(code)",
                        id: "qr-\(language.rawValue)")
        return QR(language: language.label, link: link,
                  note: language.formLanguage == nil ? "The report form is not in \(language.label): this code opens it in English." : nil, svg: svg,
                  id: "qr-\(language.rawValue)")
    }

    /// `text` drawn as a QR code in SVG; empty if it is too long for a symbol (a link never is).
    static func qrSVG(_ text: String, title: String, id: String) -> String {
        (try? QRCode(text: text))?.svg(title: title, moduleSize: 4, id: id) ?? ""
    }

    static func formPage(_ input: CampaignService.Input, editing id: UUID?, actions: [PlanActions.Choice], resources: [ResourceChoices.Choice], today: CalendarDate,
                         errors: [AppError.FieldError] = []) -> FormPage {
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        let example = DateField.example(today)
        let languages = Set(input.languages)
        let channels = Set(input.channels)
        func languageChoice(_ l: CampaignLanguage) -> Choice { Choice(value: l.rawValue, label: l.label, selected: languages.contains(l.rawValue)) }
        return FormPage(
            heading: id == nil ? "Record a campaign" : "Edit the campaign", action: id.map { CampaignRoute.update(.value($0)).path } ?? CampaignRoute.create.path,
            button: id == nil ? "Record the campaign" : "Save changes", cancelHref: id.map { CampaignRoute.show(.value($0)).path } ?? CampaignRoute.list.path,
            name: input.name,
            audiences: CampaignAudience.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.audiences.contains($0.rawValue)) },
            publicLanguages: CampaignLanguage.allCases.filter { $0.formLanguage != nil }.map(languageChoice),
            otherLanguages: CampaignLanguage.allCases.filter { $0.formLanguage == nil }.map(languageChoice),
            otherOpen: CampaignLanguage.allCases.contains { $0.formLanguage == nil && languages.contains($0.rawValue) },
            channels: CampaignChannel.allCases.map {
                FormPage.ChannelField(value: $0.rawValue, label: $0.label, selected: channels.contains($0.rawValue), reach: input.reach[$0.rawValue] ?? "",
                                      countedAs: input.countedAs[$0.rawValue] ?? "", hint: "For example, \($0.usualCount)",
                                      reachError: error("reach-\($0.rawValue)"), countedError: error("counted-\($0.rawValue)"))
            },
            areas: input.areas, materials: input.materials,
            resources: resources.map { r in
                Choice(value: r.id.uuidString, label: r.label + (r.withdrawn ? " (withdrawn)" : ""),
                       selected: input.resourceIDs.contains { $0.trimmingCharacters(in: .whitespaces).uppercased() == r.id.uuidString })
            },
            hasResources: !resources.isEmpty,
            planActions: actions.map { Choice(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == input.planActionID.uppercased()) },
            dates: ["startsOn": DateField("startsOn", legend: "Start date", hint: example, value: input.startsOn),
                    "endsOn": DateField("endsOn", legend: "End date", hint: "The same as or after the start date. " + example, value: input.endsOn)])
    }
}
