extension String {
    /// The text without leading and trailing white space and line breaks: the same result as
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (Unicode's White_Space characters and,
    /// as Foundation's set has it on Linux, the zero-width space), in Swift alone. Foundation's
    /// version goes through `NSString` and was a noticeable share of validating a public report.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace || s.value == 0x200B }
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            guard isSpace(scalars[before]) else { break }
            end = before
        }
        if start == scalars.startIndex, end == scalars.endIndex { return self }
        return String(Substring(scalars[start..<end]))
    }
}
