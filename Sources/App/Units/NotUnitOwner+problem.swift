public import HTTPServer
public import Store

/// A tenant a unit is shared with may see it but not change it: that is a refusal (403), not a
/// secret (the unit is visible to it anyway).
extension NotUnitOwner: HTTPResponseError {
    public var problem: ProblemDetails { ProblemDetails(status: 403, detail: detail) }
}
