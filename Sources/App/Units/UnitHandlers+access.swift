internal import API
internal import Crypto
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// A unit's ingest tokens and its sharing with other tenants.
extension UnitHandlers {
    func createToken(_ input: Operations.CreateCollectionUnitToken.Input) async throws -> Operations.CreateCollectionUnitToken.Output {
        let c = RequestContext.required
        let body = input.body
        if let expires = body.expiresAt, expires <= Date() {
            throw ProblemDetails(status: 422, detail: "expiresAt is in the past.",
                                 errors: [.init(pointer: "/expiresAt", detail: "must be in the future")])
        }
        let secret = try TokenSecret.generate()
        let token = try await store.createUnitToken(tenant: c.tenant, unit: input.path.unitId, name: body.name,
                                                    hash: TokenSecret.hash(secret), prefix: TokenSecret.displayPrefix(secret),
                                                    expiresAt: body.expiresAt,
                                                    audit: c.audit("token.created", details: Self.unitDetails(input.path.unitId)))
        return .created(.init(token: .init(token), secret: secret), location: "/v1/tokens/\(token.id.uuidString.lowercased())")
    }

    func createShareCode(_ input: Operations.CreateShareCode.Input) async throws -> Operations.CreateShareCode.Output {
        let c = RequestContext.required
        let code = try ShareCodeSecret.generate()
        let record = try await store.createShareCode(tenant: c.tenant, unit: input.path.unitId, hash: ShareCodeSecret.hash(code),
                                                     audit: c.audit("collection-unit.share-code-created"))
        return .created(.init(code: code, unitId: record.unitID, expiresAt: record.expiresAt))
    }

    func redeemShareCode(_ input: Operations.RedeemShareCode.Input) async throws -> Operations.RedeemShareCode.Output {
        let c = RequestContext.required
        let code = input.body.code
        // The contract checks the shape; this keeps a wrong shape away from the database regardless.
        guard ShareCodeSecret.isWellFormed(code) else { throw Self.noSuchShareCode }
        do {
            let unit = try await store.redeemShareCode(tenant: c.tenant, hash: ShareCodeSecret.hash(code),
                                                       audit: c.audit("collection-unit.share-joined"))
            return .created(.init(unit), location: Self.path(unit.id))
        } catch StoreError.notFound {
            throw Self.noSuchShareCode
        }
    }

    static let noSuchShareCode = ProblemDetails(
        status: 404, detail: "This share code is unknown, expired, already used, or for a unit of your own tenant.",
        errors: [.init(pointer: "/code", detail: "is not a share code that can be redeemed")])

    func listShares(_ input: Operations.ListCollectionUnitShares.Input) async throws -> Operations.ListCollectionUnitShares.Output {
        let page = try await store.unitShares(tenant: RequestContext.required.tenant, unit: input.path.unitId,
                                              limit: pageLimit(input.query.limit), cursor: input.query.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.UnitShare.init), nextCursor: page.nextCursor))
    }

    func deleteShare(_ input: Operations.DeleteCollectionUnitShare.Input) async throws -> Operations.DeleteCollectionUnitShare.Output {
        let c = RequestContext.required
        let leaving = input.path.tenantId == c.credential.tenant.id
        try await store.deleteUnitShare(tenant: c.tenant, unit: input.path.unitId, sharer: input.path.tenantId,
                                        audit: c.audit(leaving ? "collection-unit.share-left" : "collection-unit.share-ended"))
        return .noContent
    }

    static func unitDetails(_ unit: UUID) -> String { #"{"collectionUnitId":"\#(unit.uuidString.lowercased())"}"# }
}

/// Share codes: `fjs_` and 43 base64url characters (256 random bits), stored as SHA-256 like tokens.
enum ShareCodeSecret {
    static let prefix = "fjs_"

    static func generate() throws -> String { prefix + TokenSecret.base64URL(try SecureRandom.bytes(32)) }

    static func hash(_ code: String) -> [UInt8] { SHA256.hash(Array(code.utf8)) }

    static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == prefix.utf8.count + 43 && code.hasPrefix(prefix)
            && code.utf8.dropFirst(prefix.utf8.count).allSatisfy { b in
                (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
            }
    }
}
