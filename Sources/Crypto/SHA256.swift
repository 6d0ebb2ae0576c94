internal import COpenSSL

/// SHA-256 (FIPS 180-4). API tokens are stored as their SHA-256; HMAC builds on it too.
public enum SHA256 {
    public static let digestSize = 32

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestSize)
        var written: UInt32 = 0
        // Fails only if OpenSSL cannot allocate or its provider is missing: no input causes it.
        guard EVP_Digest(bytes, bytes.count, &digest, &written, EVP_sha256(), nil) == 1, written == digestSize else {
            fatalError("\(OpenSSLErrors.drain(after: "EVP_Digest(SHA-256)"))")
        }
        return digest
    }

    /// Incremental hashing for input that arrives in pieces. A value type: copies hash on
    /// independently (copy-on-write of the OpenSSL context), and `finalize` does not consume
    /// it, so a running hash can be read and then continued.
    public struct Hasher: Sendable {
        private var state = DigestState()

        public init() {}

        public mutating func update(_ bytes: [UInt8]) {
            if !isKnownUniquelyReferenced(&state) { state = state.copy() }
            state.update(bytes)
        }

        /// The digest of everything passed to `update` so far.
        public func finalize() -> [UInt8] {
            state.copy().finish()
        }
    }
}

/// Owns one `EVP_MD_CTX`. `@unchecked Sendable` because `Hasher` only mutates it when it holds
/// the sole reference, and a shared one is only read (by `EVP_MD_CTX_copy_ex`).
private final class DigestState: @unchecked Sendable {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("\(OpenSSLErrors.drain(after: "EVP_DigestInit_ex(SHA-256)"))")
        }
        self.context = context
    }

    private init(copying other: DigestState) {
        guard let context = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(context, other.context) == 1 else {
            fatalError("\(OpenSSLErrors.drain(after: "EVP_MD_CTX_copy_ex"))")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    func copy() -> DigestState { DigestState(copying: self) }

    func update(_ bytes: [UInt8]) {
        guard EVP_DigestUpdate(context, bytes, bytes.count) == 1 else {
            fatalError("\(OpenSSLErrors.drain(after: "EVP_DigestUpdate"))")
        }
    }

    func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: SHA256.digestSize)
        var written: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &written) == 1 else {
            fatalError("\(OpenSSLErrors.drain(after: "EVP_DigestFinal_ex"))")
        }
        return digest
    }
}
