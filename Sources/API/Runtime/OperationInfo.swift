public import HTTPServer

/// What the spec says about one operation, for middleware (auth, audit, limits) and tests.
public struct OperationInfo: Sendable, Hashable {
    public var id: String
    public var method: HTTPMethod
    /// The path as written in the spec: "/v1/meters/{id}".
    public var pathTemplate: String
    /// `x-permission`: what an authenticated caller must hold; nil when the spec names none.
    public var permission: String?
    /// True when the effective `security` is `[]` (or lists an empty requirement).
    public var isPublic: Bool
    /// `x-max-body-size` in bytes; nil: the server's default.
    public var maxBodySize: Int?

    public init(id: String, method: HTTPMethod, pathTemplate: String, permission: String?, isPublic: Bool,
                maxBodySize: Int?) {
        self.id = id
        self.method = method
        self.pathTemplate = pathTemplate
        self.permission = permission
        self.isPublic = isPublic
        self.maxBodySize = maxBodySize
    }
}
