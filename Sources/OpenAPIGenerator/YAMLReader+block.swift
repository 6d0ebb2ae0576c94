/// Block structure: mappings and sequences delimited by indentation.
extension YAMLReader.Parser {
    /// Parses the node whose first character is at the cursor.
    /// - parentIndent: indentation of the enclosing block collection (-1 at the
    ///   top); continuation lines of this node must be indented more.
    /// - allowsCollection: false right after 'key:' or '---', where a block
    ///   mapping or sequence cannot start on the same line.
    mutating func parseBlockNode(parentIndent: Int, allowsCollection: Bool) throws(YAMLError) -> YAMLNode {
        let start = col
        switch current {
        case "-" where isWhiteOrEnd(line, col + 1):
            guard allowsCollection else {
                throw fail("a block sequence cannot start on the same line as its key; start it on the next line", here)
            }
            return try parseBlockSequence(indent: start, isMappingValue: false)
        case "|", ">":
            return try parseBlockScalar(parentIndent: parentIndent)
        case "[", "{":
            let node = try parseFlowCollection(parentIndent: parentIndent)
            skipInlineWhite()
            if current == ":" && isWhiteOrEnd(line, col + 1) {
                throw fail("only scalar mapping keys are supported", node.mark)
            }
            try finishLine("unexpected content after a flow collection")
            return node
        case "\"", "'":
            let startLine = line
            let quoted = try scanQuoted(parentIndent: parentIndent)
            skipInlineWhite()
            if current == ":" && isWhiteOrEnd(line, col + 1) {
                guard allowsCollection else { throw fail(Self.nestedMappingMessage, here) }
                guard line == startLine else { throw fail("a mapping key must be on a single line", quoted.mark) }
                col = start
                return try parseBlockMapping(indent: start)
            }
            try finishLine("unexpected content after a quoted scalar")
            return .scalar(quoted.text, quoted.style, quoted.mark)
        default:
            try rejectPlainStart(flow: false)
            let scan = scanPlainLine(line, from: col, flow: false)
            if scan.stop == .colon {
                guard allowsCollection else { throw fail(Self.nestedMappingMessage, mark(line, scan.stopAt)) }
                return try parseBlockMapping(indent: start)
            }
            let node = try parsePlainScalar(parentIndent: parentIndent, flow: false)
            try finishLine("unexpected content after a plain scalar")
            return node
        }
    }

    static let nestedMappingMessage =
        "a mapping cannot start on the same line as its key; quote the value or move the mapping to the next line"

    /// A block mapping whose first key is at the cursor, in column `indent`.
    mutating func parseBlockMapping(indent: Int) throws(YAMLError) -> YAMLNode {
        let mappingMark = here
        try enterCollection(mappingMark)
        defer { depth -= 1 }
        var pairs: [YAMLPair] = []
        var firstLine: [String: Int] = [:]
        while true {
            let (key, keyMark) = try parseBlockKey(indent: indent)
            if let previous = firstLine[key] {
                throw fail("duplicate key '\(key)' (first defined on line \(previous))", keyMark)
            }
            firstLine[key] = keyMark.line
            let value = try parseBlockValue(ownerIndent: indent, isMappingValue: true)
            pairs.append(YAMLPair(key: key, keyMark: keyMark, value: value))
            guard let next = try skipToContentLine(), next >= indent else { break }
            if next > indent {
                throw fail("bad indentation of a mapping entry: expected \(indent) spaces, found \(next)", here)
            }
            if isSequenceEntry {
                throw fail("expected a mapping key at this indentation, found a sequence entry ('- ')", here)
            }
        }
        return .mapping(pairs, mappingMark)
    }

    /// Reads `key:` and leaves the cursor just after the ':'.
    private mutating func parseBlockKey(indent: Int) throws(YAMLError) -> (String, YAMLMark) {
        let keyMark = here
        let keyLine = line
        let key: String
        switch current {
        case "\"", "'":
            key = try scanQuoted(parentIndent: indent).text
            guard line == keyLine else { throw fail("a mapping key must be on a single line", keyMark) }
            skipInlineWhite()
            guard current == ":", isWhiteOrEnd(line, col + 1) else {
                throw fail("expected ': ' after the mapping key", here)
            }
        case "[", "{":
            throw fail("only scalar mapping keys are supported", keyMark)
        default:
            try rejectPlainStart(flow: false)
            let scan = scanPlainLine(line, from: col, flow: false)
            guard scan.stop == .colon else { throw fail("expected a mapping key followed by ':'", keyMark) }
            key = String(String.UnicodeScalarView(lines[line][col..<scan.end]))
            col = scan.stopAt
        }
        col += 1
        return (key, keyMark)
    }

    /// Parses what follows the ':' of a key, or the '-' of an entry, at column
    /// `ownerIndent`: a node on the same line, a more indented node on the
    /// following lines, or nothing (a null). A mapping value may also be a
    /// sequence indented like its key, as OpenAPI files often write it.
    mutating func parseBlockValue(ownerIndent: Int, isMappingValue: Bool) throws(YAMLError) -> YAMLNode {
        let emptyMark = here
        skipInlineWhite()
        if !atCommentOrEnd {
            // After '- ' a compact mapping or sequence may start; after 'key: ' it may not.
            return try parseBlockNode(parentIndent: ownerIndent, allowsCollection: !isMappingValue)
        }
        line += 1
        col = 0
        guard let next = try skipToContentLine() else { return .scalar("", .plain, emptyMark) }
        if next > ownerIndent {
            return try parseBlockNode(parentIndent: ownerIndent, allowsCollection: true)
        }
        if next == ownerIndent && isMappingValue && isSequenceEntry {
            return try parseBlockSequence(indent: next, isMappingValue: true)
        }
        return .scalar("", .plain, emptyMark)
    }

    /// A block sequence whose first '-' is at the cursor, in column `indent`.
    mutating func parseBlockSequence(indent: Int, isMappingValue: Bool) throws(YAMLError) -> YAMLNode {
        let sequenceMark = here
        try enterCollection(sequenceMark)
        defer { depth -= 1 }
        var items: [YAMLNode] = []
        while true {
            col += 1
            // Parsers disagree on tabs after '-' (YAML 1.2 allows them, libyaml does not).
            var after = col
            while Self.isWhite(char(line, after)) {
                if char(line, after) == "\t" { throw fail("a tab must not follow '-'; use spaces", mark(line, after)) }
                after += 1
            }
            items.append(try parseBlockValue(ownerIndent: indent, isMappingValue: false))
            guard let next = try skipToContentLine(), next >= indent else { break }
            if next > indent {
                throw fail("bad indentation of a sequence entry: expected \(indent) spaces, found \(next)", here)
            }
            guard isSequenceEntry else {
                // A sequence indented like its parent key ends where the next key starts.
                if isMappingValue { break }
                throw fail("expected a sequence entry ('- ') at this indentation", here)
            }
        }
        return .sequence(items, sequenceMark)
    }
}
