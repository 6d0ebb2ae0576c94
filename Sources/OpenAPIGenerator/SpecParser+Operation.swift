extension SpecParser {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
    static let rawMediaTypes: Set<String> = ["text/plain", "text/csv", "application/yaml", "application/octet-stream",
                                             "image/svg+xml"]
    static let streamMediaTypes: Set<String> = ["text/event-stream"]
    /// The server adds this header to every response; the spec documents it but handlers never set it.
    static let serverOwnedHeaders: Set<String> = ["x-request-id"]

    func parsePathItem(_ pair: YAMLPair, globalIsPublic: Bool) throws(GeneratorError) -> [Operation] {
        let path = pair.key
        guard path.hasPrefix("/") else { throw error("a path must start with '/'", at: pair.keyMark) }
        let pairs = try mapping(pair.value, "a path item")
        try checkKeys(pairs, Set(Self.methods + ["parameters", "summary", "description"]), in: "a path item")
        let shared = try parseParameters(pair.value["parameters"])
        var operations: [Operation] = []
        for methodPair in pairs where Self.methods.contains(methodPair.key) {
            operations.append(try parseOperation(methodPair, path: path, pathMark: pair.keyMark, shared: shared,
                                                 globalIsPublic: globalIsPublic))
        }
        return operations
    }

    func parseOperation(_ pair: YAMLPair, path: String, pathMark: YAMLMark, shared: [Parameter],
                        globalIsPublic: Bool) throws(GeneratorError) -> Operation {
        let node = pair.value
        let pairs = try mapping(node, "an operation")
        try checkKeys(pairs, ["operationId", "tags", "summary", "description", "parameters", "requestBody", "responses",
                              "security", "deprecated", "externalDocs", "x-permission", "x-max-body-size"],
                      in: "an operation")
        guard let idNode = node["operationId"] else {
            throw error("\(pair.key.uppercased()) \(path) has no operationId", at: pair.keyMark)
        }
        let id = try scalar(idNode, "operationId")
        guard let first = id.unicodeScalars.first, first.properties.isAlphabetic,
              id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
            throw error("operationId '\(id)' must be ASCII letters and digits, starting with a letter", at: idNode.mark)
        }
        var parameters = shared
        for parameter in try parseParameters(node["parameters"]) {
            parameters.removeAll { $0.name == parameter.name && $0.location == parameter.location }
            parameters.append(parameter)
        }
        try checkPathParameters(path, parameters, at: idNode.mark)
        guard let responsesNode = node["responses"] else { throw error("operation '\(id)' has no responses", at: idNode.mark) }
        var responses: [Response] = []
        for responsePair in try mapping(responsesNode, "responses") {
            responses.append(try parseResponse(responsePair))
        }
        if responses.isEmpty { throw error("operation '\(id)' has no responses", at: responsesNode.mark) }
        let isPublic = try node["security"].map { n throws(GeneratorError) in try parseSecurity(n) } ?? globalIsPublic
        let maxBodySize = try node["x-max-body-size"].map { n throws(GeneratorError) in try int(n, "x-max-body-size") }
        if let maxBodySize, maxBodySize < 0 { throw error("x-max-body-size must not be negative", at: node["x-max-body-size"]!.mark) }
        return Operation(
            id: id, method: pair.key, path: path,
            summary: try node["summary"].map { n throws(GeneratorError) in try scalar(n, "summary") },
            description: try description(node),
            parameters: parameters,
            requestBody: try node["requestBody"].map { n throws(GeneratorError) in try parseRequestBody(n) },
            responses: responses,
            permission: try node["x-permission"].map { n throws(GeneratorError) in try scalar(n, "x-permission") },
            maxBodySize: maxBodySize, isPublic: isPublic, mark: idNode.mark)
    }

    func checkPathParameters(_ path: String, _ parameters: [Parameter], at mark: YAMLMark) throws(GeneratorError) {
        var names: [String] = []
        for segment in path.split(separator: "/") where segment.contains("{") {
            guard segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 else {
                throw error("path segment '\(segment)' must be a literal or one whole {parameter}", at: mark)
            }
            let name = String(segment.dropFirst().dropLast())
            guard parameters.contains(where: { $0.location == .path && $0.name == name }) else {
                throw error("path parameter '\(name)' of \(path) is not declared", at: mark)
            }
            names.append(name)
        }
        for parameter in parameters where parameter.location == .path && !names.contains(parameter.name) {
            throw error("path parameter '\(parameter.name)' does not occur in \(path)", at: parameter.mark)
        }
    }

    func parseParameters(_ node: YAMLNode?) throws(GeneratorError) -> [Parameter] {
        guard let node else { return [] }
        var result: [Parameter] = []
        for item in try sequence(node, "parameters") {
            let parameter = try parseParameter(try resolve(item, in: "parameters"))
            if result.contains(where: { $0.name == parameter.name && $0.location == parameter.location }) {
                throw error("duplicate parameter '\(parameter.name)' in \(parameter.location.rawValue)", at: item.mark)
            }
            result.append(parameter)
        }
        return result
    }

    func parseParameter(_ node: YAMLNode) throws(GeneratorError) -> Parameter {
        try checkKeys(try mapping(node, "a parameter"),
                      ["name", "in", "required", "schema", "description", "deprecated", "example", "examples", "style", "explode"],
                      in: "a parameter")
        guard let nameNode = node["name"], let inNode = node["in"] else {
            throw error("a parameter needs 'name' and 'in'", at: node.mark)
        }
        let name = try scalar(nameNode, "name")
        guard let location = ParameterLocation(rawValue: try scalar(inNode, "in")) else {
            throw error("parameters in '\(try scalar(inNode, "in"))' are not supported (use path, query or header)", at: inNode.mark)
        }
        let required = try node["required"].map { n throws(GeneratorError) in try bool(n, "required") } ?? false
        if location == .path && !required { throw error("path parameter '\(name)' must be required: true", at: node.mark) }
        // Only the OpenAPI defaults: simple for path and header, form+explode for query (repeated names for arrays).
        let defaultStyle = location == .query ? "form" : "simple"
        if let style = node["style"], try scalar(style, "style") != defaultStyle {
            throw error("only style '\(defaultStyle)' is supported for \(location.rawValue) parameters", at: style.mark)
        }
        if let explode = node["explode"], try bool(explode, "explode") != (location == .query) {
            throw error("only explode: \(location == .query) is supported for \(location.rawValue) parameters", at: explode.mark)
        }
        guard let schemaNode = node["schema"] else { throw error("parameter '\(name)' needs a schema", at: node.mark) }
        let schema = try parseSchema(schemaNode)
        try checkParameterSchema(schema, location: location, allowArray: location == .query)
        return Parameter(name: name, location: location, required: required, schema: schema,
                         description: try description(node), mark: nameNode.mark)
    }

    func checkParameterSchema(_ schema: Schema, location: ParameterLocation, allowArray: Bool) throws(GeneratorError) {
        if schema.nullable { throw error("nullable parameters are not supported", at: schema.mark) }
        switch schema.kind {
        case .string, .dateTime, .date, .uuid, .stringEnum, .integer, .number, .boolean: return
        case .array(let items, _, _) where allowArray:
            try checkParameterSchema(items, location: location, allowArray: false)
        case .ref:
            throw error("parameter schemas must be inline (a $ref to a schema is not supported here)", at: schema.mark)
        default:
            throw error("\(location.rawValue) parameters must be string, integer, number, boolean\(allowArray ? " or an array of those" : "")", at: schema.mark)
        }
    }

    func parseRequestBody(_ node: YAMLNode) throws(GeneratorError) -> RequestBody {
        let body = try resolve(node, in: "requestBodies")
        try checkKeys(try mapping(body, "a request body"), ["description", "required", "content"], in: "a request body")
        guard let content = body["content"] else { throw error("a request body needs 'content'", at: body.mark) }
        return RequestBody(required: try body["required"].map { n throws(GeneratorError) in try bool(n, "required") } ?? false,
                           content: try parseContent(content, allowProblem: false), description: try description(body))
    }

    func parseContent(_ node: YAMLNode, allowProblem: Bool) throws(GeneratorError) -> BodyContent {
        let pairs = try mapping(node, "content")
        // Several media types only for a response whose forms are all raw (the handler picks one).
        if allowProblem, pairs.count > 1 {
            var mediaTypes: [String] = []
            for pair in pairs {
                guard case .raw(let mediaType) = try parseContent(mapping: pair, allowProblem: false) else {
                    throw error("several media types per body are supported only when all are raw", at: pair.keyMark)
                }
                mediaTypes.append(mediaType)
            }
            return .rawChoice(mediaTypes: mediaTypes)
        }
        guard pairs.count == 1, let pair = pairs.first else {
            throw error("exactly one media type per body is supported", at: node.mark)
        }
        return try parseContent(mapping: pair, allowProblem: allowProblem)
    }

    private func parseContent(mapping pair: YAMLPair, allowProblem: Bool) throws(GeneratorError) -> BodyContent {
        try checkKeys(try mapping(pair.value, "a media type"), ["schema", "example", "examples"], in: "a media type")
        // Responses may also be GeoJSON (RFC 7946): JSON under its own media type.
        let jsonTypes = allowProblem ? ["application/json", "application/problem+json", "application/geo+json"] : ["application/json"]
        if jsonTypes.contains(pair.key) {
            guard let schema = pair.value["schema"] else { throw error("\(pair.key) content needs a schema", at: pair.value.mark) }
            return .json(mediaType: pair.key, schema: try parseSchema(schema))
        }
        if Self.streamMediaTypes.contains(pair.key) {
            // Only a response can stream; a request body is always received whole.
            guard allowProblem else { throw error("a \(pair.key) body is only supported in responses", at: pair.keyMark) }
            if let schema = pair.value["schema"] {
                var isString = false
                if case .string = try parseSchema(schema).kind { isString = true }
                guard isString else { throw error("a \(pair.key) body must have a string schema", at: schema.mark) }
            }
            return .stream(mediaType: pair.key)
        }
        guard Self.rawMediaTypes.contains(pair.key) else {
            throw error("unsupported media type '\(pair.key)'", at: pair.keyMark)
        }
        if let schema = pair.value["schema"] {
            let parsed = try parseSchema(schema)
            // A structured text format (YAML) may describe what its document parses to; the
            // others are plain text or bytes. Either way the Swift side holds the raw bytes.
            var isString = false
            if case .string = parsed.kind { isString = true }
            guard isString || pair.key == "application/yaml" else {
                throw error("a \(pair.key) body must have a string schema", at: schema.mark)
            }
        }
        return .raw(mediaType: pair.key)
    }

    func parseResponse(_ pair: YAMLPair) throws(GeneratorError) -> Response {
        var status: Int?
        if pair.key != "default" {
            guard let code = Int(pair.key), (100...599).contains(code) else {
                throw error("response key '\(pair.key)' must be a status code or 'default'", at: pair.keyMark)
            }
            status = code
        }
        let node = try resolve(pair.value, in: "responses")
        try checkKeys(try mapping(node, "a response"), ["description", "headers", "content"], in: "a response")
        var headers: [ResponseHeader] = []
        for headerPair in try optionalMapping(node["headers"], "headers")
        where !Self.serverOwnedHeaders.contains(headerPair.key.lowercased()) {
            let header = try resolve(headerPair.value, in: "headers")
            try checkKeys(try mapping(header, "a header"), ["description", "required", "schema", "deprecated", "example"],
                          in: "a header")
            guard let schemaNode = header["schema"] else { throw error("header '\(headerPair.key)' needs a schema", at: header.mark) }
            let schema = try parseSchema(schemaNode)
            try checkParameterSchema(schema, location: .header, allowArray: false)
            headers.append(ResponseHeader(name: headerPair.key,
                                          required: try header["required"].map { n throws(GeneratorError) in try bool(n, "required") } ?? false,
                                          schema: schema, description: try description(header)))
        }
        return Response(status: status, description: try description(node), headers: headers,
                        content: try node["content"].map { n throws(GeneratorError) in try parseContent(n, allowProblem: true) })
    }
}
