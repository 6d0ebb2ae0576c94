internal import Glibc

/// The data directory holds the database and key files: created owner-only, and checked
/// writable before the server says it is ready.
enum DataDirectory {
    static func prepare(_ path: String) throws(Application.StartupError) {
        var components: [String] = []
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") where !part.isEmpty {
            current += "/" + part
            components.append(current)
        }
        for directory in components where mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw Application.StartupError(description: "cannot create data directory \(directory): errno \(errno)")
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Application.StartupError(description: "data directory \(path) is not a directory")
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw Application.StartupError(description: "data directory \(path) is not writable")
        }
    }
}
