import Foundation

/// RFC 4180 CSV: quoted fields with embedded commas, quotes ("") and newlines; CRLF or LF;
/// a UTF-8 byte-order mark is skipped. Rows shorter than the header are padded (and
/// counted as warnings), longer rows have their extra fields dropped (also counted).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// One line per problem row ("line 12: 3 fields, expected 5"), capped at 20.
    public var warnings: [String]
    public var raggedRows: Int
}

public enum CSV {
    public static func parse(_ data: Data) -> CSVTable {
        var rows = [[String]]()
        var header = [String]()
        var warnings = [String]()
        var ragged = 0
        var line = 1
        forEachRecord(data) { fields, startLine in
            if header.isEmpty && rows.isEmpty && line == 1 {
                header = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                line = startLine + 1
                return true
            }
            if fields.count == 1 && fields[0].isEmpty { return true } // blank line
            var f = fields
            if f.count != header.count {
                ragged += 1
                if warnings.count < 20 { warnings.append("line \(startLine): \(f.count) fields, expected \(header.count)") }
                if f.count < header.count { f.append(contentsOf: repeatElement("", count: header.count - f.count)) }
                else { f.removeLast(f.count - header.count) }
            }
            rows.append(f)
            return true
        }
        return CSVTable(header: header, rows: rows, warnings: warnings, raggedRows: ragged)
    }

    /// Calls `body` with each record's fields and the line it started on; `body` returns
    /// false to stop early.
    public static func forEachRecord(_ data: Data, _ body: ([String], Int) -> Bool) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            forEachRecord(bytes: raw, firstLine: 1, body)
        }
    }

    /// Byte offsets where records start (after a newline outside quotes), roughly every
    /// `every` bytes, with the physical line number there: lets a large file be parsed in
    /// parallel pieces.
    static func splitPoints(_ raw: UnsafeRawBufferPointer, every: Int) -> [(offset: Int, line: Int)] {
        var out = [(0, 1)]
        var inQuotes = false
        var line = 1
        var next = every
        for p in 0..<raw.count {
            let c = raw[p]
            if c == 0x22 { inQuotes.toggle() }
            else if c == 0x0A {
                line += 1
                if !inQuotes && p + 1 >= next && p + 1 < raw.count { out.append((p + 1, line)); next = p + 1 + every }
            }
        }
        return out
    }

    static func forEachRecord(bytes raw: UnsafeRawBufferPointer, firstLine: Int, _ body: ([String], Int) -> Bool) {
        do {
            let b = raw.bindMemory(to: UInt8.self)
            var p = 0
            let n = b.count
            if n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { p = 3 }
            var fields = [String]()
            var field = [UInt8]()
            var line = firstLine, startLine = firstLine
            var inQuotes = false, wasQuoted = false
            var any = false
            func endField() {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            }
            while p < n {
                let c = b[p]
                if inQuotes {
                    if c == 0x22 {
                        if p + 1 < n && b[p + 1] == 0x22 { field.append(0x22); p += 2; continue }
                        inQuotes = false; p += 1; continue
                    }
                    if c == 0x0A { line += 1 }
                    field.append(c); p += 1; continue
                }
                switch c {
                case 0x22:
                    // A quote opens a quoted field only at its start; elsewhere it is kept literally.
                    if field.isEmpty && !wasQuoted { inQuotes = true; wasQuoted = true } else { field.append(c) }
                    any = true
                case 0x2C:
                    endField(); any = true
                case 0x0D, 0x0A:
                    if c == 0x0D && p + 1 < n && b[p + 1] == 0x0A { p += 1 }
                    endField()
                    if !body(fields, startLine) { return }
                    fields.removeAll(keepingCapacity: true)
                    line += 1; startLine = line; any = false
                default:
                    field.append(c); any = true
                }
                p += 1
            }
            if any || !field.isEmpty || !fields.isEmpty || inQuotes {
                endField()
                _ = body(fields, startLine)
            }
        }
    }

    // MARK: Writing

    /// Quote a field when it needs it.
    public static func escape(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// One field as written: quoted when it needs it. With `defuseFormulas`, text a spreadsheet
    /// would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
    /// leading `'` first, so it is shown as text: for files people open in a spreadsheet.
    public static func field(_ value: String, defuseFormulas: Bool = false) -> String {
        guard defuseFormulas, let first = value.first, "=+-@\t\r".contains(first) else { return escape(value) }
        return escape("'" + value)
    }

    /// One record's fields, written and joined by commas (no line ending).
    public static func record(_ fields: [String], defuseFormulas: Bool = false) -> String {
        fields.map { field($0, defuseFormulas: defuseFormulas) }.joined(separator: ",")
    }

    /// A whole file: the header, then each row, every record ending with `lineEnding` (RFC 4180
    /// says CRLF; LF is the default here, as Unix tools expect).
    public static func write(header: [String], rows: some Sequence<[String]>, lineEnding: String = "\n",
                             defuseFormulas: Bool = false) -> String {
        var out = record(header, defuseFormulas: defuseFormulas) + lineEnding
        out.reserveCapacity(out.utf8.count * (rows.underestimatedCount + 1))
        for row in rows {
            out += record(row, defuseFormulas: defuseFormulas)
            out += lineEnding
        }
        return out
    }
}
