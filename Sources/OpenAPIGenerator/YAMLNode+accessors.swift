extension YAMLNode {
    var mark: YAMLMark {
        switch self {
        case .scalar(_, _, let mark), .sequence(_, let mark), .mapping(_, let mark): mark
        }
    }

    /// The text of a plain scalar; the core schema resolves only these.
    private var plainText: String? {
        if case .scalar(let text, .plain, _) = self { return text }
        return nil
    }

    var isNull: Bool {
        guard let text = plainText else { return false }
        return text == "" || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    var string: String? {
        if case .scalar(let text, _, _) = self { return text }
        return nil
    }

    var bool: Bool? {
        switch plainText {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    var int: Int? { plainText.flatMap(YAMLCoreSchema.int) }

    var double: Double? { plainText.flatMap(YAMLCoreSchema.double) }

    /// Linear search: OpenAPI mappings are small and keys are unique.
    subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key == key }?.value
    }

    var pairs: [YAMLPair]? {
        if case .mapping(let pairs, _) = self { return pairs }
        return nil
    }

    var items: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }
}
