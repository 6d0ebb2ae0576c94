internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

extension AccessHandlers {
    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let page = try await store.tokens(tenant: RequestContext.required.tenant, limit: pageLimit(input.query.limit),
                                          cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.Token.init), nextCursor: page.nextCursor))
    }

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let c = RequestContext.required
        let body = input.body
        switch (body.userId, body.role) {
        case (nil, nil), (.some, .some):
            throw ProblemDetails(status: 422, detail: "Give either userId (a person's token) or role (a service token), not both.")
        default: break
        }
        if let expires = body.expiresAt, expires <= Date() {
            throw ProblemDetails(status: 422, detail: "expiresAt is in the past.",
                                 errors: [.init(pointer: "/expiresAt", detail: "must be in the future")])
        }
        let secret: String, token: TokenRecord
        do {
            (secret, token) = try await TokenSecret.issue(store, tenant: c.tenant, name: body.name, user: body.userId,
                                                          role: body.role?.rawValue, expiresAt: body.expiresAt,
                                                          audit: c.audit("token.created"))
        } catch StoreError.invalid(let detail) {
            throw ProblemDetails(status: 422, detail: detail, errors: [.init(pointer: "/userId", detail: detail)])
        }
        return .created(.init(token: .init(token), secret: secret), location: "/v1/tokens/\(token.id.uuidString.lowercased())")
    }

    func token(_ input: Operations.GetToken.Input) async throws -> Operations.GetToken.Output {
        .ok(.init(try await store.token(tenant: RequestContext.required.tenant, id: input.path.tokenId)))
    }

    func updateToken(_ input: Operations.UpdateToken.Input) async throws -> Operations.UpdateToken.Output {
        let c = RequestContext.required
        let id = input.path.tokenId
        let type = input.body.keyAccess == nil ? "token.updated" : (input.body.keyAccess! ? "token.key-access-granted" : "token.key-access-withdrawn")
        let token = try await store.updateToken(tenant: c.tenant, id: id, name: input.body.name, keyAccess: input.body.keyAccess,
                                                audit: c.audit(type, target: "/v1/tokens/\(id.uuidString.lowercased())"))
        return .ok(.init(token))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        let c = RequestContext.required
        let id = input.path.tokenId
        try await store.revokeToken(tenant: c.tenant, id: id, audit: c.audit("token.revoked", target: "/v1/tokens/\(id.uuidString.lowercased())"))
        return .noContent
    }
}
