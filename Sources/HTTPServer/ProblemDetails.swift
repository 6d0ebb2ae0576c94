/// An RFC 9457 problem. Every error the server or the API answers is one of these.
public struct ProblemDetails: Sendable, Equatable {
    /// One invalid part of a request: a JSON pointer into the body (`/telegrams/3/hex`), or
    /// `#/query/limit`, `#/path/id`, `#/header/If-Match` for the other parts.
    public struct FieldError: Sendable, Equatable {
        public var pointer: String
        public var detail: String
        public init(pointer: String, detail: String) {
            self.pointer = pointer
            self.detail = detail
        }
    }

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    public var errors: [FieldError]

    public init(status: Int, title: String? = nil, detail: String? = nil, type: String = "about:blank",
                instance: String? = nil, errors: [FieldError] = []) {
        self.type = type
        self.title = title ?? HTTPStatusText.reason(status)
        self.status = status
        self.detail = detail
        self.instance = instance
        self.errors = errors
    }

    public static let contentType = "application/problem+json"

    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + (detail?.utf8.count ?? 0) + errors.count * 64)
        out.append(contentsOf: "{\"type\":".utf8)
        appendJSONString(type, to: &out)
        out.append(contentsOf: ",\"title\":".utf8)
        appendJSONString(title, to: &out)
        out.append(contentsOf: ",\"status\":".utf8)
        out.append(contentsOf: String(status).utf8)
        if let detail {
            out.append(contentsOf: ",\"detail\":".utf8)
            appendJSONString(detail, to: &out)
        }
        if let instance {
            out.append(contentsOf: ",\"instance\":".utf8)
            appendJSONString(instance, to: &out)
        }
        if !errors.isEmpty {
            out.append(contentsOf: ",\"errors\":[".utf8)
            for (i, error) in errors.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: "{\"pointer\":".utf8)
                appendJSONString(error.pointer, to: &out)
                out.append(contentsOf: ",\"detail\":".utf8)
                appendJSONString(error.detail, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    public func response(headers extra: HTTPHeaders = [:], route: String? = nil) -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": Self.contentType]
        for field in extra { headers.add(field.name, field.value) }
        return HTTPResponse(status: status, headers: headers, body: jsonBytes(), route: route)
    }
}
