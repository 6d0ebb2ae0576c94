internal import COpenSSL

/// Comparison of secrets (MACs, token digests) whose time does not depend on where the first
/// differing byte is, so a remote caller cannot find a valid MAC byte by byte.
public enum ConstantTime {
    /// Different lengths compare unequal at once: lengths are public (a MAC type fixes them).
    /// Equal lengths are compared in full with CRYPTO_memcmp.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}
