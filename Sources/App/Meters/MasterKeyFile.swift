internal import Crypto
internal import Glibc

/// The master key file: 32 random bytes as 64 hex digits, created owner-only (0600) with
/// O_EXCL on first start, refused when others may read it.
enum MasterKeyFile {
    static func loadOrCreate(_ path: String) throws(Application.StartupError) -> [UInt8] {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            defer { close(fd) }
            guard let key = try? SecureRandom.bytes(32) else {
                throw Application.StartupError(description: "cannot draw a random master key")
            }
            let text = Array((Hex.encode(key) + "\n").utf8)
            let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == text.count, fsync(fd) == 0 else {
                unlink(path)
                throw Application.StartupError(description: "cannot write the master key file \(path): errno \(errno)")
            }
            return key
        }
        guard errno == EEXIST else {
            throw Application.StartupError(description: "cannot create the master key file \(path): errno \(errno)")
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Application.StartupError(description: "cannot read the master key file \(path): errno \(errno)")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw Application.StartupError(description: "the master key file \(path) is readable by others; chmod 600 it")
        }
        let rfd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard rfd >= 0 else {
            throw Application.StartupError(description: "cannot open the master key file \(path): errno \(errno)")
        }
        defer { close(rfd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { read(rfd, $0.baseAddress, $0.count) }
        guard n > 0, let text = String(validating: buffer[0..<n], as: UTF8.self),
              let key = try? Hex.decode(text.filter { !$0.isWhitespace }), key.count == 32 else {
            throw Application.StartupError(description: "the master key file \(path) does not hold 64 hex digits")
        }
        return key
    }
}
