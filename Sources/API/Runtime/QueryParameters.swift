public import HTTPServer
/// A decoded query string. Arrays use the OpenAPI default for query parameters
/// (`style: form, explode: true`): `?status=a&status=b`.
public struct QueryParameters: Sendable {
    public private(set) var items: [(name: String, value: String)] = []

    /// Malformed escapes are reported against the parameter (or the raw piece) they occur in.
    public init(_ query: String?, _ errors: inout [FieldError]) {
        guard let query, !query.isEmpty else { return }
        for text in query.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = text.firstIndex(of: "=")
            let rawName = equals.map { text[..<$0] } ?? text
            let rawValue = equals.map { text[text.index(after: $0)...] } ?? ""
            guard let name = PercentDecoding.decode(rawName, plusAsSpace: true) else {
                errors.append(FieldError(pointer: "#/query/" + String(rawName), detail: "is not valid percent-encoded UTF-8"))
                continue
            }
            guard let value = PercentDecoding.decode(rawValue, plusAsSpace: true) else {
                errors.append(FieldError(pointer: "#/query/" + name, detail: "is not valid percent-encoded UTF-8"))
                continue
            }
            items.append((name, value))
        }
    }

    public func values(_ name: String) -> [String] {
        items.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The one value of a non-array parameter; repeating it is an error, not "last wins".
    public func single(_ name: String, required: Bool, _ errors: inout [FieldError]) -> String? {
        var found: String?
        var repeated = false
        for item in items where item.name == name {
            if found != nil { repeated = true } else { found = item.value }
        }
        if repeated {
            errors.append(FieldError(pointer: "#/query/" + name, detail: "must not be repeated"))
            return nil
        }
        if found == nil && required { errors.append(FieldError(pointer: "#/query/" + name, detail: "is required")) }
        return found
    }

    public func multiple(_ name: String, required: Bool, _ errors: inout [FieldError]) -> [String]? {
        let found = values(name)
        if found.isEmpty {
            if required { errors.append(FieldError(pointer: "#/query/" + name, detail: "is required")) }
            return nil
        }
        return found
    }

    /// Unknown parameters are errors so typos (`?limt=10`) do not silently fall back to defaults.
    public func rejectUnknown(_ known: [String], _ errors: inout [FieldError]) {
        var reported: [String] = []
        for item in items where !known.contains(item.name) && !reported.contains(item.name) {
            reported.append(item.name)
            errors.append(FieldError(pointer: "#/query/" + item.name, detail: "is not a known query parameter"))
        }
    }
}
