internal import COpenSSL

/// A reusable AES-128 engine for hot paths: one `EVP_CIPHER_CTX` per mode, each fetched and
/// created once, re-keyed per call, working in place on the caller's buffer (no allocation per
/// call). The wM-Bus decoder re-keys for every telegram because each comes from another meter.
///
/// Re-keying passes a NULL cipher to `EVP_CipherInit_ex2` once a context holds its cipher:
/// OpenSSL 3 resets the context (freeing and re-allocating the provider state) whenever a
/// cipher is passed again, even the same one; with NULL it only runs the key schedule.
///
/// Not thread-safe: one instance per thread (or per decoder object).
public final class AESBlockCipher {
    private let ctr: Engine
    private let cbc: Engine
    private let ecb: Engine

    public init() throws(CryptoError) {
        ctr = try Engine(name: "AES-128-CTR", padding: nil)
        cbc = try Engine(name: "AES-128-CBC", padding: false)
        ecb = try Engine(name: "AES-128-ECB", padding: false)
    }

    /// AES-128-CTR over `data` in place; the 16-byte IV is one big-endian 128-bit counter
    /// (see `AES.CTR`). Any length. Encryption and decryption are the same operation.
    public func ctr(key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try ctr.run(key: key, iv: iv, encrypt: true, data: data)
    }

    /// AES-128-CBC decryption in place, no padding: `data.count` must be a multiple of 16.
    public func cbcDecrypt(key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try Self.requireBlocks(data.count)
        try cbc.run(key: key, iv: iv, encrypt: false, data: data)
    }

    /// AES-128-CBC encryption in place, no padding: `data.count` must be a multiple of 16.
    public func cbcEncrypt(key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try Self.requireBlocks(data.count)
        try cbc.run(key: key, iv: iv, encrypt: true, data: data)
    }

    /// AES-128 of single blocks (ECB) in place: `data.count` must be a multiple of 16.
    public func ecbEncrypt(key: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        try Self.requireBlocks(data.count)
        try ecb.run(key: key, iv: nil, encrypt: true, data: data)
    }

    // MARK: array conveniences (no copies: the ranges are worked on in place)

    public func ctr(key: [UInt8], iv: [UInt8], data: inout [UInt8], range: Range<Int>) throws(CryptoError) {
        try Self.withBuffers(key: key, iv: iv, data: &data, range: range) { k, v, d throws(CryptoError) in try ctr(key: k, iv: v, data: d) }
    }

    public func cbcDecrypt(key: [UInt8], iv: [UInt8], data: inout [UInt8], range: Range<Int>) throws(CryptoError) {
        try Self.withBuffers(key: key, iv: iv, data: &data, range: range) { k, v, d throws(CryptoError) in try cbcDecrypt(key: k, iv: v, data: d) }
    }

    public func cbcEncrypt(key: [UInt8], iv: [UInt8], data: inout [UInt8], range: Range<Int>) throws(CryptoError) {
        try Self.withBuffers(key: key, iv: iv, data: &data, range: range) { k, v, d throws(CryptoError) in try cbcEncrypt(key: k, iv: v, data: d) }
    }

    private static func withBuffers(key: [UInt8], iv: [UInt8], data: inout [UInt8], range: Range<Int>,
                                    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws(CryptoError) -> Void) throws(CryptoError) {
        guard range.lowerBound >= 0, range.upperBound <= data.count else {
            throw .invalidLength(got: range.upperBound, expected: "a range within the \(data.count)-byte buffer")
        }
        let result: Result<Void, CryptoError> = key.withUnsafeBytes { k in
            iv.withUnsafeBytes { v in
                data.withUnsafeMutableBytes { d in
                    do throws(CryptoError) {
                        try body(k, v, UnsafeMutableRawBufferPointer(rebasing: d[range]))
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        try result.get()
    }

    private static func requireBlocks(_ count: Int) throws(CryptoError) {
        guard count % AES.blockSize == 0 else { throw .invalidLength(got: count, expected: "a multiple of 16 bytes") }
    }
}

extension AESBlockCipher {
    /// One fetched cipher and its context. `primed` says the context already holds the cipher,
    /// so later calls re-key with a NULL cipher (see the type's comment).
    private final class Engine {
        let cipher: OpaquePointer
        let context: OpaquePointer
        let padding: Bool?
        var primed = false

        init(name: String, padding: Bool?) throws(CryptoError) {
            guard let cipher = EVP_CIPHER_fetch(nil, name, nil) else { throw OpenSSLErrors.drain(after: "EVP_CIPHER_fetch(\(name))") }
            guard let context = EVP_CIPHER_CTX_new() else {
                EVP_CIPHER_free(cipher)
                throw OpenSSLErrors.drain(after: "EVP_CIPHER_CTX_new")
            }
            self.cipher = cipher
            self.context = context
            self.padding = padding
        }

        deinit {
            // Also wipes the key schedule left in the context.
            EVP_CIPHER_CTX_free(context)
            EVP_CIPHER_free(cipher)
        }

        func run(key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer?, encrypt: Bool, data: UnsafeMutableRawBufferPointer) throws(CryptoError) {
            guard key.count == AES.keySize else { throw .invalidKeyLength(expected: AES.keySize, got: key.count) }
            if let iv, iv.count != AES.blockSize { throw .invalidIVLength(expected: AES.blockSize, got: iv.count) }
            guard data.count <= Int(Int32.max) else { throw .invalidLength(got: data.count, expected: "at most 2 GiB") }
            let keyBytes = key.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let ivBytes = iv?.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard EVP_CipherInit_ex2(context, primed ? nil : cipher, keyBytes, ivBytes, encrypt ? 1 : 0, nil) == 1 else {
                primed = false
                throw OpenSSLErrors.drain(after: "EVP_CipherInit_ex2")
            }
            // Set on every call: cheap next to CBC's use (mode 5/7), and not to be relied on across
            // re-initialisations.
            if let padding {
                guard EVP_CIPHER_CTX_set_padding(context, padding ? 1 : 0) == 1 else { throw OpenSSLErrors.drain(after: "EVP_CIPHER_CTX_set_padding") }
            }
            primed = true
            guard data.count > 0 else { return }
            let bytes = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var written: Int32 = 0
            // In place: OpenSSL allows the output to be exactly the input.
            guard EVP_CipherUpdate(context, bytes, &written, bytes, Int32(data.count)) == 1 else {
                throw OpenSSLErrors.drain(after: "EVP_CipherUpdate")
            }
            guard Int(written) == data.count else { throw .openssl("EVP_CipherUpdate wrote \(written) of \(data.count) bytes") }
        }
    }
}
