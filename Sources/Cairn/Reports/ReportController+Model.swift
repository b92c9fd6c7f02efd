import CairnCore
import FluentKit
import Foundation
import Hummingbird

/// The view models of the reports pages, one per template (`reports/*.mustache`).
extension ReportController {
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
        /// Filters the insight dashboard drills down with (period, source, age, outcome): kept
        /// when the form is applied again, described in words, and clearable.
        let kept: [Choice]
        let keptText: String
        let hasKept: Bool
        let clearKeptHref: String
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
        /// Analysts: the reports this one is linked to, and why (`ReportLinkPanel`).
        let links: (any Sendable)?
        let canRecordIntelligence: Bool
    }

    struct ClosePage: Sendable, DateFieldPage {
        let id: String
        let reference: String
        let outcomes: [Choice]
        var dates: [String: DateField]
        let note: String
    }
}
