import Testing
@testable import HTTPServer
import TestSupport

@Suite("Server over real sockets: basics", .blockingIO)
struct ServerBasicsTests {
    @Test func answersAndKeepsAlive() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            for _ in 0..<3 {
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == #"{"hello":"world"}"#)
                #expect(response.headers["Content-Length"] == "17")
                #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
                #expect(response.headers["X-Request-Id"]?.isEmpty == false)
                #expect(response.headers["Connection"] == nil)
            }
        }
    }
}
