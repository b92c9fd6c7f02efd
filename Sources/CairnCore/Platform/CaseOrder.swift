extension CaseIterable where Self: Equatable {
    /// The case's position in declaration order, for comparisons and scores. Every case is in
    /// `allCases`, so the fallback is never used; it is there so nothing can trap.
    public var declarationIndex: Int {
        var index = 0
        for candidate in Self.allCases {
            if candidate == self { return index }
            index += 1
        }
        return 0
    }
}
