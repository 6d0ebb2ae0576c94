internal import HTTPServer
internal import Synchronization

/// JSON Schema `pattern` checks. A pattern is compiled once per process (the generator already
/// proved it compiles) and searched unanchored, as JSON Schema specifies: anchors in the
/// pattern itself (`^…$`) make it a whole match.
enum SchemaPattern {
    private final class Compiled: @unchecked Sendable {
        // Regex is a value type without a Sendable guarantee; it is only ever read after creation.
        let regex: Regex<AnyRegexOutput>
        init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
    }

    private static let cache = Mutex<[String: Compiled]>([:])

    static func matches(_ text: String, _ pattern: String) -> Bool {
        let compiled = cache.withLock { cache -> Compiled? in
            if let hit = cache[pattern] { return hit }
            // ECMA-262 patterns step through code points; Swift's default steps through grapheme
            // clusters, where "@" followed by a combining mark or emoji modifier is not "@".
            guard let regex = try? Regex(ecma(pattern)).matchingSemantics(.unicodeScalar) else { return nil }
            let compiled = Compiled(regex)
            cache[pattern] = compiled
            return compiled
        }
        guard let compiled else { return false }
        return (try? compiled.regex.firstMatch(in: text)) != nil
    }

    /// ECMA-262's classes where Swift's differ: `\s` is a fixed list (no U+0085, which Swift
    /// counts), `\d` and `\w` are ASCII only.
    static func ecma(_ pattern: String) -> String {
        let space = #"\t\n\u{0B}\f\r \u{A0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}"#
        let classes: [Character: (inner: String, negated: Bool)] = [
            "s": (space, false), "S": (space, true), "d": ("0-9", false), "D": ("0-9", true),
            "w": ("A-Za-z0-9_", false), "W": ("A-Za-z0-9_", true),
        ]
        var out = ""
        var inClass = false
        var escaped = false
        for ch in pattern {
            if escaped {
                escaped = false
                if let c = classes[ch], !(inClass && c.negated) {
                    out += inClass ? c.inner : "[" + (c.negated ? "^" : "") + c.inner + "]"
                } else {
                    out += "\\" + String(ch)
                }
                continue
            }
            switch ch {
            case "\\": escaped = true
            case "[" where !inClass: inClass = true; out.append(ch)
            case "]" where inClass: inClass = false; out.append(ch)
            default: out.append(ch)
            }
        }
        if escaped { out += "\\" }
        return out
    }

    static func check(_ text: String, _ pattern: String?, at pointer: String, _ errors: inout [FieldError]) -> Bool {
        guard let pattern, !matches(text, pattern) else { return true }
        errors.append(FieldError(pointer: pointer, detail: "must match the pattern \(pattern)"))
        return false
    }
}
