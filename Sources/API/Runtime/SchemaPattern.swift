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
            guard let regex = try? Regex(pattern).matchingSemantics(.unicodeScalar) else { return nil }
            let compiled = Compiled(regex)
            cache[pattern] = compiled
            return compiled
        }
        guard let compiled else { return false }
        return (try? compiled.regex.firstMatch(in: text)) != nil
    }

    static func check(_ text: String, _ pattern: String?, at pointer: String, _ errors: inout [FieldError]) -> Bool {
        guard let pattern, !matches(text, pattern) else { return true }
        errors.append(FieldError(pointer: pointer, detail: "must match the pattern \(pattern)"))
        return false
    }
}
