/// `Routes.swift`: the operation table, the dispatch switch and each operation's
/// request decoder and response encoder.
extension Translator {
    func routeDecls() -> [SwiftDecl] {
        let table = document.operations.map { operation in
            "    OperationInfo(id: \(Naming.literal(operation.id)), method: \(methodExpression(operation.method)), "
                + "pathTemplate: \(Naming.literal(operation.path)), "
                + "permission: \(operation.permission.map(Naming.literal) ?? "nil"), isPublic: \(operation.isPublic), "
                + "maxBodySize: \(operation.maxBodySize.map(String.init) ?? "nil")),"
        }
        var cases: [String] = []
        for (index, operation) in document.operations.enumerated() {
            let name = "Operations." + Naming.typeName(operation.id)
            cases.append("case \(index):")
            cases.append("    return try await RequestDecoding.run(request, pathParameters, decode: \(name).decodeInput, "
                         + "handle: handler.\(Naming.memberName(operation.id)), encode: \(name).encodeOutput)")
        }
        cases += ["default:", "    preconditionFailure(\"no operation \\(operation)\")"]
        var decls: [SwiftDecl] = [
            .block(docs: ["/// Every operation in the spec, in document order; `dispatch` indexes into it."],
                   header: "public enum Routes", members: [
                       .lines(docs: [], ["public static let operations: [OperationInfo] = ["] + table + ["]"]),
                   ]),
            .block(docs: [], header: "extension APIProtocol", members: [
                .line("public static var operations: [OperationInfo] { Routes.operations }"),
                .block(docs: [], header: "public static func dispatch(_ handler: Self, operation: Int, request: HTTPRequest, "
                           + "pathParameters: [Substring]) async throws -> HTTPResponse", members: [
                               .block(docs: [], header: "switch operation", members: [.lines(docs: [], cases)]),
                           ]),
            ]),
        ]
        for operation in document.operations {
            decls.append(.block(docs: [], header: "extension Operations.\(Naming.typeName(operation.id))", members: [
                inputDecoder(operation), outputEncoder(operation),
            ]))
        }
        return decls
    }

    func methodExpression(_ method: String) -> String {
        ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(method)
            ? "." + method : "HTTPMethod(rawValue: \(Naming.literal(method.uppercased())))"
    }

