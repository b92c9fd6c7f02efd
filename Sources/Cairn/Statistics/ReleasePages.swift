import CairnCore
import Disclosure
import Foundation

/// View models for the releases' templates (`statistics/*`).
enum ReleasePages {
    struct Row: Sendable {
        let href: String
        let period: String
        let method: String
        let status: String
        let published: Bool
        let tables: Int
        let sequence: String
        let revision: Bool
    }

    struct ListPage: Sendable {
        let rows: [Row]
        let empty: Bool
        let canCreate: Bool
        let budget: String
        let pagination: Pagination
    }

    static func row(_ s: ReleaseService.Summary) -> Row {
        Row(href: ReleaseRoute.show(.value(s.id)).path, period: s.period.label, method: s.method.label, status: s.status.label,
            published: s.status == .approved, tables: s.tables, sequence: s.sequence.map { "\($0)" } ?? "", revision: s.revises != nil)
    }

    static func amount(_ micros: Int, _ measure: PrivacyMeasure) -> String {
        (measure == .rho ? "ρ = " : "ε = ") + Micros.text(micros)
    }

    static func budgetText(spent: Int, cap: Int, measure: PrivacyMeasure, year: Int) -> String {
        "Privacy budget for \(year): \(amount(spent, measure)) spent of \(amount(cap, measure)); \(amount(max(cap - spent, 0), measure)) left."
    }

    struct FormPage: Sendable {
        let periods: [Choice]
        let methods: [Choice]
        let reportTables: [Choice]
        let referralTables: [Choice]
        let threshold: String
        let roundingBase: String
        let parameter: String
        let published: [Choice]
        let hasPublished: Bool
        let revisionNote: String
    }

    /// The tables offered: one-way tables by each dimension, and the two-way tables the
    /// national statistics publish.
    static let offeredTables: [ReleaseTableSpec] = [
        .init(population: .reports, dimensions: [.exploitationType]), .init(population: .reports, dimensions: [.reporterType]),
        .init(population: .reports, dimensions: [.area]), .init(population: .reports, dimensions: [.exploitationType, .area]),
        .init(population: .reports, dimensions: [.reporterType, .exploitationType]),
        .init(population: .referrals, dimensions: [.exploitationType]), .init(population: .referrals, dimensions: [.ageGroup]),
        .init(population: .referrals, dimensions: [.gender]), .init(population: .referrals, dimensions: [.nationalityGroup]),
        .init(population: .referrals, dimensions: [.referralRoute]), .init(population: .referrals, dimensions: [.outcome]),
        .init(population: .referrals, dimensions: [.area]), .init(population: .referrals, dimensions: [.exploitationType, .ageGroup]),
        .init(population: .referrals, dimensions: [.exploitationType, .gender]),
    ]

    static func formPage(_ input: ReleaseService.Input, published: [ReleaseService.Summary], today: CalendarDate) -> FormPage {
        var periods: [ReleasePeriod] = []
        for year in stride(from: today.year, through: today.year - 3, by: -1) {
            periods += (1...4).reversed().map { ReleasePeriod.quarter(year: year, quarter: $0) }.filter { $0.firstDay <= today }
            if year < today.year { periods.append(.year(year)) }
        }
        let chosen = Set(input.tables)
        func tables(_ population: ReleasePopulation) -> [Choice] {
            offeredTables.filter { $0.population == population }.map {
                let value = ReleaseService.text($0)
                return Choice(value: value, label: $0.dimensions.map(\.label).joined(separator: " by "), selected: chosen.contains(value))
            }
        }
        return FormPage(
            periods: periods.map { Choice(value: $0.description, label: $0.label, selected: $0.description == input.period) },
            methods: ReleaseMethod.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input.method) },
            reportTables: tables(.reports), referralTables: tables(.referrals), threshold: input.threshold, roundingBase: input.roundingBase,
            parameter: input.parameter,
            published: published.map { Choice(value: $0.id.uuidString, label: "\($0.period.label), release \($0.sequence ?? 0)", selected: $0.id.uuidString == input.revises) },
            hasPublished: !published.isEmpty, revisionNote: input.revisionNote)
    }

    struct Cell: Sendable {
        let text: String
        let hidden: Bool
        let error: String
    }

    struct TableRow: Sendable {
        let label: String
        let cells: [Cell]
        let isTotal: Bool
    }

    struct Table: Sendable {
        let name: String
        let columns: [String]
        let rows: [TableRow]
        let noisy: Bool
    }

    struct Check: Sendable {
        let table: String
        let cell: String
        let reason: String
        let interval: String
        let protected: Bool
        let explanation: String
    }

    struct ShowPage: Sendable {
        let heading: String
        let status: String
        let method: String
        let methodText: String
        let parameters: String
        let revisionNote: String
        let isRevision: Bool
        let tables: [Table]
        let hasTables: Bool
        let checks: [Check]
        let hasChecks: Bool
        let safe: Bool
        let showCheck: Bool
        let budget: String
        let isNoise: Bool
        let signature: String
        let previous: String
        let sequence: String
        let published: Bool
        let canPropose: Bool
        let canApprove: Bool
        let canWithdraw: Bool
        let proposeHref: String
        let approveHref: String
        let withdrawHref: String
        let csvHref: String
        let jsonHref: String
        let apiHref: String
    }
}
