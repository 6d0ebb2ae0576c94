/// Domain failures of the store. The App maps them (and SQLite's constraint errors) to
/// problems in one place.
public enum StoreError: Error, Sendable, Equatable {
    case notFound(String)
    /// `If-Match` named another version; carries the current one.
    case versionMismatch(current: Int)
    case conflict(String)
    case invalid(String)
    /// What the request points at existed but retention removed it (an event cursor).
    case gone(String)
}
