/// Single- and double-quoted scalars, which may span lines.
extension YAMLReader.Parser {
    struct Quoted {
        var text: String
        var style: YAMLScalarStyle
        var mark: YAMLMark
    }

    /// Reads the quoted scalar whose opening quote is at the cursor and leaves
    /// the cursor after the closing quote. Line breaks fold like plain
    /// scalars; continuation lines must be indented more than `parentIndent`.
    mutating func scanQuoted(parentIndent: Int) throws(YAMLError) -> Quoted {
        let open = here
        let isDouble = current == "\""
        let quote: Unicode.Scalar = isDouble ? "\"" : "'"
        let name = isDouble ? "double-quoted" : "single-quoted"
        col += 1
        var text = String.UnicodeScalarView()
        var blanks = String.UnicodeScalarView()   // literal whitespace; dropped if a line break follows
        var escapedBreak = false
        while true {
            guard let c = current else {
                var blankLines = 0
                while true {
                    line += 1
                    col = 0
                    guard line < lines.count, documentMarker(line) == nil else {
                        throw fail("unterminated \(name) scalar", open)
                    }
                    if isBlank(line) {
                        blankLines += 1
                        continue
                    }
                    guard leadingSpaces(line) > parentIndent else {
                        throw fail("unterminated \(name) scalar: line \(line + 1) is not indented enough to continue it", open)
                    }
                    col = firstNonWhite(line)
                    break
                }
                blanks.removeAll()
                if blankLines > 0 {
                    Self.appendNewlines(blankLines, to: &text)
                } else if !escapedBreak {
                    text.append(" ")
                }
                escapedBreak = false
                continue
            }
            if c == quote {
                if !isDouble && char(line, col + 1) == "'" {
                    text.append(contentsOf: blanks)
                    blanks.removeAll()
                    text.append("'")
                    col += 2
                    continue
                }
                text.append(contentsOf: blanks)
                col += 1
                return Quoted(text: String(text), style: isDouble ? .doubleQuoted : .singleQuoted, mark: open)
            }
            if Self.isWhite(c) {
                blanks.append(c)
                col += 1
                continue
            }
            text.append(contentsOf: blanks)
            blanks.removeAll()
            if isDouble && c == "\\" {
                if char(line, col + 1) == nil {
                    // An escaped line break joins the lines without a space.
                    escapedBreak = true
                    col += 1
                } else {
                    try decodeEscape(into: &text)
                }
                continue
            }
            text.append(c)
            col += 1
        }
    }

    /// Decodes the escape sequence at the cursor (a backslash) and moves past it.
    private mutating func decodeEscape(into text: inout String.UnicodeScalarView) throws(YAMLError) {
        let backslash = here
        let e = char(line, col + 1) ?? "\\"
        col += 2
        let simple: Unicode.Scalar? = switch e {
        case "0": "\u{0}"
        case "a": "\u{7}"
        case "b": "\u{8}"
        case "t", "\t": "\t"
        case "n": "\n"
        case "v": "\u{B}"
        case "f": "\u{C}"
        case "r": "\r"
        case "e": "\u{1B}"
        case " ": " "
        case "\"": "\""
        case "/": "/"
        case "\\": "\\"
        case "N": "\u{85}"
        case "_": "\u{A0}"
        case "L": "\u{2028}"
        case "P": "\u{2029}"
        default: nil
        }
        if let simple {
            text.append(simple)
            return
        }
        let width = switch e {
        case "x": 2
        case "u": 4
        case "U": 8
        default: 0
        }
        guard width > 0 else { throw fail("invalid escape sequence '\\\(e)'", backslash) }
        guard var code = readHex(width) else {
            throw fail("invalid escape sequence: '\\\(e)' needs \(width) hexadecimal digits", backslash)
        }
        if e == "u", (0xD800...0xDBFF).contains(code) {
            // JSON spells characters beyond the BMP as UTF-16 surrogate pairs.
            guard current == "\\", char(line, col + 1) == "u" else {
                throw fail("invalid escape sequence: unpaired UTF-16 surrogate", backslash)
            }
            col += 2
            guard let low = readHex(4), (0xDC00...0xDFFF).contains(low) else {
                throw fail("invalid escape sequence: unpaired UTF-16 surrogate", backslash)
            }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else {
            throw fail("invalid escape sequence: \(String(code, radix: 16, uppercase: true)) is not a Unicode scalar value", backslash)
        }
        text.append(scalar)
    }

    private mutating func readHex(_ count: Int) -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let c = current, let digit = hexDigit(c) else { return nil }
            value = value << 4 | digit
            col += 1
        }
        return value
    }

    private func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 48
        case "a"..."f": c.value - 87
        case "A"..."F": c.value - 55
        default: nil
        }
    }
}
