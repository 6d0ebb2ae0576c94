/// Typed access to YAML nodes with positioned errors.
extension SpecParser {
    func mapping(_ node: YAMLNode, _ what: String) throws(GeneratorError) -> [YAMLPair] {
        guard case .mapping(let pairs, _) = node else { throw error("\(what) must be a mapping", at: node.mark) }
        return pairs
    }

    func optionalMapping(_ node: YAMLNode?, _ what: String) throws(GeneratorError) -> [YAMLPair] {
        guard let node else { return [] }
        return try mapping(node, what)
    }

    func sequence(_ node: YAMLNode, _ what: String) throws(GeneratorError) -> [YAMLNode] {
        guard case .sequence(let items, _) = node else { throw error("\(what) must be a list", at: node.mark) }
        return items
    }

    func scalar(_ node: YAMLNode, _ what: String) throws(GeneratorError) -> String {
        guard case .scalar(let text, _, _) = node else { throw error("\(what) must be a scalar", at: node.mark) }
        return text
    }

    func int(_ node: YAMLNode, _ what: String) throws(GeneratorError) -> Int {
        guard case .scalar(let text, .plain, _) = node, let value = Int(text) else {
            throw error("\(what) must be an integer", at: node.mark)
        }
        return value
    }

    func bool(_ node: YAMLNode, _ what: String) throws(GeneratorError) -> Bool {
        guard case .scalar(let text, .plain, _) = node, text == "true" || text == "false" else {
            throw error("\(what) must be true or false", at: node.mark)
        }
        return text == "true"
    }

    /// A plain YAML number, kept as written ("0", "-1.5").
    func number(_ node: YAMLNode, _ what: String, integer: Bool) throws(GeneratorError) -> String {
        guard case .scalar(let text, .plain, _) = node, integer ? Int(text) != nil : Double(text) != nil else {
            throw error("\(what) must be \(integer ? "an integer" : "a number")", at: node.mark)
        }
        return text
    }

    func checkKeys(_ pairs: [YAMLPair], _ allowed: Set<String>, in what: String) throws(GeneratorError) {
        for pair in pairs where !allowed.contains(pair.key) {
            throw error("unsupported key '\(pair.key)' in \(what)", at: pair.keyMark)
        }
    }

    /// Follows `$ref: '#/components/<section>/<Name>'` (also chains of them) to the node it names.
    func resolve(_ node: YAMLNode, in section: String) throws(GeneratorError) -> YAMLNode {
        var current = node
        for _ in 0..<16 {
            guard let ref = current["$ref"] else { return current }
            try checkKeys(try mapping(current, "a $ref"), ["$ref", "description", "summary"], in: "a $ref")
            let name = try refName(ref, section: section)
            guard let target = root["components"]?[section]?[name] else {
                throw error("unresolved $ref '#/components/\(section)/\(name)'", at: ref.mark)
            }
            current = target
        }
        throw error("$ref chain too long (a cycle?)", at: node.mark)
    }

    func refName(_ ref: YAMLNode, section: String) throws(GeneratorError) -> String {
        let text = try scalar(ref, "$ref")
        let prefix = "#/components/\(section)/"
        guard text.hasPrefix(prefix), text.count > prefix.count else {
            throw error("$ref '\(text)' must point into \(prefix)", at: ref.mark)
        }
        return String(text.dropFirst(prefix.count))
    }

    func description(_ node: YAMLNode) throws(GeneratorError) -> String? {
        try node["description"].map { node throws(GeneratorError) in try scalar(node, "description") }
    }
}
