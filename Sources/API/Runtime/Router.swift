internal import HTTPServer

/// A segment trie over the spec's path templates, built once at startup. Matching walks
/// the raw path without copying it; only path parameter values are collected.
public struct Router: Sendable {
    struct Node: Sendable {
        var literals: [(bytes: [UInt8], node: Int)] = []
        var parameter: Int?
        var methods: [(method: HTTPMethod, operation: Int)] = []
    }

    public enum Match: Equatable {
        /// `operation` indexes the list the router was built from.
        case found(operation: Int, pathParameters: [Substring])
        case methodNotAllowed(allow: [String])
        case notFound
    }

    var nodes: [Node] = [Node()]

    public init(_ operations: [OperationInfo]) {
        for (index, operation) in operations.enumerated() {
            var node = 0
            for segment in operation.pathTemplate.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
                if segment.hasPrefix("{") && segment.hasSuffix("}") {
                    if let next = nodes[node].parameter {
                        node = next
                    } else {
                        nodes.append(Node())
                        nodes[node].parameter = nodes.count - 1
                        node = nodes.count - 1
                    }
                } else if let next = nodes[node].literals.first(where: { $0.bytes.elementsEqual(segment.utf8) })?.node {
                    node = next
                } else {
                    nodes.append(Node())
                    nodes[node].literals.append((Array(segment.utf8), nodes.count - 1))
                    node = nodes.count - 1
                }
            }
            nodes[node].methods.append((operation.method, index))
        }
    }
}
