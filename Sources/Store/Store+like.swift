extension Store {
    /// User text for a `LIKE ... ESCAPE '\'` pattern: `%`, `_` and `\` match only themselves.
    /// (LIKE matches ASCII case-insensitively.)
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
