/// How a transaction takes its locks.
public enum TransactionKind: String, Sendable {
    /// Locks on first use. For reads: the snapshot starts at the first SELECT.
    case deferred = "DEFERRED"
    /// Takes the write lock at BEGIN. For writes: a BUSY surfaces at BEGIN (where it can be
    /// waited out by busy_timeout) instead of at the first write, in the middle of the work.
    case immediate = "IMMEDIATE"
    case exclusive = "EXCLUSIVE"
}

extension Connection {
    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    ///
    /// Called inside a transaction it becomes a savepoint instead (the kind is then moot), so
    /// helpers that need atomicity can be composed without knowing whether a caller already
    /// opened one.
    @discardableResult
    public func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIfActive()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            // COMMIT can fail (deferred foreign keys, SQLITE_BUSY, I/O); leave nothing half open.
            rollbackIfActive()
            throw error
        }
        return result
    }

    /// Runs `body` inside a savepoint: released when it returns, rolled back to (and released)
    /// when it throws, leaving the enclosing transaction usable. Outside a transaction it behaves
    /// like a deferred transaction.
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepointCounter += 1
        let name = "fjern_sp\(savepointCounter)"
        defer { savepointCounter -= 1 }
        try execute("SAVEPOINT \(name)")
        let result: T
        do {
            result = try body()
        } catch {
            // Some errors (SQLITE_INTERRUPT, SQLITE_FULL, ...) make SQLite roll back the whole
            // transaction by itself; the savepoint is then gone and there is nothing to undo.
            if isInTransaction {
                try? execute("ROLLBACK TO \(name); RELEASE \(name)")
            }
            throw error
        }
        do {
            try execute("RELEASE \(name)")
        } catch {
            if isInTransaction { try? execute("ROLLBACK TO \(name); RELEASE \(name)") }
            throw error
        }
        return result
    }

    func rollbackIfActive() {
        // After an automatic rollback a ROLLBACK would only fail with "no transaction is active".
        if isInTransaction { try? execute("ROLLBACK") }
    }
}
