/// Flow collections: `[a, b]` and `{a: 1}`, possibly spanning lines (so JSON
/// is accepted too). Lines inside must be indented more than `parentIndent`.
extension YAMLReader.Parser {
    mutating func parseFlowCollection(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let open = here
        try enterCollection(open)
        defer { depth -= 1 }
        let isSequence = current == "["
        col += 1
        return isSequence
            ? try parseFlowSequence(open: open, parentIndent: parentIndent)
            : try parseFlowMapping(open: open, parentIndent: parentIndent)
    }

    private mutating func parseFlowSequence(open: YAMLMark, parentIndent: Int) throws(YAMLError) -> YAMLNode {
        var items: [YAMLNode] = []
        while true {
            try skipFlowSpace(open: open, closer: "]", parentIndent: parentIndent)
            if current == "]" { break }
            items.append(try parseFlowNode(parentIndent: parentIndent))
            try skipFlowSpace(open: open, closer: "]", parentIndent: parentIndent)
            switch current {
            case ",": col += 1
            case "]": break
            case ":":
                throw fail("'key: value' pairs inside a flow sequence are not supported; write {key: value}", here)
            default:
                throw fail("expected ',' or ']' in the flow sequence", here)
            }
            if current == "]" { break }
        }
        col += 1
        return .sequence(items, open)
    }

    private mutating func parseFlowMapping(open: YAMLMark, parentIndent: Int) throws(YAMLError) -> YAMLNode {
        var pairs: [YAMLPair] = []
        var firstLine: [String: Int] = [:]
        while true {
            try skipFlowSpace(open: open, closer: "}", parentIndent: parentIndent)
            if current == "}" { break }
            let keyMark = here
            let keyLine = line
            let key: String
            let isPlainKey = current != "\"" && current != "'"
            switch current {
            case "\"", "'":
                key = try scanQuoted(parentIndent: parentIndent).text
            case "[", "{":
                throw fail("only scalar mapping keys are supported", keyMark)
            default:
                try rejectPlainStart(flow: true)
                key = parsePlainText(parentIndent: parentIndent, flow: true)
            }
            guard line == keyLine else { throw fail("a mapping key must be on a single line", keyMark) }
            if let previous = firstLine[key] {
                throw fail("duplicate key '\(key)' (first defined on line \(previous))", keyMark)
            }
            firstLine[key] = keyMark.line
            skipInlineWhite()
            let hasColon = current == ":"
            if hasColon {
                col += 1
                // Only JSON-like (quoted) keys may be followed directly by their value; after
                // a plain key, `{a:[]}` and `{a:}` are read differently by YAML 1.1 and 1.2.
                if isPlainKey && !isWhiteOrEnd(line, col) {
                    throw fail("expected a space after ':' in the flow mapping", here)
                }
            }
            let emptyMark = here
            try skipFlowSpace(open: open, closer: "}", parentIndent: parentIndent)
            let value: YAMLNode
            if current == "," || current == "}" {
                value = .scalar("", .plain, emptyMark)   // `{a: }` and `{a}` both give a null value
            } else if hasColon {
                value = try parseFlowNode(parentIndent: parentIndent)
            } else {
                throw fail("expected ':' after the flow mapping key", here)
            }
            pairs.append(YAMLPair(key: key, keyMark: keyMark, value: value))
            try skipFlowSpace(open: open, closer: "}", parentIndent: parentIndent)
            switch current {
            case ",": col += 1
            case "}": break
            default: throw fail("expected ',' or '}' in the flow mapping", here)
            }
            if current == "}" { break }
        }
        col += 1
        return .mapping(pairs, open)
    }

    private mutating func parseFlowNode(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        switch current {
        case "[", "{":
            return try parseFlowCollection(parentIndent: parentIndent)
        case "\"", "'":
            let quoted = try scanQuoted(parentIndent: parentIndent)
            return .scalar(quoted.text, quoted.style, quoted.mark)
        default:
            try rejectPlainStart(flow: true)
            return try parsePlainScalar(parentIndent: parentIndent, flow: true)
        }
    }

    /// Skips whitespace, comments and line breaks up to the next token.
    private mutating func skipFlowSpace(open: YAMLMark, closer: Unicode.Scalar, parentIndent: Int) throws(YAMLError) {
        let name = closer == "]" ? "flow sequence" : "flow mapping"
        while true {
            skipInlineWhite()
            if !atCommentOrEnd { return }
            line += 1
            col = 0
            guard line < lines.count, documentMarker(line) == nil else {
                throw fail("unterminated \(name): missing '\(closer)'", open)
            }
            if !isBlankOrComment(line) && leadingSpaces(line) <= parentIndent {
                throw fail("unterminated \(name) or bad indentation: its lines must be indented more than \(parentIndent) spaces",
                           mark(line, firstNonWhite(line)))
            }
        }
    }
}
