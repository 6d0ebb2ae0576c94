import Testing
import HTTPServer
@testable import API

@Suite struct RouterTests {
    static func info(_ id: String, _ method: HTTPMethod, _ path: String) -> OperationInfo {
        OperationInfo(id: id, method: method, pathTemplate: path, permission: nil, isPublic: false, maxBodySize: nil)
    }

    let router = Router([
        info("list", .get, "/v1/meters"),
        info("create", .post, "/v1/meters"),
        info("get", .get, "/v1/meters/{id}"),
        info("delete", .delete, "/v1/meters/{id}"),
        info("export", .get, "/v1/meters/export"),
        info("reading", .get, "/v1/meters/{id}/readings/{seq}"),
        info("exportJob", .get, "/v1/meters/export/jobs"),
        info("root", .get, "/"),
    ])

    @Test func matchesLiteralsAndParameters() {
        #expect(router.match(method: .get, path: "/v1/meters") == .found(operation: 0, pathParameters: []))
        #expect(router.match(method: .post, path: "/v1/meters") == .found(operation: 1, pathParameters: []))
        #expect(router.match(method: .get, path: "/v1/meters/42") == .found(operation: 2, pathParameters: ["42"]))
        #expect(router.match(method: .get, path: "/v1/meters/export") == .found(operation: 4, pathParameters: []))
        #expect(router.match(method: .get, path: "/v1/meters/a%20b/readings/7") == .found(operation: 5, pathParameters: ["a%20b", "7"]))
        #expect(router.match(method: .get, path: "/v1/meters/export/jobs") == .found(operation: 6, pathParameters: []))
        #expect(router.match(method: .get, path: "/") == .found(operation: 7, pathParameters: []))
    }

    @Test func literalBranchFallsBackToParameter() {
        // "export" is a literal child, but only the parameter branch has /readings/{seq}.
        #expect(router.match(method: .get, path: "/v1/meters/export/readings/1") == .found(operation: 5, pathParameters: ["export", "1"]))
    }

    @Test func percentEncodedLiteralStillMatches() {
        #expect(router.match(method: .get, path: "/v1/%6Deters") == .found(operation: 0, pathParameters: []))
    }

    @Test func notFound() {
        #expect(router.match(method: .get, path: "/v1/meter") == .notFound)
        #expect(router.match(method: .get, path: "/v1/meters/") == .notFound)
        #expect(router.match(method: .get, path: "/v1/meters/42/readings") == .notFound)
        #expect(router.match(method: .get, path: "v1/meters") == .notFound)
        #expect(router.match(method: .get, path: "/v1") == .notFound)
    }

    @Test func methodNotAllowedListsAllow() {
        #expect(router.match(method: .put, path: "/v1/meters") == .methodNotAllowed(allow: ["GET", "HEAD", "POST"]))
        #expect(router.match(method: .post, path: "/v1/meters/1") == .methodNotAllowed(allow: ["GET", "HEAD", "DELETE"]))
    }

    @Test func headFallsBackToGet() {
        #expect(router.match(method: .head, path: "/v1/meters/9") == .found(operation: 2, pathParameters: ["9"]))
    }
}
