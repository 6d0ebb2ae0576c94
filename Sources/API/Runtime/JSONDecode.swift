public import HTTPServer
public import FoundationEssentials

/// Typed reads from a `JSONValue` for generated decoders. Each returns nil after appending
/// an error, so a decoder visits every field and reports all violations at once.
public enum JSONDecode {
    static func mismatch(_ value: JSONValue, _ expected: String, at pointer: String, _ errors: inout [FieldError]) {
        errors.append(FieldError(pointer: pointer, detail: "must be \(expected), not \(value.kindName)"))
    }

    public static func string(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError],
                              minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil) -> String? {
        guard case .string(let text) = value else { mismatch(value, "a string", at: pointer, &errors); return nil }
        return Constraints.length(text, minLength: minLength, maxLength: maxLength, at: pointer, &errors)
            && SchemaPattern.check(text, pattern, at: pointer, &errors) ? text : nil
    }

    public static func int(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError],
                           minimum: Int? = nil, maximum: Int? = nil,
                           exclusiveMinimum: Int? = nil, exclusiveMaximum: Int? = nil) -> Int? {
        let number: Int
        switch value {
        case .int(let exact): number = exact
        // JSON Schema: 1.0 is an integer. Anything outside Int's range is not.
        case .double(let double) where double.rounded() == double && abs(double) < 9.2e18: number = Int(double)
        case .double: errors.append(FieldError(pointer: pointer, detail: "must be a 64-bit integer")); return nil
        default: mismatch(value, "an integer", at: pointer, &errors); return nil
        }
        return Constraints.range(number, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
                                 exclusiveMaximum: exclusiveMaximum, at: pointer, &errors) ? number : nil
    }

    public static func double(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError],
                              minimum: Double? = nil, maximum: Double? = nil,
                              exclusiveMinimum: Double? = nil, exclusiveMaximum: Double? = nil) -> Double? {
        let number: Double
        switch value {
        case .int(let exact): number = Double(exact)
        case .double(let double): number = double
        default: mismatch(value, "a number", at: pointer, &errors); return nil
        }
        return Constraints.range(number, minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
                                 exclusiveMaximum: exclusiveMaximum, at: pointer, &errors) ? number : nil
    }

    public static func bool(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError]) -> Bool? {
        guard case .bool(let flag) = value else { mismatch(value, "a boolean", at: pointer, &errors); return nil }
        return flag
    }

    public static func dateTime(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError]) -> Date? {
        guard case .string(let text) = value else { mismatch(value, "a string", at: pointer, &errors); return nil }
        return TextDecode.dateTime(text, at: pointer, &errors)
    }

    public static func date(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError]) -> CalendarDate? {
        guard case .string(let text) = value else { mismatch(value, "a string", at: pointer, &errors); return nil }
        return TextDecode.date(text, at: pointer, &errors)
    }

    public static func uuid(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError]) -> UUID? {
        guard case .string(let text) = value else { mismatch(value, "a string", at: pointer, &errors); return nil }
        return TextDecode.uuid(text, at: pointer, &errors)
    }

    public static func enumCase<E: JSONStringEnum>(_ value: JSONValue, _ type: E.Type, at pointer: String,
                                                   _ errors: inout [FieldError]) -> E? {
        guard case .string(let text) = value else { mismatch(value, "a string", at: pointer, &errors); return nil }
        return Constraints.enumCase(text, type, at: pointer, &errors)
    }

    public static func any(_ value: JSONValue) -> JSONValue? { value }

    /// Decodes every element, even after a bad one, so all element errors are reported.
    public static func array<T>(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError],
                                minItems: Int? = nil, maxItems: Int? = nil,
                                _ element: (JSONValue, String, inout [FieldError]) -> T?) -> [T]? {
        guard case .array(let items) = value else { mismatch(value, "an array", at: pointer, &errors); return nil }
        var ok = Constraints.count(items.count, minItems: minItems, maxItems: maxItems, at: pointer, &errors)
        var result: [T] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            if let decoded = element(item, pointer + "/" + String(i), &errors) { result.append(decoded) } else { ok = false }
        }
        return ok ? result : nil
    }

    /// An object used as a map (`additionalProperties: <schema>` without `properties`).
    public static func map<T>(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError],
                              _ element: (JSONValue, String, inout [FieldError]) -> T?) -> [String: T]? {
        guard case .object(let members) = value else { mismatch(value, "an object", at: pointer, &errors); return nil }
        var ok = true
        var result: [String: T] = [:]
        for member in members {
            let memberPointer = pointer + "/" + Constraints.pointerToken(member.key)
            if let decoded = element(member.value, memberPointer, &errors) { result[member.key] = decoded } else { ok = false }
        }
        return ok ? result : nil
    }

    public static func object(_ value: JSONValue, at pointer: String, _ errors: inout [FieldError]) -> JSONObjectReader? {
        guard case .object(let members) = value else { mismatch(value, "an object", at: pointer, &errors); return nil }
        return JSONObjectReader(members: members, pointer: pointer)
    }
}

/// Member access for generated object decoders.
public struct JSONObjectReader {
    public let members: [JSONMember]
    public let pointer: String

    public func optional(_ key: String) -> JSONValue? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public func required(_ key: String, _ errors: inout [FieldError]) -> JSONValue? {
        if let value = optional(key) { return value }
        errors.append(FieldError(pointer: pointer + "/" + Constraints.pointerToken(key), detail: "is required"))
        return nil
    }

    /// `additionalProperties: false`: every member not in `known` is an error.
    public func rejectUnknown(_ known: [String], _ errors: inout [FieldError]) {
        for member in members where !known.contains(member.key) {
            errors.append(FieldError(pointer: pointer + "/" + Constraints.pointerToken(member.key), detail: "is not a known property"))
        }
    }
}
