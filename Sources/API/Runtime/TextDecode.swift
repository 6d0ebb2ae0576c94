public import HTTPServer
public import FoundationEssentials

/// Typed reads from parameter text (path, query, header), with the same constraint checks
/// and error shape as `JSONDecode`.
public enum TextDecode {
    public static func string(_ text: String, at pointer: String, _ errors: inout [FieldError],
                              minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) -> String? {
        Constraints.length(text, minLength: minLength, maxLength: maxLength, at: pointer, &errors)
            && SchemaPattern.check(text, pattern, at: pointer, &errors) ? text : nil
    }

    public static func int(_ text: String, at pointer: String, _ errors: inout [FieldError],
                           minimum: Int? = nil, maximum: Int? = nil,
                           exclusiveMinimum: Int? = nil, exclusiveMaximum: Int? = nil) -> Int? {
        guard let number = Int(text), text.utf8.first != UInt8(ascii: "+") else {
            errors.append(FieldError(pointer: pointer, detail: "must be an integer"))
            return nil
        }
        return Constraints.range(number, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
                                 exclusiveMaximum: exclusiveMaximum, at: pointer, &errors) ? number : nil
    }

    public static func double(_ text: String, at pointer: String, _ errors: inout [FieldError],
                              minimum: Double? = nil, maximum: Double? = nil,
                              exclusiveMinimum: Double? = nil, exclusiveMaximum: Double? = nil) -> Double? {
        // Double(String) also takes "nan", "inf" and hex floats; only JSON-style numbers are meant.
        let plain = text.utf8.allSatisfy { $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") || $0 == UInt8(ascii: "+") }
        guard plain, let number = Double(text), number.isFinite else {
            errors.append(FieldError(pointer: pointer, detail: "must be a number"))
            return nil
        }
        return Constraints.range(number, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
                                 exclusiveMaximum: exclusiveMaximum, at: pointer, &errors) ? number : nil
    }

    public static func bool(_ text: String, at pointer: String, _ errors: inout [FieldError]) -> Bool? {
        switch text {
        case "true": return true
        case "false": return false
        default:
            errors.append(FieldError(pointer: pointer, detail: "must be true or false"))
            return nil
        }
    }

    public static func dateTime(_ text: String, at pointer: String, _ errors: inout [FieldError]) -> Date? {
        if let date = RFC3339.parseDateTime(text) { return date }
        // A "+01:00" offset sent unencoded in a query arrives as " 01:00" ('+' means space there).
        if text.utf8.count > 6, let date = RFC3339.parseDateTime(text.replacing(" ", with: "+")) { return date }
        errors.append(FieldError(pointer: pointer, detail: "must be an RFC 3339 date-time such as 2025-01-31T12:00:00Z"))
        return nil
    }

    public static func date(_ text: String, at pointer: String, _ errors: inout [FieldError]) -> CalendarDate? {
        if let date = CalendarDate(text) { return date }
        errors.append(FieldError(pointer: pointer, detail: "must be a date such as 2025-01-31"))
        return nil
    }

    public static func uuid(_ text: String, at pointer: String, _ errors: inout [FieldError]) -> UUID? {
        if let uuid = UUID.parseCanonical(text) { return uuid }
        errors.append(FieldError(pointer: pointer, detail: "must be a UUID"))
        return nil
    }

    public static func enumCase<E: JSONStringEnum>(_ text: String, _ type: E.Type, at pointer: String,
                                                   _ errors: inout [FieldError]) -> E? {
        Constraints.enumCase(text, type, at: pointer, &errors)
    }

    /// A repeated query parameter (`?status=a&status=b`), element by element.
    public static func array<T>(_ texts: [String], at pointer: String, _ errors: inout [FieldError],
                                minItems: Int? = nil, maxItems: Int? = nil,
                                _ element: (String, String, inout [FieldError]) -> T?) -> [T]? {
        var ok = Constraints.count(texts.count, minItems: minItems, maxItems: maxItems, at: pointer, &errors)
        var result: [T] = []
        result.reserveCapacity(texts.count)
        for text in texts {
            if let value = element(text, pointer, &errors) { result.append(value) } else { ok = false }
        }
        return ok ? result : nil
    }
}

/// How typed values are written back as header or parameter text.
public enum TextEncode {
    public static func text(_ value: String) -> String { value }
    public static func text(_ value: Int) -> String { String(value) }
    public static func text(_ value: Double) -> String { value.description }
    public static func text(_ value: Bool) -> String { value ? "true" : "false" }
    public static func text(_ value: Date) -> String { RFC3339.formatDateTime(value) }
    public static func text(_ value: UUID) -> String { value.lowercaseString }
    public static func text(_ value: CalendarDate) -> String { value.description }
    public static func text<E: JSONStringEnum>(_ value: E) -> String { value.rawValue }
}
