import CairnCore
import Foundation

/// The consent page: the survivor's consents and the form to record one; and the page that
/// confirms a withdrawal.
extension CaseSupportController {
    struct ConsentRow: Sendable {
        let id: String
        let categories: [String]
        let purposes: [String]
        let agencies: [String]
        let method: String
        let period: String
        let nrmConsent: Bool
        let anonymisedSharing: Bool
        let active: Bool
        let state: String
    }

    struct ConsentPage: Sendable, DateFieldPage {
        let header: Header
        let rows: [ConsentRow]
        let empty: Bool
        let categories: [Choice]
        let purposes: [Choice]
        let agencies: [Choice]
        let methods: [Choice]
        let interpreterLanguage: String
        let validFrom: String
        let validUntil: String
        let nrmConsent: Bool
        let anonymisedSharing: Bool
        var dates: [String: DateField] = [:]
    }

    func consentPage(_ c: AuthorisedCase, address: String, input: CaseSupportService.ConsentInput? = nil) async throws -> ConsentPage {
        let rows = try await support.consents(of: c, address: address, via: "web")
        let agencies = try await services.accounts.agencies()
        let names = Dictionary(uniqueKeysWithValues: try agencies.map { (try $0.requireID().uuidString, $0.name) })
        let today = CaseSupportService.today()
        let input = input ?? CaseSupportService.ConsentInput(validFrom: today.description)
        return ConsentPage(
            header: Self.header(c, current: .consent),
            rows: try rows.map { row in
                let record = row.record
                let state = row.withdrawnOn.map { "Withdrawn \(Format.day($0))" } ?? (record.isActive(on: today) ? "In force" : "Not in force")
                return ConsentRow(id: try row.requireID().uuidString, categories: record.categories.map(\.label).sorted(), purposes: record.purposes.map(\.label).sorted(),
                                  agencies: record.agencies.map { names[$0] ?? "an agency no longer listed" }.sorted(),
                                  method: record.method.label + (row.interpreterLanguage.map { " (\($0))" } ?? ""),
                                  period: "From \(Format.day(row.validFrom))" + (row.validUntil.map { " until \(Format.day($0))" } ?? ", no end date"),
                                  nrmConsent: row.nrmConsent, anonymisedSharing: row.anonymisedSharing, active: record.isActive(on: today) && row.withdrawnOn == nil, state: state)
            },
            empty: rows.isEmpty,
            categories: ConsentDataCategory.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.categories.contains($0.rawValue)) },
            purposes: ConsentPurpose.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.purposes.contains($0.rawValue)) },
            agencies: try agencies.map { Choice(value: try $0.requireID().uuidString, label: $0.name, selected: input.agencies.contains(try $0.requireID().uuidString)) },
            methods: ConsentMethod.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: input.method == $0.rawValue) },
            interpreterLanguage: input.interpreterLanguage, validFrom: input.validFrom, validUntil: input.validUntil, nrmConsent: input.nrmConsent,
            anonymisedSharing: input.anonymisedSharing,
            dates: Self.consentDates(input, today: today))
    }

    struct WithdrawPage: Sendable {
        let header: Header
        let consentID: String
        let agencies: [String]
    }
}
