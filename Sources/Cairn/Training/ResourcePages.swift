import CairnCore
import Foundation

/// The hub's view models (`resources/*` templates).
enum ResourcePages {
    struct Row: Sendable {
        let id: String
        let title: String
        let kind: String
        let visibility: String
        let isPublic: Bool
        let languages: String
        let updated: String
        let withdrawn: Bool
    }

    struct HubPage: Sendable {
        let rows: [Row]
        let empty: Bool
        let filtered: Bool
        let canManage: Bool
        let languages: [Choice]
        let kinds: [Choice]
        let visibilities: [Choice]
        let pagination: Pagination
    }

    static func languageChoices(_ selected: String) -> [Choice] {
        ResourceLanguage.names.map { Choice(value: $0.code, label: $0.name, selected: $0.code == selected) }
    }

    static func hub(_ rows: [ResourceService.Row], total: Int, filter: ResourceService.Filter, canManage: Bool) -> HubPage {
        let query = [("language", filter.language), ("kind", filter.kind), ("visibility", filter.visibility)]
        return HubPage(
            rows: rows.map { row in
                let resource = row.resource
                return Row(id: resource.id?.uuidString ?? "", title: resource.title, kind: resource.resourceKind.label,
                           visibility: resource.resourceVisibility.label, isPublic: resource.resourceVisibility == .public,
                           languages: row.files.map { ResourceLanguage.name($0.language) ?? $0.language }.joined(separator: ", "),
                           updated: Format.date(resource.updatedAt), withdrawn: resource.withdrawnAt != nil)
            },
            empty: rows.isEmpty, filtered: query.contains { !$0.1.isEmpty }, canManage: canManage,
            languages: languageChoices(filter.language),
            kinds: ResourceKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filter.kind) },
            visibilities: ResourceVisibility.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filter.visibility) },
            pagination: Pagination(page: filter.page, perPage: ResourceService.perPage, total: total, path: ResourceRoute.hub.path, query: query))
    }

    struct FileLine: Sendable {
        let version: Int
        let name: String
        let type: String
        let size: String
        let sha256: String
        let uploaded: String
        let href: String
        let note: String
        let hasNote: Bool
    }

    struct LanguageSection: Sendable {
        let code: String
        let name: String
        let current: FileLine?
        let older: [FileLine]
        let hasOlder: Bool
        let newVersionHref: String
    }

    struct ShowPage: Sendable {
        let id: String
        let title: String
        let summary: String
        let lines: [Line]
        let withdrawn: Bool
        let withdrawnOn: String
        let languages: [LanguageSection]
        let canManage: Bool
        let editHref: String
        let newVersionHref: String
        let withdrawHref: String
        let publicHref: String
        let isPublic: Bool
    }

    static func line(_ file: ResourceFileRecord) -> FileLine {
        FileLine(version: file.version, name: file.fileName, type: file.type.label, size: ResourceService.size(file.byteCount), sha256: file.sha256,
                 uploaded: Format.dateTime(file.uploadedAt), href: ResourceRoute.download(.value(file.id ?? UUID())).path, note: file.note, hasNote: !file.note.isEmpty)
    }

    static func show(_ detail: ResourceService.Detail, canManage: Bool) -> ShowPage {
        let resource = detail.resource
        let id = resource.id ?? UUID()
        let byLanguage = Dictionary(grouping: detail.files, by: \.language)
        let sections = byLanguage.keys.sorted().map { code in
            let files = (byLanguage[code] ?? []).sorted { $0.version > $1.version }
            let older = files.filter { !$0.current }.map(line)
            return LanguageSection(code: code, name: ResourceLanguage.name(code) ?? code, current: files.first(where: \.current).map(line),
                                   older: older, hasOlder: !older.isEmpty,
                                   newVersionHref: ResourceRoute.newVersion(.value(id)).path(query: [("language", code)]))
        }
        var lines = [Line(label: "Kind", value: resource.resourceKind.label), Line(label: "Who may see it", value: resource.resourceVisibility.label)]
        if !resource.audience.isEmpty { lines.append(Line(label: "Audience", value: resource.audience)) }
        if !resource.topics.isEmpty { lines.append(Line(label: "Topics", value: resource.topics)) }
        lines.append(Line(label: "Last changed", value: Format.dateTime(resource.updatedAt)))
        let firstPublic = sections.first?.code ?? "en"
        return ShowPage(
            id: id.uuidString, title: resource.title, summary: resource.summary, lines: lines, withdrawn: resource.withdrawnAt != nil,
            withdrawnOn: resource.withdrawnAt.map { Format.date($0) } ?? "", languages: sections, canManage: canManage && resource.withdrawnAt == nil,
            editHref: ResourceRoute.edit(.value(id)).path, newVersionHref: ResourceRoute.newVersion(.value(id)).path,
            withdrawHref: ResourceRoute.confirmWithdraw(.value(id)).path,
            publicHref: ResourceRoute.publicList.path(query: [("lang", PublicLanguage(code: firstPublic)?.rawValue ?? "en")]),
            isPublic: resource.isPublic)
    }

    struct UploadPage: Sendable {
        let title: String
        let summary: String
        let audience: String
        let topics: String
        let kinds: [Choice]
        let visibilities: [Choice]
        let languages: [Choice]
        let maxSize: String
    }

    static func upload(_ form: ResourceUploadForm, maxBytes: Int = 0) -> UploadPage {
        let details = form.details
        return UploadPage(
            title: details.title, summary: details.summary, audience: details.audience, topics: details.topics,
            kinds: ResourceKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == details.kind) },
            visibilities: ResourceVisibility.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == details.visibility) },
            languages: languageChoices(form.language), maxSize: maxBytes > 0 ? ResourceService.size(maxBytes) : "")
    }

    struct VersionPage: Sendable {
        let id: String
        let title: String
        let languages: [Choice]
        let backHref: String
        let action: String
        let note: String
    }

    static func version(_ resource: ResourceRecord, form: ResourceUploadForm) -> VersionPage {
        let id = resource.id ?? UUID()
        return VersionPage(id: id.uuidString, title: resource.title, languages: languageChoices(form.language),
                           backHref: ResourceRoute.show(.value(id)).path, action: ResourceRoute.addVersion(.value(id)).path, note: form.note)
    }

    struct EditPage: Sendable {
        let id: String
        let action: String
        let backHref: String
        let title: String
        let summary: String
        let audience: String
        let topics: String
        let kinds: [Choice]
        let visibilities: [Choice]
    }

    static func edit(_ resource: ResourceRecord, details: ResourceService.Details?) -> EditPage {
        let id = resource.id ?? UUID()
        let d = details ?? .init(title: resource.title, summary: resource.summary, kind: resource.kind, audience: resource.audience,
                                 topics: resource.topics, visibility: resource.visibility)
        return EditPage(
            id: id.uuidString, action: ResourceRoute.update(.value(id)).path, backHref: ResourceRoute.show(.value(id)).path, title: d.title,
            summary: d.summary, audience: d.audience, topics: d.topics,
            kinds: ResourceKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == d.kind) },
            visibilities: ResourceVisibility.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == d.visibility) })
    }
}
