/// A resolved Swift type plus what the emitters need to decode and validate it.
indirect enum TypeRef {
    case string(minLength: Int?, maxLength: Int?, pattern: String?)
    case dateTime
    case date
    case uuid
    case integer(NumberRules)
    case number(NumberRules)
    case boolean
    case any
    /// A generated string enum (qualified name).
    case enumType(String)
    /// A generated struct with `init?(json:at:errors:)` (qualified name).
    case structType(String)
    case array(TypeRef, minItems: Int?, maxItems: Int?)
    case map(TypeRef)
    /// A component that is a `typealias` for `underlying`.
    case alias(String, underlying: TypeRef)

    var swift: String {
        switch self {
        case .string: "String"
        case .dateTime: "Date"
        case .date: "CalendarDate"
        case .uuid: "UUID"
        case .integer: "Int"
        case .number: "Double"
        case .boolean: "Bool"
        case .any: "JSONValue"
        case .enumType(let name), .structType(let name), .alias(let name, _): name
        case .array(let element, _, _): "[\(element.swift)]"
        case .map(let value): "[String: \(value.swift)]"
        }
    }

    /// An expression of type `T?` reading JSON value `value` at pointer expression `pointer`,
    /// appending to `errors`.
    func jsonDecode(_ value: String, _ pointer: String) -> String {
        let at = "\(value), at: \(pointer), &errors"
        switch self {
        case .string(let min, let max, let pattern):
            return "JSONDecode.string(\(at)\(Self.args(("minLength", min), ("maxLength", max)))\(Self.pattern(pattern)))"
        case .dateTime: return "JSONDecode.dateTime(\(at))"
        case .date: return "JSONDecode.date(\(at))"
        case .uuid: return "JSONDecode.uuid(\(at))"
        case .integer(let rules): return "JSONDecode.int(\(at)\(Self.args(rules)))"
        case .number(let rules): return "JSONDecode.double(\(at)\(Self.args(rules)))"
        case .boolean: return "JSONDecode.bool(\(at))"
        case .any: return "JSONDecode.any(\(value))"
        case .enumType(let name): return "JSONDecode.enumCase(\(value), \(name).self, at: \(pointer), &errors)"
        case .structType(let name): return "\(name)(json: \(value), at: \(pointer), errors: &errors)"
        case .array(let element, let min, let max):
            return "JSONDecode.array(\(at)\(Self.args(("minItems", min), ("maxItems", max)))) { v, p, errors in \(element.jsonDecode("v", "p")) }"
        case .map(let element):
            return "JSONDecode.map(\(at)) { v, p, errors in \(element.jsonDecode("v", "p")) }"
        case .alias(_, let underlying): return underlying.jsonDecode(value, pointer)
        }
    }

    /// The same for parameter text (`value` is a String expression, or [String] for arrays).
    func textDecode(_ value: String, _ pointer: String) -> String {
        let at = "\(value), at: \(pointer), &errors"
        switch self {
        case .string(let min, let max, let pattern):
            return "TextDecode.string(\(at)\(Self.args(("minLength", min), ("maxLength", max)))\(Self.pattern(pattern)))"
        case .dateTime: return "TextDecode.dateTime(\(at))"
        case .date: return "TextDecode.date(\(at))"
        case .uuid: return "TextDecode.uuid(\(at))"
        case .integer(let rules): return "TextDecode.int(\(at)\(Self.args(rules)))"
        case .number(let rules): return "TextDecode.double(\(at)\(Self.args(rules)))"
        case .boolean: return "TextDecode.bool(\(at))"
        case .enumType(let name): return "TextDecode.enumCase(\(value), \(name).self, at: \(pointer), &errors)"
        case .array(let element, let min, let max):
            return "TextDecode.array(\(at)\(Self.args(("minItems", min), ("maxItems", max)))) { v, p, errors in \(element.textDecode("v", "p")) }"
        case .alias(_, let underlying): return underlying.textDecode(value, pointer)
        case .any, .structType, .map: preconditionFailure("parameters are scalars or arrays of scalars")
        }
    }

    var isArray: Bool {
        switch self {
        case .array: true
        case .alias(_, let underlying): underlying.isArray
        default: false
        }
    }

    static func args(_ pairs: (String, Int?)...) -> String {
        pairs.compactMap { name, value in value.map { ", \(name): \($0)" } }.joined()
    }

    /// `, pattern: #"..."#` (a raw string with enough hashes), or nothing.
    static func pattern(_ pattern: String?) -> String {
        guard let pattern else { return "" }
        var hashes = "#"
        while pattern.contains("\"" + hashes) || pattern.contains("\\" + hashes) { hashes += "#" }
        return ", pattern: \(hashes)\"\(pattern)\"\(hashes)"
    }

    static func args(_ rules: NumberRules) -> String {
        [("minimum", rules.minimum), ("maximum", rules.maximum), ("exclusiveMinimum", rules.exclusiveMinimum),
         ("exclusiveMaximum", rules.exclusiveMaximum)]
            .compactMap { name, value in value.map { ", \(name): \($0)" } }.joined()
    }
}
