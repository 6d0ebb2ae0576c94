/// How far a WAL checkpoint goes (`PRAGMA wal_checkpoint(MODE)`).
public enum CheckpointMode: String, Sendable {
    /// Copies what it can without waiting for readers.
    case passive = "PASSIVE"
    /// Waits for readers of older snapshots, then copies everything.
    case full = "FULL"
    /// FULL, then truncates the WAL file to zero bytes (disk space back after bulk loads).
    case truncate = "TRUNCATE"
}

/// The outcome of a checkpoint, as SQLite reports it.
public struct CheckpointResult: Sendable, Equatable {
    /// True when a reader or another writer prevented the checkpoint from finishing.
    public var busy: Bool
    /// Frames in the WAL, and frames copied into the database file.
    public var walFrames: Int
    public var checkpointedFrames: Int
}

extension DatabasePool {
    /// Copies WAL content into the database file on the writer. SQLite checkpoints by itself
    /// every 1000 pages; call this after bulk work or before a file-level copy.
    @discardableResult
    public func checkpoint(_ mode: CheckpointMode = .passive) async throws -> CheckpointResult {
        try await writeWithoutTransaction { connection in
            var result = CheckpointResult(busy: false, walFrames: 0, checkpointedFrames: 0)
            try connection.query("PRAGMA wal_checkpoint(\(mode.rawValue))") { row in
                result = CheckpointResult(busy: row.int(0) != 0, walFrames: row.int(1), checkpointedFrames: row.int(2))
            }
            return result
        }
    }
}
