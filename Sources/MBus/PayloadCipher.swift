internal import Crypto

/// The reusable AES context of one decoder (or thread). Decryption works in place.
/// - ELL AES-CTR (every Kamstrup C1 telegram) goes through a per-key cache of pre-keyed
///   contexts (`AESKeyCache`, `keyCacheCapacity` keys, default 16,384 ≥ the 10,000 meters of
///   a large network): OpenSSL 3.0 re-keying costs more than the rest of the telegram.
/// - CBC (modes 5/7) re-keys one context per call (`AESBlockCipher`).
/// Not thread-safe; not Sendable.
public final class PayloadCipher {
    private var engine: AESBlockCipher?
    private var keys: AESKeyCache?
    public let keyCacheCapacity: Int

    public init(keyCacheCapacity: Int = 16_384) {
        self.keyCacheCapacity = keyCacheCapacity
    }

    private func keyCache() throws(DecodeError) -> AESKeyCache {
        if let keys { return keys }
        do {
            let created = try AESKeyCache(capacity: keyCacheCapacity)
            keys = created
            return created
        } catch {
            throw DecodeError(.unsupported, "AES-128 is not available from OpenSSL: \(error)")
        }
    }

    /// Created on first use so that `init` cannot fail; OpenSSL failing to provide AES-128 is
    /// reported on the telegram that needed it.
    private func cipher() throws(DecodeError) -> AESBlockCipher {
        if let engine { return engine }
        do {
            let created = try AESBlockCipher()
            engine = created
            return created
        } catch {
            throw DecodeError(.unsupported, "AES-128 is not available from OpenSSL: \(error)")
        }
    }

    /// AES-CTR over `data[range]` in place with a 16-byte IV.
    func ctr(key: [UInt8], iv: UnsafeRawBufferPointer, data: inout [UInt8], range: Range<Int>) throws(DecodeError) {
        let keys = try keyCache()
        try Self.run(key: key, data: &data, range: range) { k, d throws(CryptoError) in try keys.ctr(key: k, iv: iv, data: d) }
    }

    /// AES-CBC decryption of `data[range]` (whole blocks) in place.
    func cbcDecrypt(key: [UInt8], iv: UnsafeRawBufferPointer, data: inout [UInt8], range: Range<Int>) throws(DecodeError) {
        let engine = try cipher()
        try Self.run(key: key, data: &data, range: range) { k, d throws(CryptoError) in try engine.cbcDecrypt(key: k, iv: iv, data: d) }
    }

    /// AES-CBC encryption of `data[range]` (whole blocks) in place: the encoder's half.
    func cbcEncrypt(key: [UInt8], iv: UnsafeRawBufferPointer, data: inout [UInt8], range: Range<Int>) throws(DecodeError) {
        let engine = try cipher()
        try Self.run(key: key, data: &data, range: range) { k, d throws(CryptoError) in try engine.cbcEncrypt(key: k, iv: iv, data: d) }
    }

    /// AES-CMAC-128 (not on a hot path: mode 7 only).
    func cmac(key: [UInt8], message: [UInt8]) throws(DecodeError) -> [UInt8] {
        do {
            return try AES.CMAC.mac(key: key, message: message)
        } catch {
            throw DecodeError(.decryptionFailed, "AES-CMAC failed: \(error)")
        }
    }

    private static func run(key: [UInt8], data: inout [UInt8], range: Range<Int>,
                            _ body: (UnsafeRawBufferPointer, UnsafeMutableRawBufferPointer) throws(CryptoError) -> Void) throws(DecodeError) {
        guard key.count == AES.keySize else {
            throw DecodeError(.decryptionFailed, "the key has \(key.count) bytes; AES-128 keys have 16")
        }
        let failure: CryptoError? = key.withUnsafeBytes { k in
            data.withUnsafeMutableBytes { d in
                do throws(CryptoError) {
                    try body(k, UnsafeMutableRawBufferPointer(rebasing: d[range]))
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure { throw DecodeError(.decryptionFailed, "AES failed: \(failure)") }
    }
}
