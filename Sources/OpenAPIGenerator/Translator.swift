/// Stage 2: `Document` → Swift declarations, one file's worth at a time.
struct Translator {
    let document: Document
    let schemas: [String: Schema]

    init(document: Document) {
        self.document = document
        var schemas: [String: Schema] = [:]
        for named in document.schemas { schemas[named.name] = named.schema }
        self.schemas = schemas
    }

    static func remark(_ pointer: String) -> String { "/// - Remark: Generated from \(pointer)" }

    static func docs(_ description: String?, remark pointer: String) -> [String] {
        Naming.docLines(description) + [remark(pointer)]
    }

    /// Resolves `schema` to a Swift type. Inline enums and objects become nested types named
    /// `name` inside `scope` (a qualified type name), appended to `nested`.
    func resolve(_ schema: Schema, name: String, scope: String, pointer: String, nested: inout [SwiftDecl]) -> TypeRef {
        switch schema.kind {
        case .string(let min, let max, let pattern): return .string(minLength: min, maxLength: max, pattern: pattern)
        case .dateTime: return .dateTime
        case .date: return .date
        case .uuid: return .uuid
        case .integer(let rules): return .integer(rules)
        case .number(let rules): return .number(rules)
        case .boolean: return .boolean
        case .any: return .any
        case .stringEnum(let values):
            nested.append(enumDecl(name: name, values: values, description: schema.description, pointer: pointer))
            return .enumType(scope + "." + name)
        case .object(let object):
            nested.append(structDecl(name: name, qualified: scope + "." + name, object: object,
                                     description: schema.description, pointer: pointer))
            return .structType(scope + "." + name)
        case .array(let items, let min, let max):
            let element = resolve(items, name: name + "Item", scope: scope, pointer: pointer + "/items", nested: &nested)
            return .array(element, minItems: min, maxItems: max)
        case .map(let values):
            return .map(resolve(values, name: name + "Value", scope: scope, pointer: pointer + "/additionalProperties", nested: &nested))
        case .ref(let target):
            return componentType(target)
        }
    }

    /// How a reference to component `name` is typed: its struct or enum, or a typealias.
    func componentType(_ name: String) -> TypeRef {
        let qualified = "Components.Schemas." + name
        guard let schema = schemas[name] else { preconditionFailure("unresolved schema \(name) passed the parser") }
        switch schema.kind {
        case .object: return .structType(qualified)
        case .stringEnum: return .enumType(qualified)
        default:
            var discarded: [SwiftDecl] = []
            let underlying = resolve(schema, name: name, scope: "Components.Schemas",
                                     pointer: "#/components/schemas/" + name, nested: &discarded)
            return .alias(qualified, underlying: underlying)
        }
    }

    func enumDecl(name: String, values: [String], description: String?, pointer: String) -> SwiftDecl {
        var used: Set<String> = []
        let cases: [SwiftDecl] = values.map { value in
            var caseName = value.isEmpty ? "empty" : Naming.memberName(value)
            while used.contains(caseName) { caseName += "_" }
            used.insert(caseName)
            let raw = caseName == value ? "" : " = \(Naming.literal(value))"
            return .line("case \(Naming.escaped(caseName))\(raw)")
        }
        return .block(docs: Self.docs(description, remark: pointer),
                      header: "public enum \(name): String, CaseIterable, Sendable, JSONStringEnum", members: cases)
    }
}
