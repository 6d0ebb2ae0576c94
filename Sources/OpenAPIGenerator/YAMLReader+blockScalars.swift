/// Literal `|` and folded `>` block scalars with chomping (`-`, `+`) and
/// indentation (1-9) indicators.
extension YAMLReader.Parser {
    private enum Chomping { case strip, clip, keep }

    /// Parses the block scalar whose indicator is at the cursor; afterwards the
    /// cursor is at the start of the first line after its content.
    mutating func parseBlockScalar(parentIndent: Int) throws(YAMLError) -> YAMLNode {
        let start = here
        let literal = current == "|"
        col += 1
        var chomping: Chomping?
        var increment: Int?
        while let c = current {
            if chomping == nil, c == "-" || c == "+" {
                chomping = c == "-" ? .strip : .keep
            } else if increment == nil, ("0"..."9").contains(c) {
                guard c != "0" else { throw fail("the indentation indicator of a block scalar must be 1 to 9", here) }
                increment = Int(c.value - 48)
            } else {
                break
            }
            col += 1
        }
        skipInlineWhite()
        guard atCommentOrEnd else {
            throw fail("unexpected text after the block scalar indicator; the content must start on the next line", here)
        }
        line += 1
        col = 0
        let indent = try blockScalarIndent(parentIndent: parentIndent, increment: increment)

        var text = String.UnicodeScalarView()
        var pendingBreak = false      // the line break ending the last content line
        var emptyLines = 0            // line breaks of empty lines since then
        var previousSpaced = false    // folding keeps breaks around lines starting with whitespace
        while line < lines.count {
            let row = lines[line]
            let hasBreak = line < lines.count - 1
            if isSpacesOnly(line) && row.count <= indent {
                if hasBreak { emptyLines += 1 }
                line += 1
                continue
            }
            if isBlank(line), let tab = row.prefix(indent).firstIndex(of: "\t") {
                // Such a line would end the scalar and then be skipped as blank: silent truncation.
                throw fail("tab characters must not be used for indentation", mark(line, tab))
            }
            guard leadingSpaces(line) >= indent, !(indent == 0 && documentMarker(line) != nil) else { break }
            let content = row[indent...]
            let spaced = Self.isWhite(content.first)
            if !literal && pendingBreak && !previousSpaced && !spaced {
                if emptyLines == 0 { text.append(" ") }
            } else if pendingBreak {
                text.append("\n")
            }
            Self.appendNewlines(emptyLines, to: &text)
            emptyLines = 0
            text.append(contentsOf: content)
            previousSpaced = spaced
            pendingBreak = hasBreak
            line += 1
        }
        col = 0
        switch chomping ?? .clip {
        case .strip:
            break
        case .clip:
            if pendingBreak { text.append("\n") }
        case .keep:
            if pendingBreak { text.append("\n") }
            Self.appendNewlines(emptyLines, to: &text)
        }
        return .scalar(String(text), literal ? .literal : .folded, start)
    }

    /// The content indentation: the parent's plus the explicit indicator, or
    /// that of the first non-empty line, which leading empty lines may not exceed.
    private func blockScalarIndent(parentIndent: Int, increment: Int?) throws(YAMLError) -> Int {
        if let increment { return max(parentIndent, 0) + increment }
        var l = line
        var widest = 0
        var widestLine = line
        while l < lines.count, isSpacesOnly(l) {
            if lines[l].count > widest {
                widest = lines[l].count
                widestLine = l
            }
            l += 1
        }
        let minimum = parentIndent + 1
        guard l < lines.count, leadingSpaces(l) >= minimum, !(leadingSpaces(l) == 0 && documentMarker(l) != nil) else {
            return max(minimum, widest)   // no content, only empty lines
        }
        let first = leadingSpaces(l)
        if widest > first {
            throw fail("a leading empty line of the block scalar is indented more than its first content line",
                       mark(widestLine, first))
        }
        return first
    }
}
