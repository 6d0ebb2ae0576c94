import Foundation
import Glibc
import Synchronization
import Testing
import TestSupport

/// A real `fjern` process is killed with SIGKILL while four clients stream writes; after a
/// restart every write it acknowledged must be there. Three rounds on the same data.
@Suite("Crash safety", .serialized, .blockingIO)
struct CrashSafetyTests {
    static var binary: String {
        let beside = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().appendingPathComponent("fjern").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/fjern").path
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "fjern \(arguments.joined(separator: " "))")
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func serve(dataDir: String, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--addr", "127.0.0.1:\(port)", "--data-dir", dataDir, "--log-requests", "off"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if let client = try? RawClient(port: port, timeoutSeconds: 2) {
                if (try? client.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")) != nil,
                   (try? client.readResponse())?.status == 200 { return process }
            }
            usleep(50_000)
        }
        process.terminate()
        throw NotReady()
    }

    @Test func acknowledgedWritesSurviveSIGKILL() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build fjern first (swift build)")
        let dataDir = NSTemporaryDirectory() + "fjern-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dataDir) }
        let token = try Self.run(["admin", "bootstrap", "--data-dir", dataDir, "--tenant", "crash"])
        #expect(token.hasPrefix("fj_"))
        let acknowledged = Mutex<[String]>([])
        for round in 0..<3 {
            let port = Self.freePort()
            let server = try Self.serve(dataDir: dataDir, port: port)
            let stop = Atomic<Bool>(false)
            let writers = (0..<4).map { writer in
                Background {
                    var n = 0
                    while !stop.load(ordering: .relaxed) {
                        n += 1
                        let email = "r\(round)w\(writer)n\(n)@crash.example"
                        let body = #"{"name":"n","email":"\#(email)","role":"user"}"#
                        guard let client = try? RawClient(port: port, timeoutSeconds: 5),
                              (try? client.send("POST /v1/users HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n"
                                                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")) != nil,
                              let response = try? client.readResponse() else { continue }
                        if response.status == 201, let id = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["id"] as? String {
                            acknowledged.withLock { $0.append(id) }
                        }
                    }
                }
            }
            // Kill mid-traffic once this round has had acknowledgements (counted, not timed).
            let before = acknowledged.withLock { $0.count }
            let started = nowSpec()
            while acknowledged.withLock({ $0.count }) < before + 10 && milliseconds(since: started) < 60_000 { usleep(10_000) }
            usleep(UInt32.random(in: 0...300_000))
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            stop.store(true, ordering: .relaxed)
            writers.forEach { $0.join() }
            #expect(server.terminationReason == .uncaughtSignal)
        }
        let ids = acknowledged.withLock { $0 }
        #expect(ids.count > 20, "too few writes were acknowledged to mean anything")
        let port = Self.freePort()
        let server = try Self.serve(dataDir: dataDir, port: port)
        defer { server.terminate(); server.waitUntilExit() }
        var missing: [String] = []
        for id in ids {
            let client = try RawClient(port: port)
            try client.send("GET /v1/users/\(id) HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n\r\n")
            if try client.readResponse().status != 200 { missing.append(id) }
        }
        #expect(missing.isEmpty, "\(missing.count) of \(ids.count) acknowledged users lost")
    }
}
struct NotReady: Error {}
