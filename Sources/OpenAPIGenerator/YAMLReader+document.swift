/// The single document: optional '---', one root node, optional '...'.
extension YAMLReader.Parser {
    mutating func parseDocument() throws(YAMLError) -> YAMLNode {
        var root: YAMLNode?
        var emptyMark = YAMLMark(line: 1, column: 1)
        while line < lines.count, isBlankOrComment(line) { line += 1 }
        if line < lines.count {
            if lines[line].first == "%" {
                throw fail("directives ('%YAML', '%TAG') are not supported", mark(line, 0))
            }
            if documentMarker(line) == .start {
                col = 3
                emptyMark = here
                skipInlineWhite()
                if atCommentOrEnd {
                    line += 1
                    col = 0
                } else {
                    // Like a value after 'key:': a scalar or flow collection, no block collection.
                    root = try parseBlockNode(parentIndent: -1, allowsCollection: false)
                }
            }
        }
        if root == nil, try skipToContentLine() != nil {
            root = try parseBlockNode(parentIndent: -1, allowsCollection: true)
        }
        try parseDocumentEnd()
        return root ?? .scalar("", .plain, emptyMark)
    }

    /// After the root node only comments, blank lines and one '...' may follow.
    private mutating func parseDocumentEnd() throws(YAMLError) {
        if try skipToContentLine() != nil {
            throw fail("unexpected content after the document's root node (check the indentation)", here)
        }
        guard line < lines.count else { return }
        if documentMarker(line) == .start {
            throw fail("multiple documents are not supported", mark(line, 0))
        }
        col = 3
        try finishLine("unexpected content after the document end marker '...'")
        while line < lines.count {
            if isBlankOrComment(line) {
                line += 1
                continue
            }
            if documentMarker(line) == .start {
                throw fail("multiple documents are not supported", mark(line, 0))
            }
            throw fail("unexpected content after the document end marker '...'", mark(line, firstNonWhite(line)))
        }
    }
}
