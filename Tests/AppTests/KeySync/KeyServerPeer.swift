import Foundation
import Glibc

/// `Tests/Peers/key_server.py` as a child process: a real HTTP key server on loopback whose
/// answers the test rewrites through its JSON configuration file.
final class KeyServerPeer: @unchecked Sendable {
    let process: Process
    let port: Int
    let configPath: String

    static func start(_ config: [String: Any]) throws -> KeyServerPeer {
        let configPath = NSTemporaryDirectory() + "fjern-key-server-\(UUID().uuidString).json"
        try write(config, to: configPath)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Peers/key_server.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, configPath]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        // The script prints its port first.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw PeerFailure(description: "the key server did not start: \(String(decoding: line, as: UTF8.self))")
        }
        return KeyServerPeer(process: process, port: port, configPath: configPath)
    }

    private init(process: Process, port: Int, configPath: String) {
        self.process = process
        self.port = port
        self.configPath = configPath
    }

    func configure(_ config: [String: Any]) throws { try Self.write(config, to: configPath) }

    /// The requests so far as "since<TAB>Authorization".
    var requests: [String] {
        ((try? String(contentsOfFile: configPath + ".log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() {
        // Not Process.waitUntilExit: it waits on a run loop that a test thread never runs.
        let pid = process.processIdentifier
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: configPath)
        try? FileManager.default.removeItem(atPath: configPath + ".log")
    }

    private static func write(_ config: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: config)
        // Replaced whole, so the server never reads half a file.
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    struct PeerFailure: Error, CustomStringConvertible { var description: String }
}
