import ArgumentParser
import Cairn
import Foundation

/// `cairn link rebuild`: re-link every report in the database with the same engine the server
/// uses for each new report. Analysts' "same" / "not the same" decisions are kept.
struct LinkRebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Re-link every report in the database: people, places, phones, vehicles and businesses.",
        discussion: """
        Replaces the stored links, person clusters and networks. Analysts' decisions that two people are, or are not, the same are kept and respected. With 1,000 or more people mentioned the model is trained on them (u by sampling, m by expectation-maximisation) and stored for the server; otherwise the stored or starting model is used. Alerts are not raised for links found by a rebuild. Restart the server afterwards so it reloads the links it holds in memory.
        """
    )

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let config = try options.config()
        let progress = LinkProgressLine()
        let summary = try await withServices(config) { services in
            try await services.intelligence.rebuild(actor: .commandLine("cairn link rebuild"), progress: { progress.update($0, $1) })
        }
        progress.finish()
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        print("""
            Re-linked \(count(summary.reports, "report", "reports")) (\(count(summary.mentions, "mention", "mentions")), \(count(summary.people, "person mentioned", "people mentioned"))) in \(String(format: "%.1f", summary.seconds)) s.
            \(count(summary.personClusters, "distinct person", "distinct people")); \(count(summary.links, "link", "links")) between reports; \(count(summary.networks, "network", "networks")).\(summary.trained ? " Model trained and stored." : "")
            """)
    }
}
