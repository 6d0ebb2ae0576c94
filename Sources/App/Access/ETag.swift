/// Strong ETags from row versions: `"7"`.
enum ETag {
    static func format(_ version: Int) -> String { "\"\(version)\"" }

    /// nil: no precondition (`If-Match` absent or `*`). A value that is not one of ours can never
    /// match, so it becomes an impossible version (and the change is refused with 412).
    static func required(_ ifMatch: String?) -> Int? {
        guard let ifMatch else { return nil }
        let trimmed = ifMatch.trimmedSpaces()
        if trimmed == "*" { return nil }
        var text = Substring(trimmed)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        guard text.count >= 3, text.first == "\"", text.last == "\"", let version = Int(text.dropFirst().dropLast()) else {
            return -1
        }
        return version
    }
}
