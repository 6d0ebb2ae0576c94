/// Schema objects → structs with a memberwise init, a collecting JSON decoder and a writer.
extension Translator {
    struct Field {
        var property: Property
        var swiftName: String
        var type: TypeRef
        /// Optional in Swift: not required, or nullable.
        var isOptional: Bool
        var declaredType: String { type.swift + (isOptional ? "?" : "") }
    }

    func structDecl(name: String, qualified: String, object: ObjectSchema, description: String?, pointer: String) -> SwiftDecl {
        var nested: [SwiftDecl] = []
        var fields: [Field] = []
        for property in object.properties {
            let type = resolve(property.schema, name: Naming.typeName(property.name), scope: qualified,
                               pointer: pointer + "/properties/" + property.name, nested: &nested)
            fields.append(Field(property: property, swiftName: Naming.memberName(property.name), type: type,
                                isOptional: !property.required || property.schema.nullable))
        }
        var members: [SwiftDecl] = fields.map { field in
            .line("public var \(Naming.escaped(field.swiftName)): \(field.declaredType)",
                  docs: Naming.docLines(field.property.schema.description))
        }
        members += nested
        members.append(memberwiseInit(fields))
        members.append(jsonDecoder(fields, allowsUnknown: object.additionalPropertiesAllowed))
        members.append(jsonWriter(fields))
        return .block(docs: Self.docs(description, remark: pointer),
                      header: "public struct \(name): Hashable, Sendable, JSONWritable", members: members)
    }

    func memberwiseInit(_ fields: [Field]) -> SwiftDecl {
        let parameters = fields.map { field in
            "\(field.swiftName): \(field.declaredType)\(field.isOptional ? " = nil" : "")"
        }.joined(separator: ", ")
        let body = fields.map { SwiftDecl.line("self.\($0.swiftName) = \(Naming.escaped($0.swiftName))") }
        return .block(docs: [], header: "public init(\(parameters))", members: body)
    }

    func jsonDecoder(_ fields: [Field], allowsUnknown: Bool) -> SwiftDecl {
        // Locals start with two underscores: a property's local is `_` + its Swift name, which
        // never starts with one (a property called `start` or `object` must not collide).
        var body: [String] = [
            "guard let __object = JSONDecode.object(json, at: pointer, &errors) else { return nil }",
            "let __errorCount = errors.count",
        ]
        if !allowsUnknown {
            body.append("__object.rejectUnknown([\(fields.map { Naming.literal($0.property.name) }.joined(separator: ", "))], &errors)")
        }
        for field in fields {
            let key = Naming.literal(field.property.name)
            let member = field.property.required ? "__object.required(\(key), &errors)" : "__object.optional(\(key))"
            let fieldPointer = "pointer + \(Naming.literal("/" + pointerToken(field.property.name)))"
            var decode = field.type.jsonDecode("$0", fieldPointer)
            if field.property.schema.nullable { decode = "$0.isNull ? nil : " + decode }
            body.append("let _\(field.swiftName): \(field.type.swift)? = \(member).flatMap { \(decode) }")
        }
        let unwraps = fields.filter { !$0.isOptional }.map { ", let _\($0.swiftName)" }.joined()
        body.append("guard errors.count == __errorCount\(unwraps) else { return nil }")
        body.append("self.init(\(fields.map { "\($0.swiftName): _\($0.swiftName)" }.joined(separator: ", ")))")
        return .block(docs: [], header: "public init?(json: JSONValue, at pointer: String, errors: inout [ProblemDetails.FieldError])",
                      members: [.lines(docs: [], body)])
    }

    func jsonWriter(_ fields: [Field]) -> SwiftDecl {
        var body: [SwiftDecl] = [.line("writer.beginObject()")]
        for field in fields {
            let key = "writer.key(\(Naming.literal("\"" + jsonEscaped(field.property.name) + "\":")))"
            let value = "self.\(Naming.escaped(field.swiftName))"
            if field.isOptional && !(field.property.required && field.property.schema.nullable) {
                // Absent optionals are omitted; required nullable ones are written as null.
                body.append(.block(docs: [], header: "if let value = \(value)",
                                   members: [.lines(docs: [], [key, "writer.value(value)"])]))
            } else {
                body.append(.lines(docs: [], [key, "writer.value(\(value))"]))
            }
        }
        body.append(.line("writer.endObject()"))
        return .block(docs: [], header: "public func writeJSON(to writer: inout JSONWriter)", members: body)
    }

    func pointerToken(_ key: String) -> String {
        key.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    func jsonEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
