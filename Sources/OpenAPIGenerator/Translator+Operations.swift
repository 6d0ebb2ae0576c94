/// `Operations.swift`: per operation its id, `Input` and `Output`.
extension Translator {
    struct InputField {
        var parameter: Parameter
        var swiftName: String
        var type: TypeRef
        var declaredType: String { type.swift + (parameter.required ? "" : "?") }
    }

    func operationDecls() -> [SwiftDecl] {
        let members = document.operations.map { operationDecl($0) }
        return [.block(docs: ["/// One namespace per operation in `#/paths`."], header: "public enum Operations", members: members)]
    }

    static func operationRemark(_ operation: Operation) -> String {
        "/// - Remark: HTTP \(operation.method.uppercased()) \(operation.path). Generated from \(operation.pointer)(\(operation.id))"
    }

    func operationDecl(_ operation: Operation) -> SwiftDecl {
        let name = Naming.typeName(operation.id)
        let docs = Naming.docLines(operation.summary) + (operation.description.map { _ in ["///"] } ?? [])
            + Naming.docLines(operation.description) + [Self.operationRemark(operation)]
        return .block(docs: docs, header: "public enum \(name)", members: [
            .line("public static let id = \(Naming.literal(operation.id))"),
            inputDecl(operation, scope: "Operations.\(name).Input"),
            outputDecl(operation, scope: "Operations.\(name).Output"),
        ])
    }

    func inputFields(_ operation: Operation, _ location: ParameterLocation, scope: String,
                     nested: inout [SwiftDecl]) -> [InputField] {
        operation.parameters.filter { $0.location == location }.map { parameter in
            let type = resolve(parameter.schema, name: Naming.typeName(parameter.name), scope: scope,
                               pointer: operation.pointer + "/parameters/\(parameter.name)", nested: &nested)
            return InputField(parameter: parameter, swiftName: Naming.memberName(parameter.name), type: type)
        }
    }

    static let partNames: [(ParameterLocation, String, String)] = [
        (.path, "Path", "path"), (.query, "Query", "query"), (.header, "Headers", "headers"),
    ]

    func inputDecl(_ operation: Operation, scope: String) -> SwiftDecl {
        var members: [SwiftDecl] = []
        var initParameters: [String] = []
        var initBody: [SwiftDecl] = []
        for (location, typeName, member) in Self.partNames {
            var nested: [SwiftDecl] = []
            let fields = inputFields(operation, location, scope: scope + "." + typeName, nested: &nested)
            if fields.isEmpty { continue }
            var partMembers: [SwiftDecl] = fields.map { field in
                .line("public var \(Naming.escaped(field.swiftName)): \(field.declaredType)",
                      docs: Naming.docLines(field.parameter.description))
            }
            partMembers += nested
            let parameters = fields.map { "\($0.swiftName): \($0.declaredType)\($0.parameter.required ? "" : " = nil")" }
            partMembers.append(.block(docs: [], header: "public init(\(parameters.joined(separator: ", ")))",
                                      members: fields.map { .line("self.\($0.swiftName) = \(Naming.escaped($0.swiftName))") }))
            members.append(.block(docs: [Self.remark(operation.pointer + "/parameters")],
                                  header: "public struct \(typeName): Sendable, Hashable", members: partMembers))
            members.append(.line("public var \(member): \(typeName)"))
            let allOptional = fields.allSatisfy { !$0.parameter.required }
            initParameters.append("\(member): \(typeName)\(allOptional ? " = .init()" : "")")
            initBody.append(.line("self.\(member) = \(member)"))
        }
        if let body = operation.requestBody {
            var nested: [SwiftDecl] = []
            let type = bodyType(body.content, name: "Body", scope: scope, pointer: operation.pointer + "/requestBody", nested: &nested)
            members += nested
            let declared = type + (body.required ? "" : "?")
            members.append(.line("public var body: \(declared)", docs: Naming.docLines(body.description)))
            initParameters.append("body: \(declared)\(body.required ? "" : " = nil")")
            initBody.append(.line("self.body = body"))
        }
        members.append(.block(docs: [], header: "public init(\(initParameters.joined(separator: ", ")))", members: initBody))
        return .block(docs: [Self.remark(operation.pointer + "(\(operation.id))/input")],
                      header: "public struct Input: Sendable", members: members)
    }

    /// The Swift type of a body: raw media types are bytes, JSON is the schema's type.
    func bodyType(_ content: BodyContent, name: String, scope: String, pointer: String, nested: inout [SwiftDecl]) -> String {
        switch content {
        case .raw, .rawChoice: return "[UInt8]"
        case .stream: return "any HTTPBodyStream"
        case .json(_, let schema): return resolve(schema, name: name, scope: scope, pointer: pointer, nested: &nested).swift
        }
    }

    struct OutputCase {
        var response: Response
        var name: String
        var bodyType: String?
        var headers: [(swiftName: String, type: TypeRef, header: ResponseHeader)]

        var mediaTypeChoice: [String]? {
            if case .rawChoice(let mediaTypes)? = response.content { return mediaTypes }
            return nil
        }

        /// The nested enum of a response's media types: `OkContentType`.
        var contentTypeName: String { Naming.typeName(name.replacing("`", with: "")) + "ContentType" }
    }

    func outputCases(_ operation: Operation, scope: String, nested: inout [SwiftDecl]) -> [OutputCase] {
        operation.responses.map { response in
            let name = Naming.statusCaseName(response.status)
            let key = response.status.map(String.init) ?? "default"
            let pointer = operation.pointer + "/responses/" + key
            let typePrefix = Naming.typeName(name.replacing("`", with: ""))
            let bodyType = response.content.map {
                self.bodyType($0, name: typePrefix + "Body", scope: scope, pointer: pointer + "/content", nested: &nested)
            }
            let headers = response.headers.map { header in
                (Naming.memberName(header.name),
                 resolve(header.schema, name: typePrefix + Naming.typeName(header.name), scope: scope,
                         pointer: pointer + "/headers/" + header.name, nested: &nested),
                 header)
            }
            return OutputCase(response: response, name: name, bodyType: bodyType, headers: headers)
        }
    }

    func outputDecl(_ operation: Operation, scope: String) -> SwiftDecl {
        var nested: [SwiftDecl] = []
        let cases = outputCases(operation, scope: scope, nested: &nested)
        var members: [SwiftDecl] = cases.map { outputCase in
            var values: [String] = []
            if outputCase.response.status == nil { values.append("statusCode: Int") }
            if let bodyType = outputCase.bodyType { values.append(bodyType) }
            if let mediaTypes = outputCase.mediaTypeChoice {
                values.append("contentType: \(outputCase.contentTypeName)")
                nested.append(enumDecl(name: outputCase.contentTypeName, values: mediaTypes,
                                       description: "The media types this response comes in.",
                                       pointer: operation.pointer + "/responses/" + (outputCase.response.status.map(String.init) ?? "default")
                                           + "/content"))
            }
            for header in outputCase.headers {
                values.append("\(header.swiftName): \(header.type.swift)\(header.header.required ? "" : "? = nil")")
            }
            let payload = values.isEmpty ? "" : "(\(values.joined(separator: ", ")))"
            let key = outputCase.response.status.map(String.init) ?? "default"
            return .line("case \(outputCase.name)\(payload)",
                         docs: Self.docs(outputCase.response.description, remark: operation.pointer + "/responses/" + key))
        }
        members += nested
        return .block(docs: [Self.remark(operation.pointer + "(\(operation.id))/output")],
                      header: "@frozen public enum Output: Sendable", members: members)
    }
}
