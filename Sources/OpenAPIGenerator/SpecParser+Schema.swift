extension SpecParser {
    static let schemaDocKeys: Set<String> = ["description", "title", "example", "examples", "deprecated"]

    func parseSchema(_ node: YAMLNode) throws(GeneratorError) -> Schema {
        let pairs = try mapping(node, "a schema")
        let description = try self.description(node)
        if let ref = node["$ref"] {
            try checkKeys(pairs, ["$ref", "description"], in: "a schema with $ref")
            let name = try refName(ref, section: "schemas")
            guard root["components"]?["schemas"]?[name] != nil else {
                throw error("unresolved $ref '#/components/schemas/\(name)'", at: ref.mark)
            }
            return Schema(kind: .ref(name), description: description, mark: node.mark)
        }
        if pairs.allSatisfy({ Self.schemaDocKeys.contains($0.key) }) {
            return Schema(kind: .any, description: description, mark: node.mark)
        }
        guard let typeNode = node["type"] else {
            if let first = pairs.first(where: { !Self.schemaDocKeys.contains($0.key) }),
               !["properties", "items", "enum", "format", "required", "additionalProperties", "minLength", "maxLength", "pattern",
                 "minimum", "maximum", "minItems", "maxItems", "exclusiveMinimum", "exclusiveMaximum"].contains(first.key) {
                throw error("unsupported key '\(first.key)' in a schema", at: first.keyMark)
            }
            throw error("a schema needs 'type' (or '$ref')", at: node.mark)
        }
        let (type, nullable) = try parseType(typeNode)
        var allowed = Self.schemaDocKeys.union(["type"])
        let kind: Schema.Kind
        switch type {
        case "string":
            allowed.formUnion(["format", "enum", "minLength", "maxLength", "pattern"])
            try checkKeys(pairs, allowed, in: "a string schema")
            kind = try parseStringKind(node)
        case "integer", "number":
            allowed.formUnion(["format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"])
            try checkKeys(pairs, allowed, in: "a\(type == "integer" ? "n" : "") \(type) schema")
            let integer = type == "integer"
            if let format = node["format"] {
                let allowedFormats = integer ? ["int32", "int64"] : ["float", "double"]
                guard allowedFormats.contains(try scalar(format, "format")) else {
                    throw error("unsupported \(type) format '\(try scalar(format, "format"))' (use \(allowedFormats.joined(separator: " or ")))", at: format.mark)
                }
            }
            func bound(_ key: String) throws(GeneratorError) -> String? {
                guard let value = node[key] else { return nil }
                return try number(value, key, integer: integer)
            }
            let rules = NumberRules(minimum: try bound("minimum"), maximum: try bound("maximum"),
                                    exclusiveMinimum: try bound("exclusiveMinimum"), exclusiveMaximum: try bound("exclusiveMaximum"))
            kind = integer ? .integer(rules) : .number(rules)
        case "boolean":
            try checkKeys(pairs, allowed, in: "a boolean schema")
            kind = .boolean
        case "array":
            allowed.formUnion(["items", "minItems", "maxItems"])
            try checkKeys(pairs, allowed, in: "an array schema")
            guard let items = node["items"] else { throw error("an array schema needs 'items'", at: node.mark) }
            let itemSchema = try parseSchema(items)
            if itemSchema.nullable { throw error("nullable array items are not supported", at: items.mark) }
            kind = .array(items: itemSchema, minItems: try node["minItems"].map { n throws(GeneratorError) in try int(n, "minItems") },
                          maxItems: try node["maxItems"].map { n throws(GeneratorError) in try int(n, "maxItems") })
        case "object":
            allowed.formUnion(["properties", "required", "additionalProperties"])
            try checkKeys(pairs, allowed, in: "an object schema")
            kind = try parseObjectKind(node)
        default:
            throw error("unsupported type '\(type)'", at: typeNode.mark)
        }
        return Schema(kind: kind, nullable: nullable, description: description, mark: node.mark)
    }

    /// `type: T` or the 3.1 nullable form `type: [T, "null"]`.
    func parseType(_ node: YAMLNode) throws(GeneratorError) -> (String, Bool) {
        if case .sequence(let items, _) = node {
            let names = try items.map { item throws(GeneratorError) in try scalar(item, "type") }
            guard names.count == 2, names.contains("null"), let type = names.first(where: { $0 != "null" }) else {
                throw error("a type list must be [T, \"null\"]", at: node.mark)
            }
            return (type, true)
        }
        let type = try scalar(node, "type")
        if type == "null" { throw error("type 'null' alone is not supported", at: node.mark) }
        return (type, false)
    }

    func parseStringKind(_ node: YAMLNode) throws(GeneratorError) -> Schema.Kind {
        let minLength = try node["minLength"].map { n throws(GeneratorError) in try int(n, "minLength") }
        let maxLength = try node["maxLength"].map { n throws(GeneratorError) in try int(n, "maxLength") }
        let pattern = try node["pattern"].map { n throws(GeneratorError) in try parsePattern(n) }
        if let enumNode = node["enum"] {
            if let other = node["format"] ?? node["minLength"] ?? node["maxLength"] ?? node["pattern"] {
                throw error("a string enum cannot also have format or length limits", at: other.mark)
            }
            let values = try sequence(enumNode, "enum").map { item throws(GeneratorError) in try scalar(item, "an enum value") }
            guard !values.isEmpty else { throw error("enum must not be empty", at: enumNode.mark) }
            for (i, value) in values.enumerated() where values[..<i].contains(value) {
                throw error("duplicate enum value '\(value)'", at: enumNode.mark)
            }
            return .stringEnum(values)
        }
        guard let formatNode = node["format"] else { return .string(minLength: minLength, maxLength: maxLength, pattern: pattern) }
        let format = try scalar(formatNode, "format")
        let kind: Schema.Kind
        switch format {
        case "date-time": kind = .dateTime
        case "date": kind = .date
        case "uuid": kind = .uuid
        default: throw error("unsupported string format '\(format)' (use date-time, date or uuid)", at: formatNode.mark)
        }
        if let limit = node["minLength"] ?? node["maxLength"] ?? node["pattern"] {
            throw error("length limits and patterns do not apply to format '\(format)'", at: limit.mark)
        }
        return kind
    }

    /// A JSON Schema pattern (ECMA-262 syntax, unanchored): checked here with Swift's Regex,
    /// which the runtime uses too, so a pattern that would not compile fails the generation.
    func parsePattern(_ node: YAMLNode) throws(GeneratorError) -> String {
        let text = try scalar(node, "pattern")
        do {
            _ = try Regex(text)
        } catch {
            throw self.error("pattern '\(text)' is not a valid regular expression: \(error)", at: node.mark)
        }
        return text
    }

    func parseObjectKind(_ node: YAMLNode) throws(GeneratorError) -> Schema.Kind {
        var properties: [Property] = []
        let requiredNodes = try node["required"].map { n throws(GeneratorError) in try sequence(n, "required") } ?? []
        let requiredNames = try requiredNodes.map { n throws(GeneratorError) in try scalar(n, "a required name") }
        let propertyPairs = try optionalMapping(node["properties"], "properties")
        for pair in propertyPairs {
            properties.append(Property(name: pair.key, schema: try parseSchema(pair.value), required: requiredNames.contains(pair.key)))
        }
        for (name, node) in zip(requiredNames, requiredNodes) where !propertyPairs.contains(where: { $0.key == name }) {
            throw error("required property '\(name)' is not in 'properties'", at: node.mark)
        }
        var additionalAllowed = true
        if let additional = node["additionalProperties"] {
            if case .scalar = additional {
                additionalAllowed = try bool(additional, "additionalProperties")
            } else {
                let valueSchema = try parseSchema(additional)
                guard properties.isEmpty else {
                    throw error("additionalProperties with a schema is supported only without 'properties'", at: additional.mark)
                }
                if valueSchema.nullable { throw error("nullable map values are not supported", at: additional.mark) }
                return .map(valueSchema)
            }
        }
        if properties.isEmpty && additionalAllowed {
            return .map(Schema(kind: .any, mark: node.mark))
        }
        return .object(ObjectSchema(properties: properties, additionalPropertiesAllowed: additionalAllowed))
    }
}
