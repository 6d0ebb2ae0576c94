import Glibc
public import HTTPServer

/// Reads a streamed (chunked or close-delimited) response from a raw socket piece by piece,
/// so tests can watch chunks arrive while the stream is still open.
public final class StreamReader {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    private let fd: Int32
    private var buffer: [UInt8] = []

    /// `fd`: a connected socket with a receive timeout (RawClient's).
    public init(fd: Int32) {
        self.fd = fd
    }

    /// Reads more bytes; false on EOF or reset.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "recv failed or timed out: errno \(errno)")
    }

    private func line() throws -> String {
        while true {
            if let i = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let text = String(decoding: buffer[0..<i], as: UTF8.self)
                buffer.removeFirst(i + 2)
                return text
            }
            guard try fill() else { throw Failure(description: "EOF inside a line") }
        }
    }

    /// The status and headers.
    public func head() throws -> (status: Int, headers: HTTPHeaders) {
        let statusLine = try line().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line") }
        var headers = HTTPHeaders()
        while true {
            let field = try line()
            if field.isEmpty { return (status, headers) }
            guard let colon = field.firstIndex(of: ":") else { continue }
            headers.add(String(field[..<colon]), String(field[field.index(after: colon)...].drop { $0 == " " }))
        }
    }

    /// The next chunk's bytes; nil after the last (zero-size) chunk.
    public func chunk() throws -> [UInt8]? {
        guard let size = Int(try line(), radix: 16) else { throw Failure(description: "bad chunk size") }
        while buffer.count < size + 2 {
            guard try fill() else { throw Failure(description: "EOF inside a chunk") }
        }
        let data = Array(buffer[0..<size])
        guard buffer[size] == 13, buffer[size + 1] == 10 else { throw Failure(description: "chunk without CRLF") }
        buffer.removeFirst(size + 2)
        if size == 0 { return nil }
        return data
    }

    /// Chunk data as text until it contains `needle` (or the stream ends); everything read.
    public func text(until needle: String) throws -> String {
        var text = ""
        while !text.contains(needle) {
            guard let chunk = try chunk() else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return text
    }

    /// True when the server closed the connection within the receive timeout.
    public func readsEOF() -> Bool {
        (try? fill()) == false && buffer.isEmpty
    }
}
