import Foundation

/// Problems a dedupe run reports to the user: one clear line each.
public enum LinkageError: Error, CustomStringConvertible, Sendable, Equatable {
    case unreadableFile(String, String)
    case unwritableFile(String, String)
    case emptyInput(String)
    case missingColumn(String, available: [String])
    case unknownField(String)
    case badMapping(String)
    case noMapping

    public var description: String {
        switch self {
        case .unreadableFile(let p, let why): return "cannot read \(p): \(why)"
        case .unwritableFile(let p, let why): return "cannot write \(p): \(why)"
        case .emptyInput(let p): return "\(p) has no header row"
        case .missingColumn(let c, let available):
            return "column '\(c)' is not in the input (columns: \(available.joined(separator: ", ")))"
        case .unknownField(let f):
            return "unknown field '\(f)' (fields: \(Field.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .badMapping(let m): return "bad mapping '\(m)': expected FIELD=COLUMN, e.g. given_name=first_name"
        case .noMapping: return "no --map given: map at least one field, e.g. --map full_name=name"
        }
    }
}

/// What a dedupe run did.
public struct DedupeSummary: Sendable, Codable, Hashable {
    public var report: BatchReport
    public var warnings: [String]
    public var raggedRows: Int
}

/// Batch dedupe of one CSV file: the work behind `cairn link dedupe`.
public struct DedupeJob: Sendable {
    public var input: URL
    public var idColumn: String
    public var mapping: [Field: String]
    public var clustersOutput: URL
    public var pairsOutput: URL?
    public var settings: LinkSettings
    public var feedback: FeedbackLog

    public init(input: URL, idColumn: String, mapping: [Field: String], clustersOutput: URL, pairsOutput: URL? = nil,
                settings: LinkSettings = LinkSettings(), feedback: FeedbackLog = FeedbackLog()) {
        self.input = input; self.idColumn = idColumn; self.mapping = mapping
        self.clustersOutput = clustersOutput; self.pairsOutput = pairsOutput
        self.settings = settings; self.feedback = feedback
    }

    /// Parse `FIELD=COLUMN` arguments.
    public static func parseMapping(_ args: [String]) throws(LinkageError) -> [Field: String] {
        var out = [Field: String]()
        for a in args {
            guard let eq = a.firstIndex(of: "=") else { throw .badMapping(a) }
            let f = a[..<eq].trimmingCharacters(in: .whitespaces), c = a[a.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !f.isEmpty, !c.isEmpty else { throw .badMapping(a) }
            guard let field = Field(rawValue: f.lowercased()) else { throw .unknownField(f) }
            out[field] = c
        }
        if out.isEmpty { throw .noMapping }
        return out
    }

    /// Read the input, check the mapping against its header, and return raw records.
    public func readRecords() throws(LinkageError) -> (records: [RawRecord], warnings: [String], ragged: Int) {
        let data: Data
        do { data = try Data(contentsOf: input, options: .mappedIfSafe) }
        catch { throw .unreadableFile(input.path, (error as NSError).localizedDescription) }
        let table = CSV.parse(data)
        guard !table.header.isEmpty, table.header != [""] else { throw .emptyInput(input.path) }
        func column(_ name: String) throws(LinkageError) -> Int {
            if let i = table.header.firstIndex(of: name) { return i }
            if let i = table.header.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) { return i }
            throw .missingColumn(name, available: table.header)
        }
        let idCol = try column(idColumn)
        var cols = [(Field, Int)]()
        for (f, c) in mapping.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { cols.append((f, try column(c))) }
        var records = [RawRecord]()
        records.reserveCapacity(table.rows.count)
        var warnings = table.warnings
        var seen = Set<String>()
        var duplicates = 0
        for row in table.rows {
            var values = [Field: String]()
            for (f, c) in cols where !row[c].isEmpty { values[f] = row[c] }
            let id = row[idCol]
            if !seen.insert(id).inserted { duplicates += 1 }
            records.append(RawRecord(id: id, values: values))
        }
        if duplicates > 0 { warnings.append("\(duplicates) rows repeat an id already seen; each row is still clustered") }
        return (records, warnings, table.raggedRows)
    }

    /// Normalise on all cores (the slowest step for large files).
    public static func normalise(_ records: [RawRecord], referenceYear: Int = 2026) -> [NormalisedRecord] {
        let n = records.count
        guard n > 0 else { return [] }
        let chunk = 4096
        let chunks = (n + chunk - 1) / chunk
        let sink = NormalisedSink(chunks: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * chunk, hi = min(n, lo + chunk)
            sink.put(c, records[lo..<hi].map { NormalisedRecord($0, referenceYear: referenceYear) })
        }
        return sink.all()
    }

    /// Run: read, normalise, link, cluster, write clusters.csv (and pairs.csv).
    public func run(progress: (@Sendable (String, Double) -> Void)? = nil) throws(LinkageError) -> DedupeSummary {
        progress?("reading", 0)
        let (raw, warnings, ragged) = try readRecords()
        progress?("normalising", 0)
        let normalised = Self.normalise(raw)
        let result = LinkageIndex.batch(normalised, train: true, settings: settings, feedback: feedback, progress: progress)
        progress?("writing", 1)
        var out = "id,cluster_id\n"
        out.reserveCapacity(raw.count * 24)
        for (id, cluster) in result.index.clusterAssignments() {
            out += CSV.escape(id); out += ","; out += CSV.escape(cluster); out += "\n"
        }
        do { try out.write(to: clustersOutput, atomically: true, encoding: .utf8) }
        catch { throw .unwritableFile(clustersOutput.path, (error as NSError).localizedDescription) }
        if let pairsOutput {
            var p = "id_l,id_r,match_probability\n"
            p.reserveCapacity(result.links.count * 32)
            for l in result.links {
                p += CSV.escape(l.left); p += ","; p += CSV.escape(l.right); p += ","
                p += String(format: "%.6f", l.matchProbability); p += "\n"
            }
            do { try p.write(to: pairsOutput, atomically: true, encoding: .utf8) }
            catch { throw .unwritableFile(pairsOutput.path, (error as NSError).localizedDescription) }
        }
        return DedupeSummary(report: result.report, warnings: warnings, raggedRows: ragged)
    }
}

final class NormalisedSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [[NormalisedRecord]]
    init(chunks: Int) { parts = Array(repeating: [], count: chunks) }
    func put(_ c: Int, _ r: [NormalisedRecord]) { lock.lock(); parts[c] = r; lock.unlock() }
    func all() -> [NormalisedRecord] { lock.lock(); defer { lock.unlock() }; return parts.flatMap { $0 } }
}
