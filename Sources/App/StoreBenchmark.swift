internal import FoundationEssentials
internal import Glibc
internal import Store

/// `fjern admin bench-store`: the raw insert ceiling of the readings table on a scratch
/// database beside the given directory, for `scripts/bench-ingest` to compare Fjern against.
enum StoreBenchmark {
    static func run(_ flags: AdminCommands.Flags) async throws -> String {
        let rows = Int(flags["--rows"] ?? "") ?? 1_000_000
        let meters = Int(flags["--meters"] ?? "") ?? 10_000
        let batch = Int(flags["--batch"] ?? "") ?? 1000
        guard rows > 0, meters > 0, batch > 0 else { throw AdminCommands.Failure(message: "--rows, --meters and --batch must be positive", code: 2) }
        var template = Array(((flags["--dir"] ?? "/tmp") + "/fjern-bench-store-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw AdminCommands.Failure(message: "cannot create a scratch directory", code: 1)
        }
        let directory = String(cString: made)
        defer { _ = try? FileManager.default.removeItem(atPath: directory) }
        let store = try await Store(directory: directory)
        let result = try await store.measureInsertCeiling(rows: rows, meters: meters, batch: batch)
        await store.close()
        return "raw_rows_per_second=\(Int(result.rowsPerSecond))\nraw_bytes_per_row=\((result.bytesPerRow * 10).rounded() / 10)"
    }
}
