public import HTTPServer

public typealias FieldError = ProblemDetails.FieldError

/// The schema keywords both JSON bodies and parameters share. Each check appends one error
/// and reports whether the value passed, so callers keep going and collect every problem.
public enum Constraints {
    public static func length(_ value: String, minLength: Int?, maxLength: Int?, at pointer: String,
                              _ errors: inout [FieldError]) -> Bool {
        if minLength == nil && maxLength == nil { return true }
        // JSON Schema counts code points, not bytes or grapheme clusters. A code point takes 1
        // to 4 UTF-8 bytes, so the byte count (O(1) for native strings) settles most checks
        // without walking the scalars (a 10,000-telegram ingest body has 10,000 such strings).
        let bytes = value.utf8.count
        if (maxLength.map { bytes <= $0 } ?? true) && (minLength.map { bytes >= 4 * $0 } ?? true) { return true }
        let count = value.unicodeScalars.count
        if let minLength, count < minLength {
            errors.append(FieldError(pointer: pointer, detail: "must be at least \(minLength) character\(minLength == 1 ? "" : "s") long"))
            return false
        }
        if let maxLength, count > maxLength {
            errors.append(FieldError(pointer: pointer, detail: "must be at most \(maxLength) character\(maxLength == 1 ? "" : "s") long"))
            return false
        }
        return true
    }

    public static func range<T: Comparable>(_ value: T, minimum: T?, maximum: T?, exclusiveMinimum: T?,
                                            exclusiveMaximum: T?, at pointer: String, _ errors: inout [FieldError]) -> Bool {
        var detail: String?
        if let minimum, value < minimum { detail = "must be at least \(minimum)" }
        else if let maximum, value > maximum { detail = "must be at most \(maximum)" }
        else if let exclusiveMinimum, value <= exclusiveMinimum { detail = "must be greater than \(exclusiveMinimum)" }
        else if let exclusiveMaximum, value >= exclusiveMaximum { detail = "must be less than \(exclusiveMaximum)" }
        guard let detail else { return true }
        errors.append(FieldError(pointer: pointer, detail: detail))
        return false
    }

    public static func count(_ count: Int, minItems: Int?, maxItems: Int?, at pointer: String,
                             _ errors: inout [FieldError]) -> Bool {
        if let minItems, count < minItems {
            errors.append(FieldError(pointer: pointer, detail: "must have at least \(minItems) item\(minItems == 1 ? "" : "s")"))
            return false
        }
        if let maxItems, count > maxItems {
            errors.append(FieldError(pointer: pointer, detail: "must have at most \(maxItems) item\(maxItems == 1 ? "" : "s")"))
            return false
        }
        return true
    }

    public static func enumCase<E: JSONStringEnum>(_ text: String, _ type: E.Type, at pointer: String,
                                                   _ errors: inout [FieldError]) -> E? {
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        errors.append(FieldError(pointer: pointer, detail: "must be one of: \(allowed)"))
        return nil
    }

    /// Escapes one reference token of a JSON pointer (RFC 6901).
    public static func pointerToken(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        var out = ""
        for character in key.unicodeScalars {
            switch character {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
