/// Reads the strict YAML subset described in YAML-SUBSET.md. Anything outside
/// the subset is an error with a line and column, never a guess.
enum YAMLReader {
    /// Collections may nest this deep. The parser is recursive, so the cap
    /// keeps hostile input from exhausting the stack.
    static let maxDepth = 256

    static func parse(_ text: String) throws(YAMLError) -> YAMLNode {
        var parser = try Parser(text)
        return try parser.parseDocument()
    }
}

extension YAMLReader {
    /// A cursor over the source split into lines of Unicode scalars.
    /// `line` and `col` are 0-based indices into `lines`; marks convert them.
    struct Parser {
        let lines: [[Unicode.Scalar]]
        /// Columns on ASCII lines are indices + 1; other lines count characters.
        let asciiLines: [Bool]
        var line = 0
        var col = 0
        var depth = 0

        /// Splits on LF, CRLF and CR, skips a leading BOM and rejects
        /// characters YAML does not allow in a stream (C0/C1 controls but tab).
        init(_ text: String) throws(YAMLError) {
            var lines: [[Unicode.Scalar]] = []
            var current: [Unicode.Scalar] = []
            var afterCR = false
            var isFirst = true
            for scalar in text.unicodeScalars {
                defer { isFirst = false }
                if isFirst && scalar == "\u{FEFF}" { continue }
                if afterCR {
                    afterCR = false
                    if scalar == "\n" { continue }
                }
                switch scalar {
                case "\n":
                    lines.append(current)
                    current = []
                case "\r":
                    lines.append(current)
                    current = []
                    afterCR = true
                default:
                    guard Self.isPrintable(scalar) else {
                        let column = String(String.UnicodeScalarView(current)).count + 1
                        throw YAMLError(message: "invalid character \(Self.codePoint(scalar)) in the input",
                                        mark: YAMLMark(line: lines.count + 1, column: column))
                    }
                    current.append(scalar)
                }
            }
            lines.append(current)
            self.lines = lines
            asciiLines = lines.map { $0.allSatisfy(\.isASCII) }
        }

        /// YAML 1.2 c-printable.
        static func isPrintable(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x09, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
            default: false
            }
        }

        static func codePoint(_ s: Unicode.Scalar) -> String {
            let hex = String(s.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
