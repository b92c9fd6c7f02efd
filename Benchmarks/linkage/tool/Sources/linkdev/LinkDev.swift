import ArgumentParser
import Foundation
import Linkage

/// A small stand-alone tool for benchmarking the Linkage engine without building the whole
/// server: the same `dedupe` command as `cairn link dedupe`, plus the synthetic data
/// generator, the incremental-latency benchmark and a model inspector.
@main
struct LinkDev: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "linkdev",
        subcommands: [LinkDedupe.self, Generate.self, IncrementalBench.self, Inspect.self])
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write synthetic UK-style person records with true identities (true_id).")
    @Option(help: "Number of rows.") var rows: Int = 10_000
    @Option(help: "Random seed: the same seed gives the same file.") var seed: UInt64 = 1
    @Option(help: "CSV file to write.") var output: String
    func run() throws {
        let rows = PersonGenerator(seed: seed).rows(count: rows)
        try PersonGenerator.csv(rows).write(toFile: output, atomically: true, encoding: .utf8)
    }
}

struct IncrementalBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build an index from all but the last N rows of a generated file, then add those N one at a time and report latency.")
    @Option(help: "A file written by `generate`.") var input: String
    @Option(help: "How many rows to add one at a time.") var queries: Int = 2000
    func run() throws {
        let raw = try readGenerated(input)
        let held = raw.count - queries
        let normalised = DedupeJob.normalise(Array(raw[..<held]))
        var t = Date()
        var (index, _, _) = LinkageIndex.batch(normalised)
        print("built index of \(held) records in \(Date().timeIntervalSince(t)) s")
        index.reserveCapacity(raw.count)
        var times = [Double]()
        for r in raw[held...] {
            t = Date()
            _ = index.add(r)
            times.append(Date().timeIntervalSince(t) * 1000)
        }
        times.sort()
        func q(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * p))] }
        print(String(format: "add one record: p50 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)", q(0.5), q(0.99), times.last ?? 0, times.count))
    }
}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train on a generated file and print the model, then explain some wrong links and missed matches.")
    @Option(help: "A file written by `generate`.") var input: String
    @Option(help: "How many examples of each kind.") var pairs: Int = 8
    func run() throws {
        let raw = try readGenerated(input)
        let truth = try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n").dropFirst().map { l in
            String(l.split(separator: ",", omittingEmptySubsequences: false)[1]) }
        var trueOf = [String: String]()
        for (i, r) in raw.enumerated() where i < truth.count { trueOf[r.id] = truth[i] }
        let (index, links, report) = LinkageIndex.batch(DedupeJob.normalise(raw))
        for c in index.model.comparisons {
            print(c.kind.rawValue, c.levels.dropFirst().map { "\($0.label): m=\(String(format: "%.4f", $0.m)) u=\(String(format: "%.6f", $0.u)) w=\(String(format: "%.1f", $0.weight))" }.joined(separator: " | "))
        }
        print("prior", index.model.priorMatchProbability, report.training.map { "\($0.emSessions)" } ?? "")
        var fp = 0, fn = 0
        let rawByID = Dictionary(uniqueKeysWithValues: raw.map { ($0.id, $0) })
        func show(_ r: RawRecord) -> String { Field.allCases.compactMap { r.values[$0] }.joined(separator: " | ") }
        for l in links where trueOf[l.left] != trueOf[l.right] && fp < pairs {
            fp += 1
            print("FALSE LINK\n  \(show(rawByID[l.left]!))\n  \(show(rawByID[l.right]!))\n" + index.explain(l.left, l.right)!.text)
        }
        let assign = index.clusterAssignments()
        var clusterOf = [String: String](); for a in assign { clusterOf[a.id] = a.clusterID }
        var byTrue = [String: [String]]()
        for r in raw { byTrue[trueOf[r.id]!, default: []].append(r.id) }
        for (_, ids) in byTrue.sorted(by: { $0.key < $1.key }) where ids.count > 1 && fn < pairs {
            if clusterOf[ids[0]] != clusterOf[ids[1]] {
                fn += 1
                print("MISSED\n  \(show(rawByID[ids[0]]!))\n  \(show(rawByID[ids[1]]!))\n" + index.explain(ids[0], ids[1])!.text)
            }
        }
    }
}

/// Reads a file written by `generate`, with its columns mapped to the engine's fields.
func readGenerated(_ input: String) throws -> [RawRecord] {
    let map: [Field: String] = [.givenName: "given_name", .familyName: "family_name", .dateOfBirth: "date_of_birth",
                                .address: "address", .town: "town", .postcode: "postcode", .phone: "phone", .email: "email"]
    let job = DedupeJob(input: URL(fileURLWithPath: input), idColumn: "record_id", mapping: map,
                        clustersOutput: URL(fileURLWithPath: "/dev/null"))
    return try job.readRecords().0
}
