public import HTTPServer

extension Router {
    /// Literal segments win over parameters; when a literal branch dead-ends, the parameter
    /// branch is tried, so `/meters/export` and `/meters/{id}/readings` can coexist.
    /// Works on the path's UTF-8 bytes: no Character iteration, no copies.
    public func match(method: HTTPMethod, path: String) -> Match {
        var path = path
        var ranges: [Range<Int>] = []
        let found: Int? = path.withUTF8 { utf8 in
            guard utf8.first == UInt8(ascii: "/") else { return nil }
            return walk(0, utf8, 1, &ranges)
        }
        guard let node = found else { return .notFound }
        let methods = nodes[node].methods
        var operation: Int?
        for entry in methods where entry.method == method { operation = entry.operation; break }
        if operation == nil && method == .head {
            for entry in methods where entry.method == .get { operation = entry.operation; break }
        }
        if let operation {
            let utf8 = path.utf8
            let parameters = ranges.map { range in
                Substring(utf8[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
            }
            return .found(operation: operation, pathParameters: parameters)
        }
        var allow: [String] = []
        for entry in methods {
            allow.append(entry.method.rawValue)
            if entry.method == .get && !methods.contains(where: { $0.method == .head }) { allow.append("HEAD") }
        }
        return .methodNotAllowed(allow: allow)
    }

    /// `start` is the offset just after the slash that opens the current segment.
    func walk(_ node: Int, _ path: UnsafeBufferPointer<UInt8>, _ start: Int, _ ranges: inout [Range<Int>]) -> Int? {
        var end = start
        while end < path.count && path[end] != UInt8(ascii: "/") { end += 1 }
        let isLast = end == path.count
        let segment = UnsafeBufferPointer(rebasing: path[start..<end])
        for literal in nodes[node].literals where literalMatches(literal.bytes, segment) {
            if isLast {
                if !nodes[literal.node].methods.isEmpty { return literal.node }
            } else if let found = walk(literal.node, path, end + 1, &ranges) {
                return found
            }
        }
        if let parameterNode = nodes[node].parameter, end > start {
            ranges.append(start..<end)
            if isLast {
                if !nodes[parameterNode].methods.isEmpty { return parameterNode }
            } else if let found = walk(parameterNode, path, end + 1, &ranges) {
                return found
            }
            ranges.removeLast()
        }
        return nil
    }

    func literalMatches(_ literal: [UInt8], _ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        if segment.elementsEqual(literal) { return true }
        // Rare: a client that percent-encodes plain characters of a literal segment.
        guard segment.contains(UInt8(ascii: "%")) else { return false }
        return PercentDecoding.decode(Substring(decoding: segment, as: UTF8.self), plusAsSpace: false).map { Array($0.utf8) } == literal
    }
}
