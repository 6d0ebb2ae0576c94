/// Cursor primitives shared by the block, flow and scalar parsers.
extension YAMLReader.Parser {
    enum DocumentMarker { case start, end }

    static func isWhite(_ c: Unicode.Scalar?) -> Bool { c == " " || c == "\t" }

    static func isFlowIndicator(_ c: Unicode.Scalar?) -> Bool {
        c == "," || c == "[" || c == "]" || c == "{" || c == "}"
    }

    func char(_ l: Int, _ c: Int) -> Unicode.Scalar? {
        guard l < lines.count, c >= 0, c < lines[l].count else { return nil }
        return lines[l][c]
    }

    var current: Unicode.Scalar? { char(line, col) }

    /// What must follow the '-', '?' and ':' indicators in block context.
    func isWhiteOrEnd(_ l: Int, _ c: Int) -> Bool {
        let s = char(l, c)
        return s == nil || Self.isWhite(s)
    }

    var isSequenceEntry: Bool { current == "-" && isWhiteOrEnd(line, col + 1) }

    func mark(_ l: Int, _ c: Int) -> YAMLMark {
        guard l < lines.count, !asciiLines[l], c > 0 else { return YAMLMark(line: l + 1, column: c + 1) }
        let row = lines[l]
        let prefix = String(String.UnicodeScalarView(row[0..<min(c, row.count)]))
        return YAMLMark(line: l + 1, column: prefix.count + 1 + max(0, c - row.count))
    }

    var here: YAMLMark { mark(line, col) }

    func fail(_ message: String, _ mark: YAMLMark) -> YAMLError { YAMLError(message: message, mark: mark) }

    mutating func skipInlineWhite() {
        while Self.isWhite(current) { col += 1 }
    }

    /// A '#' starts a comment only at the start of a line or after whitespace.
    var atCommentOrEnd: Bool {
        guard let c = current else { return true }
        return c == "#" && (col == 0 || Self.isWhite(char(line, col - 1)))
    }

    /// Allows only whitespace and a comment before the end of the line, then moves to the next line.
    mutating func finishLine(_ message: String) throws(YAMLError) {
        skipInlineWhite()
        guard atCommentOrEnd else { throw fail(message, here) }
        line += 1
        col = 0
    }

    func firstNonWhite(_ l: Int) -> Int {
        let row = lines[l]
        var i = 0
        while i < row.count, Self.isWhite(row[i]) { i += 1 }
        return i
    }

    func leadingSpaces(_ l: Int) -> Int {
        let row = lines[l]
        var i = 0
        while i < row.count, row[i] == " " { i += 1 }
        return i
    }

    func isBlank(_ l: Int) -> Bool { firstNonWhite(l) == lines[l].count }

    func isSpacesOnly(_ l: Int) -> Bool { lines[l].allSatisfy { $0 == " " } }

    func isBlankOrComment(_ l: Int) -> Bool {
        let first = firstNonWhite(l)
        return first == lines[l].count || lines[l][first] == "#"
    }

    func documentMarker(_ l: Int) -> DocumentMarker? {
        let row = lines[l]
        guard row.count >= 3, row.count == 3 || Self.isWhite(row[3]) else { return nil }
        if row[0] == "-" && row[1] == "-" && row[2] == "-" { return .start }
        if row[0] == "." && row[1] == "." && row[2] == "." { return .end }
        return nil
    }

    /// From the start of the current line, skips blank and comment lines and
    /// puts the cursor on the first content character. Returns its indentation,
    /// or nil at the end of the input or at a document marker.
    mutating func skipToContentLine() throws(YAMLError) -> Int? {
        while line < lines.count {
            if isBlankOrComment(line) {
                line += 1
                continue
            }
            col = 0
            if documentMarker(line) != nil { return nil }
            let first = firstNonWhite(line)
            if let tab = lines[line][0..<first].firstIndex(of: "\t") {
                throw fail("tab characters must not be used for indentation", mark(line, tab))
            }
            col = first
            return first
        }
        col = 0
        return nil
    }

    mutating func enterCollection(_ mark: YAMLMark) throws(YAMLError) {
        guard depth < YAMLReader.maxDepth else {
            throw fail("collections nested more than \(YAMLReader.maxDepth) levels deep are not supported", mark)
        }
        depth += 1
    }

    static func appendNewlines(_ count: Int, to text: inout String.UnicodeScalarView) {
        for _ in 0..<max(0, count) { text.append("\n") }
    }
}
