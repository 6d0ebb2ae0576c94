import Curl
import Foundation
import Synchronization
import Testing
import TestSupport

@Suite("Curl: HTTP against a real peer", .blockingIO)
struct CurlHTTPTests {
    @Test func postSendsMethodHeadersAndBodyAndReturnsTheReply() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let body = Array("{\"leak\":true,\"text\":\"Søndergade\"}".utf8)
        let reply = try await CurlHTTP.perform(HTTPCall(method: "POST", url: "http://127.0.0.1:\(peer.port)/hook",
                                                         headers: [HTTPField(name: "Content-Type", value: "application/json"),
                                                                   HTTPField(name: "X-Api-Key", value: "k 1")],
                                                         body: body))
        #expect(reply.status == 200)
        #expect(reply.body == Array("ok".utf8))
        #expect(reply.header("x-peer") == "http_peer")
        #expect(reply.header("Content-Length") == "2")
        let requests = peer.requests()
        #expect(requests.count == 1)
        #expect(requests.first?.method == "POST")
        #expect(requests.first?.path == "/hook")
        #expect(requests.first?.bodyBytes == body)
        #expect(requests.first?.header("content-type") == "application/json")
        #expect(requests.first?.header("x-api-key") == "k 1")
        #expect(requests.first?.header("expect") == nil)
    }

    @Test func otherMethods() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let cases = [("GET", ""), ("PUT", "put body"), ("DELETE", ""), ("PATCH", "patch body")]
        for (method, body) in cases {
            let reply = try await CurlHTTP.perform(HTTPCall(method: method, url: "http://127.0.0.1:\(peer.port)/x?to=%2B45",
                                                             body: Array(body.utf8)))
            #expect(reply.status == 200)
        }
        let requests = peer.requests()
        #expect(requests.map(\.method) == cases.map(\.0))
        #expect(requests.allSatisfy { $0.path == "/x?to=%2B45" })
        #expect(requests.map(\.bodyBytes) == cases.map { Array($0.1.utf8) })
    }

    @Test func errorStatusesAreRepliesAndRedirectsAreNotFollowed() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let failed = try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/status/503"))
        #expect(failed.status == 503)
        #expect(failed.body == Array("status 503".utf8))
        let redirect = try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/redirect"))
        #expect(redirect.status == 302)
        #expect(redirect.header("location") == "/status/201")
        #expect(peer.requests().map(\.path) == ["/status/503", "/redirect"])
    }

    @Test func aClosedPortIsAConnectionFailure() async {
        let error = await #expect(throws: CurlError.self) {
            try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(PythonPeer.closedPort())/"))
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.isTimeout == false)
        #expect(error?.message.contains("127.0.0.1") == true) // libcurl's detailed words, not just "Couldn't connect"
    }

    @Test func aPeerThatClosesWithoutReplyingIsAConnectionFailure() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await CurlHTTP.perform(HTTPCall(method: "POST", url: "http://127.0.0.1:\(peer.port)/close", body: [1]))
        }
        #expect(error?.isConnectionFailure == true)
    }

    @Test func aSlowPeerTimesOutWithinTheLimit() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/slow", timeoutSeconds: 1))
        }
        #expect(error?.isTimeout == true)
        #expect(error?.isConnectionFailure == false)
        // libcurl's own clock ("Operation timed out after 1001 milliseconds ..."), not the test's
        // (a loaded run may resume this task late): not before 1 s, well before the peer's 8 s.
        let elapsed = error?.message.split(separator: " ").drop { $0 != "after" }.dropFirst().first.flatMap { Int($0) }
        #expect(elapsed.map { $0 >= 1000 && $0 < 6000 } == true, "\(String(describing: error))")
    }

    @Test func aLargerBodyThanAllowedIsAnError() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/big", maxResponseBytes: 1000))
        }
        #expect(error?.isResponseTooLarge == true)
        #expect(error?.message == "the response is larger than 1000 bytes")
        let whole = try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/big", maxResponseBytes: 1 << 20))
        #expect(whole.body.count == 1 << 20)
    }

    @Test(arguments: ["file:///etc/passwd", "smtp://127.0.0.1:1/", "ftp://127.0.0.1/", "gopher://127.0.0.1/", "not a url"])
    func otherSchemesAndGarbageAreRefusedBeforeAnyTransfer(url: String) async {
        let error = await #expect(throws: CurlError.self) { try await CurlHTTP.perform(HTTPCall(url: url)) }
        #expect(error?.isInvalidRequest == true, "\(String(describing: error))")
    }

    @Test func headerInjectionAndBadMethodsAreRefused() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let url = "http://127.0.0.1:\(peer.port)/"
        let calls = [
            HTTPCall(url: url, headers: [HTTPField(name: "X-A", value: "1\r\nX-Injected: 2")]),
            HTTPCall(url: url, headers: [HTTPField(name: "X A", value: "1")]),
            HTTPCall(url: url, headers: [HTTPField(name: "", value: "1")]),
            HTTPCall(method: "GET /evil HTTP/1.1\r\n", url: url),
            HTTPCall(method: "", url: url),
        ]
        for call in calls {
            let error = await #expect(throws: CurlError.self) { try await CurlHTTP.perform(call) }
            #expect(error?.isInvalidRequest == true)
        }
        #expect(peer.requests().isEmpty)
    }

    @Test func anEmptyHeaderValueIsSentEmpty() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        _ = try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/", headers: [HTTPField(name: "X-Empty", value: "")]))
        #expect(peer.requests().first?.header("x-empty") == "")
    }

    @Test func cancellingTheCallerStopsTheTransfer() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let start = nowSpec()
        let task = Task(executorPreference: BlockingIO.executor) {
            try await CurlHTTP.perform(HTTPCall(url: "http://127.0.0.1:\(peer.port)/slow/20", timeoutSeconds: 30))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect(throws: CurlError.self) { try result.get() }
        // Not the peer's 200 after 20 s, nor a timeout: the transfer was stopped.
        if case .failure(let error as CurlError) = result { #expect(error.isCancelled) }
        #expect(milliseconds(since: start) < 15_000)
    }

    @Test func aSlowPeerDoesNotHoldUpOtherCalls() async throws {
        let peer = try PythonPeer.http()
        defer { peer.stop() }
        let url = "http://127.0.0.1:\(peer.port)"
        let slowDone = Atomic<Bool>(false)
        let slow = Task(executorPreference: BlockingIO.executor) {
            defer { slowDone.store(true, ordering: .sequentiallyConsistent) }
            return try await CurlHTTP.perform(HTTPCall(url: url + "/slow/20", timeoutSeconds: 30))
        }
        // The slow call is in flight (the peer has it) before the others start.
        let deadline = ContinuousClock.now + .seconds(15)
        while !peer.requests().map(\.path).contains("/slow/20") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(peer.requests().map(\.path).contains("/slow/20"))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<16 {
                group.addTask { try await CurlHTTP.perform(HTTPCall(url: url + "/status/\(200 + n)")).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(statuses) == Set(200..<216))
        let slowWasStillRunning = !slowDone.load(ordering: .sequentiallyConsistent)
        #expect(slowWasStillRunning) // the slow call takes 20 s
        slow.cancel()
        await #expect(throws: CurlError.self) { try await slow.value }
    }
}

@Suite("Curl: TLS", .blockingIO)
struct CurlTLSTests {
    @Test func aSelfSignedPeerIsRefusedByDefaultAndTrustedWithItsCertificate() async throws {
        let tls = try PythonPeer.selfSignedCertificate()
        defer { try? FileManager.default.removeItem(atPath: (tls.certificate as NSString).deletingLastPathComponent) }
        let peer = try PythonPeer.http(tls: tls)
        defer { peer.stop() }
        let url = "https://127.0.0.1:\(peer.port)/secure"
        let error = await #expect(throws: CurlError.self) { try await CurlHTTP.perform(HTTPCall(url: url)) }
        #expect(error?.isCertificateVerificationFailure == true, "\(String(describing: error))")
        #expect(error?.isTLSFailure == true)
        #expect(peer.requests().isEmpty)

        let trusted = try await CurlHTTP.perform(HTTPCall(url: url, caFile: tls.certificate))
        #expect(trusted.status == 200)
        let unverified = try await CurlHTTP.perform(HTTPCall(url: url, verifyPeer: false))
        #expect(unverified.status == 200)
        #expect(peer.requests().count == 2)
    }

    @Test func theHostNameIsVerifiedToo() async throws {
        // A certificate for another name, trusted as a CA: the chain verifies, the name does not.
        let tls = try PythonPeer.selfSignedCertificate(names: "DNS:meters.example")
        defer { try? FileManager.default.removeItem(atPath: (tls.certificate as NSString).deletingLastPathComponent) }
        let peer = try PythonPeer.http(tls: tls)
        defer { peer.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await CurlHTTP.perform(HTTPCall(url: "https://127.0.0.1:\(peer.port)/", caFile: tls.certificate))
        }
        #expect(error?.isCertificateVerificationFailure == true, "\(String(describing: error))")
    }
}
