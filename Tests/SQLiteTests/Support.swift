import FoundationEssentials
import Glibc
import SQLite
import Synchronization

/// A fresh directory under /tmp, removed with everything in it when `body` returns or throws.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array("/tmp/fjern-sqlite-XXXXXX".utf8CString)
    guard let raw = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
    let directory = String(cString: raw)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

/// A plain connection on a fresh file, for tests of the synchronous API.
func withConnection<T>(_ body: (Connection) throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        let connection = try Connection(path: directory + "/test.db")
        defer { connection.close() }
        return try body(connection)
    }
}

/// A pool on a fresh file, closed before the directory is removed.
func withPool<T: Sendable>(readers: Int = 4, synchronous: Connection.Configuration.Synchronous = .full,
                           _ body: (DatabasePool, String) async throws -> T) async throws -> T {
    try await withTemporaryDirectory { directory in
        var configuration = DatabasePool.Configuration()
        configuration.readerCount = readers
        configuration.writer.synchronous = synchronous
        let path = directory + "/test.db"
        let pool = try DatabasePool(path: path, configuration: configuration)
        do {
            let result = try await body(pool, path)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : -1
}

/// An atomic that closures handed to tasks can capture (a local `Atomic` cannot be captured).
final class Box<Value: AtomicRepresentable & Sendable>: Sendable {
    let atomic: Atomic<Value>
    init(_ value: Value) { atomic = Atomic(value) }
}
