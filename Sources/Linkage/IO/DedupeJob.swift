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
    /// The file is read as a stream and normalised in chunks, so memory holds the compact
    /// index rather than every raw row.
    public func run(progress: (@Sendable (String, Double) -> Void)? = nil) throws(LinkageError) -> DedupeSummary {
        progress?("reading", 0)
        let started = Date()
        let data: Data
        do { data = try Data(contentsOf: input, options: .mappedIfSafe) }
        catch { throw .unreadableFile(input.path, (error as NSError).localizedDescription) }
        var index = LinkageIndex(settings: settings, feedback: feedback)
        var warnings = [String]()
        var ragged = 0, duplicates = 0
        var failure: LinkageError? = nil
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            // The header first.
            var header: [String]? = nil
            CSV.forEachRecord(bytes: raw, firstLine: 1) { fields, _ in
                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                return false
            }
            guard let names = header, names != [""], !names.isEmpty else { failure = .emptyInput(input.path); return }
            func column(_ name: String) -> Int? {
                names.firstIndex(of: name) ?? names.firstIndex { $0.caseInsensitiveCompare(name) == .orderedSame }
            }
            guard let idCol = column(idColumn) else { failure = .missingColumn(idColumn, available: names); return }
            var cols = [(Field, Int)]()
            for (f, c) in mapping.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let k = column(c) else { failure = .missingColumn(c, available: names); return }
                cols.append((f, k))
            }
            let points = CSV.splitPoints(raw, every: 1 << 20)
            // Find where the header ends: the first record boundary after line 1.
            var headerEnd = 0
            var inQuotes = false
            for p in 0..<raw.count {
                if raw[p] == 0x22 { inQuotes.toggle() } else if raw[p] == 0x0A && !inQuotes { headerEnd = p + 1; break }
            }
            if headerEnd == 0 { headerEnd = raw.count }
            var pieces = [(start: Int, end: Int, line: Int)]()
            var cursor = headerEnd, cursorLine = 2
            for (offset, line) in points.dropFirst() where offset > cursor {
                pieces.append((cursor, offset, cursorLine)); cursor = offset; cursorLine = line
            }
            if cursor < raw.count { pieces.append((cursor, raw.count, cursorLine)) }
            // Parse and normalise pieces on all cores, a few at a time to bound memory;
            // append to the index in file order.
            let width = names.count
            let columns = cols
            let wave = 8
            var done = 0
            let base = UInt(bitPattern: raw.baseAddress)
            while done < pieces.count {
                let batch = Array(pieces[done..<min(pieces.count, done + wave)])
                let sink = PieceSink(count: batch.count)
                let referenceYear = 2026
                DispatchQueue.concurrentPerform(iterations: batch.count) { k in
                    let piece = batch[k]
                    let buffer = UnsafeRawBufferPointer(start: UnsafeRawPointer(bitPattern: base + UInt(piece.start)), count: piece.end - piece.start)
                    var out = [NormalisedRecord]()
                    var warn = [String]()
                    var bad = 0
                    CSV.forEachRecord(bytes: buffer, firstLine: piece.line) { fields, line in
                        if fields.count == 1 && fields[0].isEmpty { return true }
                        var row = fields
                        if row.count != width {
                            bad += 1
                            if warn.count < 20 { warn.append("line \(line): \(row.count) fields, expected \(width)") }
                            if row.count < width { row.append(contentsOf: repeatElement("", count: width - row.count)) }
                        }
                        var values = [Field: String]()
                        for (f, c) in columns where !row[c].isEmpty { values[f] = row[c] }
                        out.append(NormalisedRecord(RawRecord(id: row[idCol], values: values), referenceYear: referenceYear))
                        return true
                    }
                    sink.put(k, out, warn, bad)
                }
                for part in sink.take() {
                    for r in part.records {
                        if index.store.index(of: r.id) != nil { duplicates += 1 }
                        index.appendForBatch(r)
                    }
                    ragged += part.ragged
                    for w in part.warnings where warnings.count < 20 { warnings.append(w) }
                }
                done += batch.count
                progress?("reading", Double(done) / Double(max(1, pieces.count)))
            }
        }
        if let failure { throw failure }
        if duplicates > 0 { warnings.append("\(duplicates) rows repeat an id already seen; each row is still clustered") }
        let readSeconds = Date().timeIntervalSince(started)
        var result = index.finishBatch(train: true, progress: progress)
        result.report.seconds["reading and normalising"] = readSeconds
        progress?("writing", 1)
        var out = "id,cluster_id\n"
        out.reserveCapacity(index.count * 24)
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

final class PieceSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [(records: [NormalisedRecord], warnings: [String], ragged: Int)]
    init(count: Int) { parts = Array(repeating: ([], [], 0), count: count) }
    func put(_ k: Int, _ r: [NormalisedRecord], _ w: [String], _ bad: Int) { lock.lock(); parts[k] = (r, w, bad); lock.unlock() }
    func take() -> [(records: [NormalisedRecord], warnings: [String], ragged: Int)] { lock.lock(); defer { lock.unlock() }; return parts }
}

final class NormalisedSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [[NormalisedRecord]]
    init(chunks: Int) { parts = Array(repeating: [], count: chunks) }
    func put(_ c: Int, _ r: [NormalisedRecord]) { lock.lock(); parts[c] = r; lock.unlock() }
    func all() -> [NormalisedRecord] { lock.lock(); defer { lock.unlock() }; return parts.flatMap { $0 } }
}
