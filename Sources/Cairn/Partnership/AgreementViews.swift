import CairnCore
import Foundation

/// View models of the agreements' pages (`partnership/agreement-*.mustache`).
extension AgreementController {
    struct AgreementRow: Sendable {
        let id: String
        let title: String
        let parties: String
        let partyCount: Int
        let signed: String
        let review: String
        let state: String
        /// nil when in force and not due: the flag's words otherwise.
        let flag: String?
        let expired: Bool
    }

    struct UncoveredRow: Sendable {
        let month: String
        let counts: [Int]
        let total: Int
    }

    struct UncoveredTable: Sendable {
        let kinds: [String]
        let rows: [UncoveredRow]
    }

    struct AgreementsPage: Sendable {
        let rows: [AgreementRow]
        let empty: Bool
        let canEdit: Bool
        let sorts: [Choice]
        let pagination: Pagination
        let uncovered: UncoveredTable
        let noUncovered: Bool
        let uncoveredTotal: Int
    }

    struct AgreementPage: Sendable, DateFieldPage {
        let id: String
        let title: String
        let purpose: String
        let state: String
        let flag: String?
        let expired: Bool
        let parties: [String]
        let categories: [String]
        let lawfulBasis: String
        let specialCondition: String?
        let signed: String
        let review: String
        let reviewed: String?
        let documentTitle: String
        let documentURL: String
        let canEdit: Bool
        var dates: [String: DateField]
    }

    struct AgreementFormPage: Sendable, DateFieldPage {
        let isNew: Bool
        let action: String
        let cancel: String
        let title: String
        let purpose: String
        let parties: [Choice]
        let categories: [Choice]
        let bases: [Choice]
        let conditions: [Choice]
        let documentTitle: String
        let documentURL: String
        var dates: [String: DateField]
    }

    static func row(_ d: AgreementService.Detail) throws -> AgreementRow {
        AgreementRow(id: try d.agreement.requireID().uuidString, title: d.agreement.title, parties: d.parties.map(\.name).joined(separator: ", "),
                     partyCount: d.parties.count, signed: Format.day(d.agreement.signedOn), review: Format.day(d.agreement.reviewOn),
                     state: d.state.label, flag: d.state.isFlagged ? d.state.label : nil, expired: d.state == .expired)
    }

    /// Months down, kinds of share across.
    static func uncoveredTable(_ counts: [AgreementService.UncoveredCount]) -> UncoveredTable {
        let months = Array(Set(counts.map(\.month))).sorted()
        return UncoveredTable(kinds: ShareKind.allCases.map(\.label), rows: months.map { month in
            let row = ShareKind.allCases.map { kind in counts.first { $0.month == month && $0.kind == kind }?.count ?? 0 }
            return UncoveredRow(month: Format.day(month), counts: row, total: row.reduce(0, +))
        })
    }

    static func page(_ d: AgreementService.Detail, identity: Identity) throws -> AgreementPage {
        let a = d.agreement
        let today = GovernanceService.today()
        return AgreementPage(
            id: try a.requireID().uuidString, title: a.title, purpose: a.purpose, state: d.state.label, flag: d.state.isFlagged ? d.state.label : nil,
            expired: d.state == .expired, parties: d.parties.map(\.name),
            categories: SharedDataCategory.allCases.filter(a.categories.contains).map(\.label),
            lawfulBasis: LawfulBasis(rawValue: a.lawfulBasis)?.label ?? a.lawfulBasis,
            specialCondition: a.specialCondition.map { SpecialCategoryCondition(rawValue: $0)?.label ?? $0 },
            signed: Format.day(a.signedOn), review: Format.day(a.reviewOn), reviewed: a.reviewedOn.map { Format.day($0) },
            documentTitle: a.documentTitle, documentURL: a.documentURL, canEdit: identity.can(.editPartnership),
            dates: ["nextReviewOn": DateField("nextReviewOn", legend: "Date of the next review", hint: DateField.example(today.adding(months: 12)),
                                              value: "")])
    }

    func form(_ d: AgreementService.Detail?, input: AgreementService.Input?, identity: Identity) async throws -> AgreementFormPage {
        let today = GovernanceService.today()
        var agencies = try await services.governance.members(identity: identity, page: 1, perPage: 1000).rows.map(\.agency)
        for agency in d?.parties ?? [] where !agencies.contains(where: { $0.id == agency.id }) { agencies.append(agency) }
        let a = d?.agreement
        let parties = Set(input?.parties ?? d?.parties.compactMap { $0.id?.uuidString } ?? [])
        let categories = Set(input?.categories ?? a.map { Array($0.categories.map(\.rawValue)) } ?? [])
        let id = a?.id
        return AgreementFormPage(
            isNew: d == nil, action: (id.map { AgreementRoute.updateAgreement(.value($0)) } ?? .createAgreement).path,
            cancel: (id.map { AgreementRoute.agreement(.value($0)) } ?? .agreements).path,
            title: input?.title ?? a?.title ?? "", purpose: input?.purpose ?? a?.purpose ?? "",
            parties: try GovernanceController.agencyChoices(agencies, selected: parties),
            categories: SharedDataCategory.allCases.map {
                Choice(value: $0.rawValue, label: $0.label, selected: categories.contains($0.rawValue))
            },
            bases: GovernanceController.choices(LawfulBasis.self, selected: input?.lawfulBasis ?? a?.lawfulBasis ?? "", label: \.label),
            conditions: GovernanceController.choices(SpecialCategoryCondition.self, selected: input?.specialCondition ?? a?.specialCondition ?? "",
                                                     label: \.label),
            documentTitle: input?.documentTitle ?? a?.documentTitle ?? "", documentURL: input?.documentURL ?? a?.documentURL ?? "",
            dates: ["signedOn": DateField("signedOn", legend: "Date signed", hint: DateField.example(today), value: input?.signedOn ?? a?.signedOn ?? ""),
                    "reviewOn": DateField("reviewOn", legend: "Review date", hint: "When the parties must review it. " + DateField.example(today.adding(months: 12)),
                                          value: input?.reviewOn ?? a?.reviewOn ?? "")])
    }
}
