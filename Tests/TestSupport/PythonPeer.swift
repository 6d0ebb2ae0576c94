public import Foundation
import Glibc

/// A peer process for tests that talk to real servers (Tests/Peers/*.py): started with a temp
/// directory to record into, its port read from the first line it prints, killed on `stop()`
/// (or deinit). The scripts also exit by themselves after their lifetime.
public final class PythonPeer: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public let port: Int
    /// Where the peer records what it received; removed on `stop()`.
    public let directory: String
    private let process: Process

    /// The repository's root, found from this file's path.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The project's venv Python (`.build/venv`), which has aiosmtpd; fails with the fix when it does not.
    public static func venvPython(needing module: String) throws -> String {
        let python = root + "/.build/venv/bin/python"
        let missing = Failure(description: "\(module) is not installed in \(root)/.build/venv: run ./scripts/setup-venv once (./scripts/test does it)")
        guard FileManager.default.isExecutableFile(atPath: python) else { throw missing }
        guard (try? run(python, ["-c", "import \(module)"])) != nil else { throw missing }
        return python
    }

    /// `script` (a file in Tests/Peers) under `python` with `--dir <temp> arguments...`.
    /// `python` is a path, or a name looked up on PATH (the default: the system's python3).
    public init(python: String = "python3", script: String, arguments: [String] = []) throws {
        directory = NSTemporaryDirectory() + "fjern-peer-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        let command = [python, Self.root + "/Tests/Peers/" + script, "--dir", directory] + arguments
        process.executableURL = URL(fileURLWithPath: python.contains("/") ? python : "/usr/bin/env")
        process.arguments = python.contains("/") ? Array(command.dropFirst()) : command
        let out = Pipe()
        let errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        // The first line is the port; EOF first means the script failed to start.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw Failure(description: "\(script) did not start: \(stderr)")
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            // SIGKILL: SIGTERM may be blocked in the mask the child inherited from a test thread.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The files the peer wrote, sorted by name, with their contents.
    public func files(withSuffix suffix: String) -> [(name: String, data: Data)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: directory + "/" + name).map { (name, $0) }
        }
    }

    /// Runs a command (a path, or a name looked up on PATH) to its end; throws with its stderr
    /// when it fails. Returns its stdout.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.contains("/") ? executable : "/usr/bin/env")
        process.arguments = executable.contains("/") ? arguments : [executable] + arguments
        let out = Pipe()
        let errors = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")): \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A self-signed certificate (by default for 127.0.0.1 and localhost) in a new temp
    /// directory: (certificate, key) PEM paths. The certificate is its own CA.
    public static func selfSignedCertificate(names: String = "IP:127.0.0.1,DNS:localhost") throws -> (certificate: String, key: String) {
        let directory = NSTemporaryDirectory() + "fjern-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = directory + "/cert.pem", key = directory + "/key.pem"
        try run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                     "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
                                     "-addext", "subjectAltName=" + names])
        return (certificate, key)
    }
}
