// Deterministic JSON for signing: keys sorted by their UTF-8 bytes, no whitespace, integers in
// decimal, doubles in Swift's shortest round-trip form (integral ones without a fraction),
// strings escaping only quote, backslash and control characters.

enum CanonicalJSON {
    indirect enum Value {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case array([Value])
        case object([String: Value])
    }

    static func bytes(_ v: Value) -> [UInt8] {
        var out: [UInt8] = []
        write(v, &out)
        return out
    }

    static func write(_ v: Value, _ out: inout [UInt8]) {
        switch v {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 9.0e15 { out += Array(String(Int(d)).utf8) }
            else if d.isFinite { out += Array(d.description.utf8) }
            else { out += Array("null".utf8) }
        case .string(let s): writeString(s, &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, x) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(x, &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            let keys = o.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(k, &out)
                out.append(UInt8(ascii: ":"))
                if let x = o[k] { write(x, &out) }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ s: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex = Array("0123456789abcdef".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), b]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), b]
            case 0..<0x20: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
