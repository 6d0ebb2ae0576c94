/// Spec names → Swift identifiers. Idiomatic rather than defensive (STYLE A.5 lesson 10):
/// `Retry-After` → `retryAfter`, `getInfo` → `GetInfo`, keywords in backticks.
enum Naming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Type", "Protocol",
    ]

    /// Words split at non-alphanumerics; the words' own capitals are kept.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func typeName(_ name: String) -> String {
        var result = words(name).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if result.isEmpty { result = "Value" }
        if result.first!.isNumber { result = "_" + result }
        // `X.Type` and `X.Protocol` name metatypes, so a nested type cannot be called that
        // (a query parameter `type` with an enum schema): `TypeValue`.
        if result == "Type" || result == "Protocol" { result += "Value" }
        return result
    }

    /// camelCase; a leading run of capitals is lowered as an acronym (`ETag` → `eTag`, `URLPath` → `urlPath`).
    static func memberName(_ name: String) -> String {
        let parts = words(name)
        guard let first = parts.first else { return "value" }
        var result = lowerLeadingCapitals(first)
        for part in parts.dropFirst() { result += part.prefix(1).uppercased() + part.dropFirst() }
        if result.first!.isNumber { result = "_" + result }
        return result
    }

    /// A name ready to write in declarations and after a dot.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    static func lowerLeadingCapitals(_ word: String) -> String {
        let characters = Array(word)
        var upperRun = 0
        while upperRun < characters.count, characters[upperRun].isUppercase { upperRun += 1 }
        if upperRun == 0 { return word }
        if upperRun == characters.count { return word.lowercased() }
        let lowered = upperRun == 1 ? 1 : upperRun - 1
        return String(characters[..<lowered]).lowercased() + String(characters[lowered...])
    }

    /// `Output` case names, the way swift-openapi-generator spells them.
    static func statusCaseName(_ status: Int?) -> String {
        guard let status else { return "`default`" }
        let names: [Int: String] = [
            200: "ok", 201: "created", 202: "accepted", 203: "nonAuthoritativeInformation", 204: "noContent",
            206: "partialContent", 301: "movedPermanently", 302: "found", 303: "seeOther", 304: "notModified",
            307: "temporaryRedirect", 308: "permanentRedirect", 400: "badRequest", 401: "unauthorized",
            403: "forbidden", 404: "notFound", 405: "methodNotAllowed", 406: "notAcceptable", 408: "requestTimeout",
            409: "conflict", 410: "gone", 411: "lengthRequired", 412: "preconditionFailed", 413: "contentTooLarge",
            414: "uriTooLong", 415: "unsupportedMediaType", 416: "rangeNotSatisfiable", 422: "unprocessableContent",
            423: "locked", 428: "preconditionRequired", 429: "tooManyRequests", 500: "internalServerError",
            501: "notImplemented", 502: "badGateway", 503: "serviceUnavailable", 504: "gatewayTimeout",
        ]
        return names[status] ?? "status\(status)"
    }

    /// A Swift string literal for `text`.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    /// Doc comment lines for a description (first paragraph kept whole, later ones too).
    static func docLines(_ text: String?) -> [String] {
        guard let text else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingSuffixSpaces() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { $0.isEmpty ? "///" : "/// " + $0 }
    }
}

extension Substring {
    func trimmingSuffixSpaces() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return String(self[..<end])
    }
}
