import CairnCore
import Foundation

/// The analysts' dashboard (`/intelligence`): alerts, and the largest networks.
extension IntelligenceController {
    struct AlertRow: Sendable {
        let id: String
        let kind: String
        let message: String
        let at: String
        let reportID: String
        let reference: String
        let network: String
    }

    struct NetworkRow: Sendable {
        let id: String
        let size: Int
        let first: String
        let firstID: String
        let latest: String
    }

    struct Dashboard: Sendable {
        let alerts: [AlertRow]
        let noAlerts: Bool
        let networks: [NetworkRow]
        let noNetworks: Bool
        let showRead: Bool
    }

    static func dashboard(alerts: [(IntelligenceAlert, ReportBrief?)], networks: [IntelligenceService.NetworkSummary], showRead: Bool) throws -> Dashboard {
        Dashboard(
            alerts: try alerts.map { a, r in
                AlertRow(id: try a.requireID().uuidString, kind: IntelligenceAlertKind(rawValue: a.kind)?.label ?? a.kind, message: a.message,
                         at: when(a.createdAt), reportID: a.reportID.uuidString, reference: r?.reference ?? "", network: a.networkID.uuidString)
            },
            noAlerts: alerts.isEmpty,
            networks: networks.map { n in
                NetworkRow(id: n.id.uuidString, size: n.size, first: n.first.reference, firstID: n.first.id.uuidString, latest: when(n.latest))
            },
            noNetworks: networks.isEmpty, showRead: showRead)
    }
}
