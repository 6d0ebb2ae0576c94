/// Plain (unquoted) scalars and the indicators that may not start one.
extension YAMLReader.Parser {
    enum PlainStop { case lineEnd, colon, comment, flowIndicator }

    /// `end` excludes trailing whitespace; `stopAt` is where scanning stopped.
    struct PlainScan {
        var end: Int
        var stopAt: Int
        var stop: PlainStop
    }

    /// Scans plain text on line `l` from `start` up to ': ', ' #', the end of
    /// the line or (in flow context) a flow indicator.
    func scanPlainLine(_ l: Int, from start: Int, flow: Bool) -> PlainScan {
        let row = lines[l]
        var i = start
        var end = start
        while i < row.count {
            let c = row[i]
            if c == ":" {
                let next = i + 1 < row.count ? row[i + 1] : nil
                if next == nil || Self.isWhite(next) || (flow && Self.isFlowIndicator(next)) {
                    return PlainScan(end: end, stopAt: i, stop: .colon)
                }
            } else if c == "#", i > start, Self.isWhite(row[i - 1]) {
                return PlainScan(end: end, stopAt: i, stop: .comment)
            } else if flow, Self.isFlowIndicator(c) {
                return PlainScan(end: end, stopAt: i, stop: .flowIndicator)
            }
            if !Self.isWhite(c) { end = i + 1 }
            i += 1
        }
        return PlainScan(end: end, stopAt: i, stop: .lineEnd)
    }

    mutating func parsePlainScalar(parentIndent: Int, flow: Bool) throws(YAMLError) -> YAMLNode {
        let start = here
        return .scalar(parsePlainText(parentIndent: parentIndent, flow: flow), .plain, start)
    }

    /// Reads a plain scalar at the cursor. It continues on following lines
    /// indented more than `parentIndent`, folded as YAML specifies: one line
    /// break becomes a space, each blank line between becomes a '\n'. A
    /// comment or a line that looks like `key:` ends it.
    mutating func parsePlainText(parentIndent: Int, flow: Bool) -> String {
        var scan = scanPlainLine(line, from: col, flow: flow)
        var text = String.UnicodeScalarView(lines[line][col..<scan.end])
        col = scan.end
        while scan.stop == .lineEnd {
            var next = line + 1
            var blankLines = 0
            while next < lines.count, isBlank(next) {
                next += 1
                blankLines += 1
            }
            guard next < lines.count, documentMarker(next) == nil, leadingSpaces(next) > parentIndent else { break }
            let first = firstNonWhite(next)
            guard lines[next][first] != "#" else { break }
            let nextScan = scanPlainLine(next, from: first, flow: flow)
            guard nextScan.end > first, nextScan.stop != .colon else { break }
            if blankLines == 0 {
                text.append(" ")
            } else {
                Self.appendNewlines(blankLines, to: &text)
            }
            text.append(contentsOf: lines[next][first..<nextScan.end])
            line = next
            col = nextScan.end
            scan = nextScan
        }
        return String(text)
    }

    /// Rejects characters that cannot start a plain scalar, naming the
    /// unsupported feature where there is one.
    func rejectPlainStart(flow: Bool) throws(YAMLError) {
        guard let c = current else { return }
        let next = char(line, col + 1)
        let separated = next == nil || Self.isWhite(next) || (flow && Self.isFlowIndicator(next))
        let message: String?
        switch c {
        case "&": message = "anchors ('&') are not supported"
        case "*": message = "aliases ('*') are not supported"
        case "!": message = "tags ('!') are not supported"
        case "?" where separated: message = "complex mapping keys ('? ') are not supported"
        case ":" where separated: message = "a mapping key is missing before ':'"
        case "?" where flow, ":" where flow:
            // YAML 1.1 parsers read these as indicators inside flow collections; 1.2 as text.
            message = "a plain scalar inside a flow collection cannot start with '\(c)'; quote it"
        case "-" where separated: message = "block sequence entries ('- ') are not allowed here"
        case "#": message = "a comment must be preceded by whitespace"
        case "%" where col == 0: message = "directives ('%YAML', '%TAG') are not supported"
        case "|", ">":
            message = flow ? "block scalars ('|', '>') are not allowed inside flow collections"
                           : "'\(c)' cannot start a plain scalar; quote the value"
        case ",", "]", "}":
            message = flow ? "unexpected '\(c)'" : "'\(c)' cannot start a plain scalar; quote the value"
        case "[", "{", "%", "@", "`": message = "'\(c)' cannot start a plain scalar; quote the value"
        default: message = nil
        }
        if let message { throw fail(message, here) }
    }
}
