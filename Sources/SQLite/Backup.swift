internal import CSQLite
internal import Glibc

extension DatabasePool {
    /// Writes a consistent copy of the database to `path` while the pool keeps working.
    ///
    /// Copies with the `sqlite3_backup_*` API, `pagesPerStep` pages at a time, from a reader
    /// that holds one read transaction for the whole copy: the copy is the snapshot at the
    /// start, and in WAL mode the writer is never blocked (nor restarts the copy). The copy is
    /// written to `path.partial`, synced, then renamed over `path`, so `path` is always either
    /// the previous backup or a complete new one.
    public func backup(to path: String, pagesPerStep: Int = 1024) async throws {
        try await withReader { source in
            let partial = path + ".partial"
            unlink(partial)
            var destinationConfiguration = Connection.Configuration()
            destinationConfiguration.walMode = false
            let destination = try Connection(path: partial, configuration: destinationConfiguration)
            do {
                try source.transaction(.deferred) {
                    // A deferred transaction takes its snapshot at the first read; take it now.
                    _ = try source.scalar("SELECT count(*) FROM sqlite_schema") as Int64?
                    try copyPages(from: source, to: destination, pagesPerStep: pagesPerStep)
                }
                destination.close()
            } catch {
                destination.close()
                unlink(partial)
                throw error
            }
            guard rename(partial, path) == 0 else {
                let code = errno
                unlink(partial)
                throw SQLiteError(.cantOpen, message: "cannot rename backup to \(path): \(String(cString: strerror(code)))")
            }
            syncDirectory(of: path)
        }
    }
}

private func copyPages(from source: Connection, to destination: Connection, pagesPerStep: Int) throws {
    guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
        throw SQLiteError.last(destination.handle, code: sqlite3_errcode(destination.handle))
    }
    var rc: CInt
    repeat {
        rc = sqlite3_backup_step(backup, CInt(clamping: pagesPerStep))
        if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(5) }
        // Cooperative cancellation between steps; the reader thread is ours, so no interrupt.
        if Task.isCancelled { break }
    } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
    // finish releases the backup whatever happened; its code reports the first error.
    let finish = sqlite3_backup_finish(backup)
    if Task.isCancelled { throw CancellationError() }
    guard rc == SQLITE_DONE, finish == SQLITE_OK else {
        throw SQLiteError.last(destination.handle, code: rc == SQLITE_DONE ? finish : rc)
    }
}

/// Makes the rename itself durable: without an fsync of the directory, a power loss right after
/// the backup could leave the old name pointing at nothing.
private func syncDirectory(of path: String) {
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
}
