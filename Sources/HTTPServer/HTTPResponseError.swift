/// An error that knows how it is answered. Map errors to statuses in one place: here.
public protocol HTTPResponseError: Error {
    var problem: ProblemDetails { get }
    /// Extra headers (e.g. `Retry-After`, `Allow`).
    var responseHeaders: HTTPHeaders { get }
}

extension HTTPResponseError {
    public var responseHeaders: HTTPHeaders { [:] }
}

extension ProblemDetails: HTTPResponseError {
    public var problem: ProblemDetails { self }
}
