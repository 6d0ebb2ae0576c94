import Foundation
import Glibc

/// A request Tests/Peers/http_peer.py received.
public struct RecordedRequest: Decodable, Sendable {
    public var method: String
    public var path: String
    public var headers: [[String]]
    public var body: String

    public var bodyBytes: [UInt8] { Array(Data(base64Encoded: body) ?? Data()) }

    public func header(_ name: String) -> String? {
        headers.first { $0.first?.lowercased() == name.lowercased() }?.last
    }
}

/// A message Tests/Peers/smtp_peer.py accepted.
public struct ReceivedMail: Decodable, Sendable {
    public var mailFrom: String
    public var rcptTos: [String]
    public var data: String

    public var bytes: [UInt8] { Array(Data(base64Encoded: data) ?? Data()) }
}

extension PythonPeer {
    /// The recording HTTP peer, plain or with TLS from (certificate, key).
    public static func http(tls: (certificate: String, key: String)? = nil) throws -> PythonPeer {
        try PythonPeer(script: "http_peer.py", arguments: tls.map { ["--tls", $0.certificate, $0.key] } ?? [])
    }

    /// The recording aiosmtpd peer from the project's venv; throws (failing the test) with the
    /// fix when the venv or aiosmtpd is missing.
    public static func smtp(auth: String? = nil) throws -> PythonPeer {
        try PythonPeer(python: venvPython(needing: "aiosmtpd"), script: "smtp_peer.py", arguments: auth.map { ["--auth", $0] } ?? [])
    }

    /// What the HTTP peer received, in order.
    public func requests() -> [RecordedRequest] {
        guard let file = files(withSuffix: "requests.jsonl").first else { return [] }
        return String(decoding: file.data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONDecoder().decode(RecordedRequest.self, from: Data($0.utf8))
        }
    }

    /// What the SMTP peer accepted, in order.
    public func mails() -> [ReceivedMail] {
        files(withSuffix: ".json").sorted { Int($0.name.dropLast(5)) ?? 0 < Int($1.name.dropLast(5)) ?? 0 }
            .compactMap { try? JSONDecoder().decode(ReceivedMail.self, from: $0.data) }
    }

    /// A loopback port nobody listens on: bound, then closed.
    public static func closedPort() -> Int {
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
}
