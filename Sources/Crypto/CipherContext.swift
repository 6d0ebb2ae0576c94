internal import COpenSSL

/// The OpenSSL ciphers this module uses. Each `EVP_aes_*` call returns a static descriptor,
/// so nothing is allocated or freed here.
enum CipherKind {
    case aes128ECB, aes128CBC, aes128CTR, aes256GCM

    var evp: OpaquePointer {
        switch self {
        case .aes128ECB: EVP_aes_128_ecb()
        case .aes128CBC: EVP_aes_128_cbc()
        case .aes128CTR: EVP_aes_128_ctr()
        case .aes256GCM: EVP_aes_256_gcm()
        }
    }
}

/// One `EVP_CIPHER_CTX`, created for one operation and freed when it goes out of scope.
/// A fresh context per call keeps every public function free of shared mutable state, so they
/// are safe to call from any thread at once. `~Copyable` because it owns the C pointer.
struct CipherContext: ~Copyable {
    /// EVP_CipherUpdate takes an `int` length; larger inputs are fed in chunks of this size.
    private static let maxChunk = 1 << 30
    /// Room for a block that OpenSSL may hold back or emit on top of the input's own length.
    private static let slack = 32

    private let context: OpaquePointer

    /// Checks the key and IV lengths against the cipher's own figures, so callers get
    /// `invalidKeyLength` / `invalidIVLength` rather than an OpenSSL error or a read past the end.
    init(_ kind: CipherKind, key: [UInt8], iv: [UInt8], encrypt: Bool, padding: Bool = false) throws(CryptoError) {
        let cipher = kind.evp
        let keyLength = Int(EVP_CIPHER_get_key_length(cipher))
        guard key.count == keyLength else { throw .invalidKeyLength(expected: keyLength, got: key.count) }
        let ivLength = Int(EVP_CIPHER_get_iv_length(cipher))
        guard iv.count == ivLength else { throw .invalidIVLength(expected: ivLength, got: iv.count) }
        guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLErrors.drain(after: "EVP_CIPHER_CTX_new") }
        // ECB has no IV: pass NULL rather than the address of an empty array.
        let initialised = iv.isEmpty
            ? EVP_CipherInit_ex(context, cipher, nil, key, nil, encrypt ? 1 : 0)
            : EVP_CipherInit_ex(context, cipher, nil, key, iv, encrypt ? 1 : 0)
        guard initialised == 1, EVP_CIPHER_CTX_set_padding(context, padding ? 1 : 0) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw OpenSSLErrors.drain(after: "EVP_CipherInit_ex")
        }
        self.context = context
    }

    deinit {
        // Also wipes the expanded key schedule held by the context.
        EVP_CIPHER_CTX_free(context)
    }

    /// Feeds `input` through the cipher and appends what comes out to `output`.
    func update(_ input: [UInt8], into output: inout [UInt8]) throws(CryptoError) {
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, Self.maxChunk)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: chunk + Self.slack))
            var written: Int32 = 0
            let ok = output.withUnsafeMutableBufferPointer { out in
                input.withUnsafeBufferPointer { bytes in
                    EVP_CipherUpdate(context, out.baseAddress! + start, &written,
                                     bytes.baseAddress! + offset, Int32(chunk))
                }
            }
            output.removeLast(chunk + Self.slack - (ok == 1 ? Int(written) : 0))
            guard ok == 1 else { throw OpenSSLErrors.drain(after: "EVP_CipherUpdate") }
            offset += chunk
        }
    }

    /// Additional authenticated data for AEAD modes: an update with no output buffer.
    func authenticate(_ aad: [UInt8]) throws(CryptoError) {
        var offset = 0
        while offset < aad.count {
            let chunk = min(aad.count - offset, Self.maxChunk)
            var written: Int32 = 0
            let ok = aad.withUnsafeBufferPointer { bytes in
                EVP_CipherUpdate(context, nil, &written, bytes.baseAddress! + offset, Int32(chunk))
            }
            guard ok == 1 else { throw OpenSSLErrors.drain(after: "EVP_CipherUpdate(AAD)") }
            offset += chunk
        }
    }

    /// Flushes the last block (padding, GCM tag check) into `output`. Returns false when
    /// OpenSSL rejects the data: bad PKCS#7 padding on decryption or a GCM tag mismatch. The
    /// caller knows which it means, and clears or drains the error queue accordingly.
    func finish(into output: inout [UInt8]) -> Bool {
        var last = [UInt8](repeating: 0, count: Self.slack)
        var written: Int32 = 0
        guard EVP_CipherFinal_ex(context, &last, &written) == 1 else { return false }
        output.append(contentsOf: last.prefix(Int(written)))
        return true
    }

    /// The 16-byte GCM tag, after `finish` when encrypting.
    func gcmTag() throws(CryptoError) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: AESGCM.tagSize)
        guard fjern_gcm_get_tag(context, &tag, Int32(tag.count)) == 1 else {
            throw OpenSSLErrors.drain(after: "EVP_CTRL_GCM_GET_TAG")
        }
        return tag
    }

    /// The tag to check, before `finish` when decrypting.
    func setGCMTag(_ tag: [UInt8]) throws(CryptoError) {
        guard fjern_gcm_set_tag(context, tag, Int32(tag.count)) == 1 else {
            throw OpenSSLErrors.drain(after: "EVP_CTRL_GCM_SET_TAG")
        }
    }

    /// Whole-buffer convenience for the modes without a tag: update then finish.
    /// With padding on, a failed finish means bad padding: the only check these modes make on
    /// the data, and the callers have already checked the block alignment.
    static func run(_ kind: CipherKind, key: [UInt8], iv: [UInt8], encrypt: Bool, padding: Bool,
                    input: [UInt8]) throws(CryptoError) -> [UInt8] {
        let context = try CipherContext(kind, key: key, iv: iv, encrypt: encrypt, padding: padding)
        var output: [UInt8] = []
        output.reserveCapacity(input.count + AES.blockSize)
        try context.update(input, into: &output)
        guard context.finish(into: &output) else {
            guard padding else { throw OpenSSLErrors.drain(after: "EVP_CipherFinal_ex") }
            OpenSSLErrors.clear()
            throw .invalidPadding
        }
        return output
    }
}
