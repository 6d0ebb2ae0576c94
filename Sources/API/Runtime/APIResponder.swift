public import HTTPServer

/// The `HTTPResponder` for a generated API: routes, runs the middleware, lets the generated
/// dispatch decode the input and call the handler, and tags the response with its route.
public struct APIResponder<Handler: RoutableAPI>: HTTPResponder {
    public let handler: Handler
    public let middleware: [any APIMiddleware]
    let router: Router
    let operations: [OperationInfo]
    /// Per operation, the middleware that applies to it, in order (built once, like the router).
    let chains: [[any APIMiddleware]]

    public init(handler: Handler, middleware: [any APIMiddleware] = []) {
        self.handler = handler
        self.middleware = middleware
        operations = Handler.operations
        router = Router(operations)
        chains = operations.map { operation in middleware.filter { $0.applies(to: operation) } }
    }

    public func respond(to request: HTTPRequest) async throws -> HTTPResponse {
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
            return ProblemDetails(status: 404, detail: "No operation serves this path.").response()
        case .methodNotAllowed(let allow):
            let problem = ProblemDetails(status: 405, detail: "This path does not serve \(request.method.rawValue).")
            return problem.response(headers: ["Allow": allow.joined(separator: ", ")])
        case .found(let index, let pathParameters):
            let operation = operations[index]
            var response: HTTPResponse
            if chains[index].isEmpty {
                response = try await Handler.dispatch(handler, operation: index, request: request, pathParameters: pathParameters)
            } else {
                response = try await run(0, request, operation, index, pathParameters)
            }
            response.route = operation.pathTemplate
            return response
        }
    }

    func run(_ position: Int, _ request: HTTPRequest, _ operation: OperationInfo, _ index: Int,
             _ pathParameters: [Substring]) async throws -> HTTPResponse {
        let chain = chains[index]
        if position == chain.count {
            return try await Handler.dispatch(handler, operation: index, request: request, pathParameters: pathParameters)
        }
        return try await chain[position].intercept(request, operation: operation) { request in
            try await run(position + 1, request, operation, index, pathParameters)
        }
    }

    public func maxBodySize(method: HTTPMethod, path: String) -> Int? {
        guard case .found(let index, _) = router.match(method: method, path: path) else { return nil }
        return operations[index].maxBodySize
    }
}
