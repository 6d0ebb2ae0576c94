public import HTTPServer

/// Helpers the generated input decoders call for the parts of a request that are not
/// parameters: path segments, media types and bodies.
public enum RequestDecoding {
    /// Runs one operation: decode (415 and 400 are answered here, never reach the handler),
    /// call the handler, encode.
    public static func run<Input, Output>(
        _ request: HTTPRequest, _ pathParameters: [Substring],
        decode: (HTTPRequest, [Substring], inout [FieldError]) throws(ProblemDetails) -> Input?,
        handle: (Input) async throws -> Output,
        encode: (Output) -> HTTPResponse
    ) async throws -> HTTPResponse {
        var errors: [FieldError] = []
        let input: Input?
        do {
            input = try decode(request, pathParameters, &errors)
        } catch {
            return error.response()
        }
        guard let input, errors.isEmpty else {
            return ProblemDetails(status: 400, detail: "The request does not match the API contract.", errors: errors).response()
        }
        return encode(try await handle(input))
    }

    public static func path(_ parameters: [Substring], _ index: Int, _ name: String, _ errors: inout [FieldError]) -> String? {
        if let value = PercentDecoding.decode(parameters[index], plusAsSpace: false) { return value }
        errors.append(FieldError(pointer: "#/path/" + name, detail: "is not valid percent-encoded UTF-8"))
        return nil
    }

    public static func header(_ request: HTTPRequest, _ name: String, required: Bool, _ errors: inout [FieldError]) -> String? {
        if let value = request.headers[name] { return value }
        if required { errors.append(FieldError(pointer: "#/header/" + name, detail: "is required")) }
        return nil
    }

    /// The media type without parameters, lowercased: "application/json; charset=utf-8" → "application/json".
    static func mediaType(_ request: HTTPRequest) -> Substring? {
        guard let value = request.headers["Content-Type"] else { return nil }
        let end = value.firstIndex(of: ";") ?? value.endIndex
        return value[..<end].trimmingPrefix(" ").prefix { $0 != " " }
    }

    /// Checks the Content-Type (415 when wrong) and presence of a body. nil: no body sent,
    /// which is an error only when `required`.
    public static func body(_ request: HTTPRequest, mediaType expected: String, required: Bool,
                            _ errors: inout [FieldError]) throws(ProblemDetails) -> [UInt8]? {
        if request.body.isEmpty && request.headers["Content-Type"] == nil {
            if required { errors.append(FieldError(pointer: "", detail: "a request body is required")) }
            return nil
        }
        guard let type = mediaType(request), type.lowercased() == expected else {
            throw ProblemDetails(status: 415, detail: "The request body must be \(expected).")
        }
        return request.body
    }

    /// Parses a JSON body; a syntax error is reported at the document root with its byte offset.
    public static func jsonBody(_ request: HTTPRequest, required: Bool,
                                _ errors: inout [FieldError]) throws(ProblemDetails) -> JSONValue? {
        guard let bytes = try body(request, mediaType: "application/json", required: required, &errors) else { return nil }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            errors.append(FieldError(pointer: "", detail: error.description))
            return nil
        }
    }
}

/// Builders the generated output encoders call.
public enum ResponseEncoding {
    public static func json<T: JSONWritable>(_ status: Int, _ body: T, contentType: String = "application/json") -> HTTPResponse {
        var writer = JSONWriter(capacity: 256)
        body.writeJSON(to: &writer)
        return HTTPResponse(status: status, headers: headers(contentType), body: writer.bytes)
    }

    public static func raw(_ status: Int, _ body: [UInt8], contentType: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers(contentType), body: body)
    }

    /// A body streamed while it is produced (`text/event-stream`); the server chunks it.
    public static func stream(_ status: Int, _ body: any HTTPBodyStream, contentType: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers(contentType), stream: body)
    }

    // Shared header lists for the common content types: copy-on-write makes them free to
    // hand out, and a handler that adds a header gets its own copy.
    private static let jsonHeaders = HTTPHeaders([(name: "Content-Type", value: "application/json")])
    private static let problemHeaders = HTTPHeaders([(name: "Content-Type", value: "application/problem+json")])

    static func headers(_ contentType: String) -> HTTPHeaders {
        switch contentType {
        case "application/json": jsonHeaders
        case "application/problem+json": problemHeaders
        default: HTTPHeaders([(name: "Content-Type", value: contentType)])
        }
    }

    public static func empty(_ status: Int) -> HTTPResponse {
        HTTPResponse(status: status)
    }
}
