extension Translator {
    /// `APIProtocol.swift`: one requirement per operation; a missing handler does not compile.
    func protocolDecls() -> [SwiftDecl] {
        let requirements: [SwiftDecl] = document.operations.map { operation in
            let name = Naming.typeName(operation.id)
            return .line("func \(Naming.memberName(operation.id))(_ input: Operations.\(name).Input) async throws -> Operations.\(name).Output",
                         docs: Naming.docLines(operation.summary) + [Self.operationRemark(operation)])
        }
        return [.block(docs: ["/// The server's operations. Implement it and serve it with `APIResponder(handler:)`."],
                       header: "public protocol APIProtocol: RoutableAPI", members: requirements)]
    }

    /// `OpenAPISpec.swift`: the spec text, byte for byte, as a raw string literal.
    static func specDecls(_ text: String) -> [SwiftDecl] {
        // Enough #s that no `"""#` can close the literal early and no `\#(` interpolates.
        var hashes = "#"
        while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
        // A multi-line literal drops the newline before its closing delimiter, hence the extra line.
        let literal = ["public static let yaml: String = \(hashes)\"\"\""]
            + text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            + ["\"\"\"\(hashes)"]
        return [.block(docs: ["/// The OpenAPI document this code was generated from, served at `/openapi.yaml`."],
                       header: "public enum OpenAPISpec", members: [
                           .lines(docs: [], literal),
                           .line("public static let bytes: [UInt8] = Array(yaml.utf8)", docs: ["/// `yaml` as UTF-8, built once."]),
                       ])]
    }
}
