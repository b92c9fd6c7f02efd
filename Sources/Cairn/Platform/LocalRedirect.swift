/// Where a form may send the browser next (`next=`, `back=`): only a path on this site.
///
/// A browser reads `//host`, `/\host` and `/<TAB>/host` (it drops tabs and line breaks
/// anywhere in a URL) as another site, so the path must start with one `/` followed by a
/// character that is not `/`, `\` or a control character, and hold no control character
/// anywhere (which also keeps CR and LF out of the `Location` header).
enum LocalRedirect {
    static func path(_ candidate: String?) -> String? {
        guard let candidate, candidate.utf8.count <= 2048 else { return nil }
        let scalars = candidate.unicodeScalars
        guard scalars.first == "/" else { return nil }
        if scalars.contains(where: isControl) { return nil }
        if let second = scalars.dropFirst().first, second == "/" || second == "\\" { return nil }
        return candidate
    }

    /// C0 and C1 controls and DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }
}
