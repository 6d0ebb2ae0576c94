public import HTTPServer

extension Router {
    /// Literal segments win over parameters; when a literal branch dead-ends, the parameter
    /// branch is tried, so `/meters/export` and `/meters/{id}/readings` can coexist.
    public func match(method: HTTPMethod, path: String) -> Match {
        let utf8 = path.utf8
        guard utf8.first == UInt8(ascii: "/") else { return .notFound }
        var parameters: [Substring] = []
        guard let node = walk(0, path[path.index(after: path.startIndex)...], &parameters) else { return .notFound }
        let methods = nodes[node].methods
        if methods.isEmpty { return .notFound }
        for entry in methods where entry.method == method {
            return .found(operation: entry.operation, pathParameters: parameters)
        }
        if method == .head {
            for entry in methods where entry.method == .get {
                return .found(operation: entry.operation, pathParameters: parameters)
            }
        }
        var allow: [String] = []
        for entry in methods {
            allow.append(entry.method.rawValue)
            if entry.method == .get && !methods.contains(where: { $0.method == .head }) { allow.append("HEAD") }
        }
        return .methodNotAllowed(allow: allow)
    }

    /// `rest` is the path after the slash that opens the current segment.
    func walk(_ node: Int, _ rest: Substring, _ parameters: inout [Substring]) -> Int? {
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        let segment = rest[rest.startIndex..<end]
        let isLast = end == rest.endIndex
        let remainder = isLast ? rest[end...] : rest[rest.index(after: end)...]
        for literal in nodes[node].literals where literalMatches(literal.segment, segment) {
            if isLast {
                if !nodes[literal.node].methods.isEmpty { return literal.node }
            } else if let found = walk(literal.node, remainder, &parameters) {
                return found
            }
        }
        if let parameterNode = nodes[node].parameter, !segment.isEmpty {
            parameters.append(segment)
            if isLast {
                if !nodes[parameterNode].methods.isEmpty { return parameterNode }
            } else if let found = walk(parameterNode, remainder, &parameters) {
                return found
            }
            parameters.removeLast()
        }
        return nil
    }

    func literalMatches(_ literal: String, _ segment: Substring) -> Bool {
        if segment == literal { return true }
        // Rare: a client that percent-encodes plain characters of a literal segment.
        guard segment.utf8.contains(UInt8(ascii: "%")) else { return false }
        return PercentDecoding.decode(segment, plusAsSpace: false) == literal
    }
}
