public import FoundationEssentials

/// A value the generated encoders can write. Schema structs and enums conform in generated
/// code; the scalar types every schema bottoms out in conform here.
public protocol JSONWritable {
    func writeJSON(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The value as a complete JSON document.
    public func jsonBytes(capacity: Int = 256) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        writeJSON(to: &writer)
        return writer.bytes
    }
}

/// String enums from the spec: written and read as their raw value.
public protocol JSONStringEnum: JSONWritable, RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension JSONStringEnum {
    public func writeJSON(to writer: inout JSONWriter) { writer.string(rawValue) }
}

extension String: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.string(self) }
}

extension Int: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.int(self) }
}

extension Double: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.double(self) }
}

extension Bool: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.bool(self) }
}

extension Date: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.dateTime(self) }
}

extension UUID: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.uuid(self) }
}

extension CalendarDate: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { writer.string(description) }
}

extension Optional: JSONWritable where Wrapped: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        switch self {
        case .some(let value): value.writeJSON(to: &writer)
        case .none: writer.null()
        }
    }
}

extension Array: JSONWritable where Element: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginArray()
        for (i, element) in enumerated() {
            if i > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            element.writeJSON(to: &writer)
        }
        writer.endArray()
    }
}

extension Dictionary: JSONWritable where Key == String, Value: JSONWritable {
    /// Keys sorted so the same value always gives the same bytes (ETags, golden tests).
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        for key in keys.sorted() {
            writer.dynamicKey(key)
            self[key].unsafelyUnwrapped.writeJSON(to: &writer)
        }
        writer.endObject()
    }
}

extension JSONValue: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.int(value)
        case .double(let value): writer.double(value)
        case .string(let value): writer.string(value)
        case .array(let items): items.writeJSON(to: &writer)
        case .object(let members):
            writer.beginObject()
            for member in members {
                writer.dynamicKey(member.key)
                member.value.writeJSON(to: &writer)
            }
            writer.endObject()
        }
    }
}
