public import HTTPServer

/// What `APIResponder` needs from generated code. The generated `APIProtocol` refines it and
/// implements both requirements in an extension, so handler authors never see them; a
/// second generated API (the test fixture) plugs into the same runtime.
public protocol RoutableAPI: Sendable {
    static var operations: [OperationInfo] { get }
    /// Decodes the input of operation `operation` (an index into `operations`), calls the
    /// handler and encodes its output. `pathParameters` are raw segments in template order.
    static func dispatch(_ handler: Self, operation: Int, request: HTTPRequest,
                         pathParameters: [Substring]) async throws -> HTTPResponse
}