    func inputDecoder(_ operation: Operation) -> SwiftDecl {
        let scope = "Operations.\(Naming.typeName(operation.id)).Input"
        var body: [String] = []
        var unwraps: [String] = []
        var parts: [String] = []
        let pathNames = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
        let queryNames = operation.parameters.filter { $0.location == .query }.map { Naming.literal($0.name) }
        body.append("let _query = QueryParameters(request.query, &errors)")
        body.append("_query.rejectUnknown([\(queryNames.joined(separator: ", "))], &errors)")
        for (location, typeName, member) in Self.partNames {
            var discarded: [SwiftDecl] = []
            let fields = inputFields(operation, location, scope: scope + "." + typeName, nested: &discarded)
            if fields.isEmpty { continue }
            var arguments: [String] = []
            for field in fields {
                let local = "_\(location.rawValue)_\(field.swiftName)"
                let name = Naming.literal(field.parameter.name)
                let pointer = Naming.literal("#/\(location == .header ? "header" : location.rawValue)/\(field.parameter.name)")
                let raw: String
                switch location {
                case .path: raw = "RequestDecoding.path(pathParameters, \(pathNames.firstIndex(of: field.parameter.name)!), \(name), &errors)"
                case .query where field.type.isArray: raw = "_query.multiple(\(name), required: \(field.parameter.required), &errors)"
                case .query: raw = "_query.single(\(name), required: \(field.parameter.required), &errors)"
                case .header: raw = "RequestDecoding.header(request, \(name), required: \(field.parameter.required), &errors)"
                }
                body.append("let \(local): \(field.type.swift)? = \(raw).flatMap { \(field.type.textDecode("$0", pointer)) }")
                if field.parameter.required { unwraps.append(", let \(local)") }
                arguments.append("\(field.swiftName): \(local)")
            }
            parts.append("\(member): .init(\(arguments.joined(separator: ", ")))")
        }
        if let requestBody = operation.requestBody {
            switch requestBody.content {
            case .raw(let mediaType), .stream(let mediaType):  // the parser admits streams in responses only
                body.append("let _body = try RequestDecoding.body(request, mediaType: \(Naming.literal(mediaType)), "
                            + "required: \(requestBody.required), &errors)")
            case .rawChoice:
                preconditionFailure("the parser allows several media types only in responses")
            case .json(_, let schema):
                var discarded: [SwiftDecl] = []
                let type = resolve(schema, name: "Body", scope: scope, pointer: "", nested: &discarded)
                body.append("let _json = try RequestDecoding.jsonBody(request, required: \(requestBody.required), &errors)")
                body.append("let _body: \(type.swift)? = _json.flatMap { \(type.jsonDecode("$0", "\"\"")) }")
            }
            if requestBody.required { unwraps.append(", let _body") }
            parts.append("body: _body")
        }
        body.append("guard errors.isEmpty\(unwraps.joined()) else { return nil }")
        body.append("return Input(\(parts.joined(separator: ", ")))")
        return .block(docs: [], header: "static func decodeInput(_ request: HTTPRequest, _ pathParameters: [Substring], "
                          + "_ errors: inout [ProblemDetails.FieldError]) throws(ProblemDetails) -> Input?",
                      members: [.lines(docs: [], body)])
    }

    func outputEncoder(_ operation: Operation) -> SwiftDecl {
        var discarded: [SwiftDecl] = []
        let cases = outputCases(operation, scope: "Operations.\(Naming.typeName(operation.id)).Output", nested: &discarded)
        var lines: [String] = []
        for outputCase in cases {
            var bindings: [String] = []
            if outputCase.response.status == nil { bindings.append("let statusCode") }
            if outputCase.bodyType != nil { bindings.append("let body") }
            if outputCase.mediaTypeChoice != nil { bindings.append("let contentType") }
            bindings += outputCase.headers.map { "let \(Naming.escaped($0.swiftName))" }
            let status = outputCase.response.status.map(String.init) ?? "statusCode"
            lines.append("case .\(outputCase.name)\(bindings.isEmpty ? "" : "(\(bindings.joined(separator: ", ")))"):")
            let build: String
            switch outputCase.response.content {
            case nil: build = "ResponseEncoding.empty(\(status))"
            case .raw(let mediaType)?: build = "ResponseEncoding.raw(\(status), body, contentType: \(Naming.literal(mediaType)))"
            case .stream(let mediaType)?: build = "ResponseEncoding.stream(\(status), body, contentType: \(Naming.literal(mediaType)))"
            case .rawChoice?: build = "ResponseEncoding.raw(\(status), body, contentType: contentType.rawValue)"
            case .json(let mediaType, _)?:
                build = "ResponseEncoding.json(\(status), body"
                    + (mediaType == "application/json" ? "" : ", contentType: \(Naming.literal(mediaType))") + ")"
            }
            if outputCase.headers.isEmpty {
                lines.append("    return \(build)")
                continue
            }
            lines.append("    var response = \(build)")
            for header in outputCase.headers {
                let value = Naming.escaped(header.swiftName)
                if header.header.required {
                    lines.append("    response.headers.add(\(Naming.literal(header.header.name)), TextEncode.text(\(value)))")
                } else {
                    lines.append("    if let \(value) { response.headers.add(\(Naming.literal(header.header.name)), TextEncode.text(\(value))) }")
                }
            }
            lines.append("    return response")
        }
        return .block(docs: [], header: "static func encodeOutput(_ output: Output) -> HTTPResponse", members: [
            .block(docs: [], header: "switch output", members: [.lines(docs: [], lines)]),
        ])
    }
}
