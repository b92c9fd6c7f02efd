extension QRCode {
    /// The symbol as an SVG image: one path of dark squares on a light square with the
    /// four-module quiet zone the standard asks for. No `style` attributes (a page's
    /// Content-Security-Policy without 'unsafe-inline' still draws it); colours are
    /// presentation attributes. `title` is the accessible name, escaped here.
    public func svg(title: String, moduleSize: Int = 4, id: String? = nil) -> String {
        let quiet = 4
        let side = size + 2 * quiet
        var path = ""
        path.reserveCapacity(size * size * 4)
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                // One rectangle per horizontal run of dark modules.
                var run = 1
                while isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + quiet) \(y + quiet)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let pixels = side * max(1, moduleSize)
        let idAttribute = id.map { " id=\"\(Self.escape($0))\"" } ?? ""
        return """
        <svg xmlns="http://www.w3.org/2000/svg"\(idAttribute) viewBox="0 0 \(side) \(side)" width="\(pixels)" height="\(pixels)" \
        role="img" aria-label="\(Self.escape(title))" shape-rendering="crispEdges">\
        <rect width="\(side)" height="\(side)" fill="#ffffff"/><path d="\(path)" fill="#000000"/></svg>
        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
