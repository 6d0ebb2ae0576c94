public import HTTPServer
public import Store

/// A field naming something the tenant does not have, or breaking a rule of the domain: 422
/// with a pointer to it.
extension InvalidField: HTTPResponseError {
    public var problem: ProblemDetails {
        ProblemDetails(status: 422, detail: "The request is well-formed but cannot be carried out.",
                       errors: [.init(pointer: pointer, detail: detail)])
    }
}
