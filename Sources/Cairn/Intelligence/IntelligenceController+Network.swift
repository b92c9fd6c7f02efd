import CairnCore
import Foundation

/// A network's page: a picture of its reports and what connects them, and the tables behind it.
extension IntelligenceController {
    struct Node: Sendable {
        let x: Int
        let y: Int
        let label: String
        let title: String
        let cls: String
        let labelX: Int
        let anchor: String
    }

    struct Edge: Sendable {
        let x1: Int, y1: Int, x2: Int, y2: Int
    }

    struct NetworkReportRow: Sendable {
        let id: String
        let reference: String
        let received: String
        let types: String
        let district: String
        let status: String
    }

    struct EntityRow: Sendable {
        let kind: String
        let label: String
        let reports: String
        let count: Int
    }

    struct NetworkPage: Sendable {
        let id: String
        let size: Int
        let linkCount: Int
        let width: Int
        let height: Int
        let nodes: [Node]
        let edges: [Edge]
        let pictureNote: String
        let reports: [NetworkReportRow]
        let entities: [EntityRow]
        let links: [LinkRow]
    }

    static func networkPage(_ n: IntelligenceService.Network) throws -> NetworkPage {
        let reference = Dictionary(uniqueKeysWithValues: n.reports.map { ($0.id, $0.reference) })
        // The picture: reports on the left, what connects them (shared by two or more) on the right.
        let connectors = n.entities.filter { $0.reports.count > 1 }
        let shownReports = Array(n.reports.prefix(40))
        let shownEntities = Array(connectors.prefix(40))
        let rowHeight = 30
        let height = max(shownReports.count, shownEntities.count) * rowHeight + 40
        let width = 720
        func y(_ i: Int, of count: Int) -> Int {
            let total = max(shownReports.count, shownEntities.count)
            let offset = (total - count) * rowHeight / 2
            return 30 + offset + i * rowHeight
        }
        var position: [UUID: (Int, Int)] = [:]
        var nodes: [Node] = []
        for (i, r) in shownReports.enumerated() {
            let p = (200, y(i, of: shownReports.count))
            position[r.id] = p
            nodes.append(Node(x: p.0, y: p.1, label: r.reference, title: "Report \(r.reference), received \(when(r.receivedAt))", cls: "node-report",
                              labelX: p.0 - 12, anchor: "end"))
        }
        var edges: [Edge] = []
        for (i, e) in shownEntities.enumerated() {
            let p = (500, y(i, of: shownEntities.count))
            let label = e.label.count > 28 ? String(e.label.prefix(27)) + "…" : e.label
            nodes.append(Node(x: p.0, y: p.1, label: "\(e.kind.label): \(label)", title: "\(e.kind.label) \(e.label) in \(e.reports.count) reports",
                              cls: "node-\(e.kind.rawValue)", labelX: p.0 + 12, anchor: "start"))
            for r in e.reports { if let from = position[r] { edges.append(Edge(x1: from.0, y1: from.1, x2: p.0, y2: p.1)) } }
        }
        var note = "Reports on the left; on the right, the people, places, phones, vehicles and businesses that two or more of them share."
        if n.reports.count > shownReports.count || connectors.count > shownEntities.count {
            note += " The picture shows the first 40 of each; the tables list everything."
        }
        return NetworkPage(
            id: n.id.uuidString, size: n.reports.count, linkCount: n.links.count, width: width, height: height, nodes: nodes, edges: edges,
            pictureNote: note,
            reports: n.reports.map { r in
                NetworkReportRow(id: r.id.uuidString, reference: r.reference, received: when(r.receivedAt), types: r.typesText,
                                 district: r.postcodeDistrict ?? "", status: r.reportStatus.label)
            },
            entities: n.entities.map { e in
                EntityRow(kind: e.kind.label, label: e.label, reports: e.reports.compactMap { reference[$0] }.joined(separator: ", "), count: e.reports.count)
            },
            links: try n.links.sorted { $0.probability > $1.probability }.map { l in
                LinkRow(linkID: try l.requireID().uuidString, id: l.laterReportID.uuidString,
                        reference: "\(reference[l.earlierReportID] ?? "?") and \(reference[l.laterReportID] ?? "?")", received: "",
                        direction: "", summary: l.summary, strength: percent(l.probability))
            })
    }
}
