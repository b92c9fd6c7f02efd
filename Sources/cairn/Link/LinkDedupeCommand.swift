import ArgumentParser
import Foundation
import Linkage

/// `cairn link dedupe`: find the records in one CSV file that are the same person.
/// Thin on purpose: the work is `Linkage.DedupeJob`.
public struct LinkDedupe: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dedupe",
        abstract: "Cluster the rows of a CSV file that describe the same person.",
        discussion: """
        Fields for --map: \(Field.allCases.map(\.rawValue).joined(separator: ", ")).

        Example: cairn link dedupe --input people.csv --id record_id --map given_name=first --map family_name=surname --map date_of_birth=dob --map postcode=postcode --map phone=phone --output clusters.csv --pairs pairs.csv

        clusters.csv has one row per input row, id,cluster_id; the cluster id is the id of the cluster's first row. pairs.csv lists every scored pair at or above the threshold, id_l,id_r,match_probability. The threshold also decides which links may join clusters; a link only joins two clusters that agree as a whole, so one weak link cannot chain two people together.

        Training (u by random sampling, m by expectation-maximisation) runs on the input itself. A summary with each blocking rule's pair count goes to standard error, with a progress bar when standard error is a terminal.
        """
    )

    @Option(name: .long, help: ArgumentHelp("The CSV file to deduplicate (RFC 4180, with a header row).", valueName: "file.csv"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("The column holding each row's unique id.", valueName: "column"))
    var id: String

    @Option(name: .long, help: ArgumentHelp("Map a field to a column; repeat for each field.", valueName: "field=column"))
    var map: [String] = []

    @Option(name: .long, help: ArgumentHelp("Where to write the clusters (id,cluster_id).", valueName: "clusters.csv"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Also write the linked pairs (id_l,id_r,match_probability).", valueName: "pairs.csv"))
    var pairs: String?

    @Option(name: .long, help: ArgumentHelp("Match probability at or above which two rows are linked, between 0 and 1.", valueName: "P"))
    var threshold: Double = 0.5

    public init() {}

    public func validate() throws {
        guard threshold > 0 && threshold < 1 else { throw ValidationError("--threshold must be between 0 and 1, got \(threshold)") }
    }

    public func run() async throws {
        let mapping: [Field: String]
        do { mapping = try DedupeJob.parseMapping(map) } catch {
            // One line naming the problem, not a usage dump.
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
        var settings = LinkSettings()
        settings.threshold = threshold
        let job = DedupeJob(input: URL(fileURLWithPath: input), idColumn: id, mapping: mapping,
                            clustersOutput: URL(fileURLWithPath: output), pairsOutput: pairs.map { URL(fileURLWithPath: $0) },
                            settings: settings)
        let bar = LinkProgressLine()
        let summary: DedupeSummary
        do {
            summary = try job.run { stage, fraction in bar.update(stage, fraction) }
        } catch {
            bar.finish()
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        bar.finish()
        var lines = summary.warnings.map { "warning: \($0)" }
        if summary.raggedRows > 0 { lines.append("warning: \(summary.raggedRows) rows had the wrong number of fields (padded or trimmed)") }
        let r = summary.report
        lines.append("\(r.records) records, \(r.pairsScored) pairs scored, \(r.links) links, \(r.clusters) clusters")
        for b in r.blocking where b.pairs > 0 || b.skippedBlocks > 0 {
            lines.append("  block \(b.rule): \(b.pairs) pairs, \(b.newPairs) new" + (b.skippedBlocks > 0 ? ", \(b.skippedBlocks) oversize blocks skipped (\(b.skippedRecords) records)" : ""))
        }
        lines.append("  time: " + r.seconds.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.1f", $0.value)) s" }.joined(separator: ", "))
        if r.mergesRejectedByCoherence > 0 { lines.append("  \(r.mergesRejectedByCoherence) links not merged: clusters disagreed as a whole") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}

/// A progress bar on standard error, drawn only on a terminal so pipes and logs stay clean.
final class LinkProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled = isatty(STDERR_FILENO) == 1
    private var last = ""

    func update(_ stage: String, _ fraction: Double) {
        guard enabled else { return }
        let width = 30
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        let line = "\r\(stage.padding(toLength: 12, withPad: " ", startingAt: 0)) [" + String(repeating: "#", count: filled)
            + String(repeating: " ", count: width - filled) + "] \(Int(fraction * 100))%"
        lock.lock(); defer { lock.unlock() }
        if line != last { FileHandle.standardError.write(Data(line.utf8)); last = line }
    }

    func finish() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if !last.isEmpty { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
