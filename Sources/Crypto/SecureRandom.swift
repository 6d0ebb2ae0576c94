internal import COpenSSL

/// Bytes from OpenSSL's CSPRNG, which is seeded from the OS (getrandom). For nonces, tokens,
/// master keys.
public enum SecureRandom {
    /// Throws rather than ever returning weak or partial bytes if the source fails (RAND_bytes
    /// only fails when the OS entropy source does, e.g. very early in boot or in a sandbox).
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        guard count >= 0 else { throw .invalidLength(got: count, expected: "a count of 0 or more") }
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            // RAND_bytes takes an int length.
            let chunk = min(count - offset, 1 << 30)
            let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress! + offset, Int32(chunk)) }
            guard ok == 1 else { throw OpenSSLErrors.drain(after: "RAND_bytes") }
            offset += chunk
        }
        return bytes
    }
}
