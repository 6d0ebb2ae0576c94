internal import COpenSSL

/// AES-128-CTR for many keys seen again and again (a head-end hears the same meters every few
/// seconds): keeps one pre-keyed ECB context per key, so a telegram costs one
/// `EVP_CipherUpdate` over its counter blocks instead of a re-key. Measured on this machine's
/// OpenSSL 3.0: re-keying a context (`EVP_CipherInit_ex2`) costs about 500 ns, more than the
/// rest of opening a Kamstrup telegram; a cached key's keystream about 100-250 ns.
///
/// Bounded: at most `capacity` keys (each context holds about 1 KB with its key schedule);
/// when full, slots are reused round-robin (CLOCK without reference bits: O(1), no scanning).
/// Evicted contexts are freed, which wipes their key schedule. Not thread-safe: one per thread.
public final class AESKeyCache {
    public let capacity: Int
    private let ecb: OpaquePointer
    // Parallel arrays rather than slot objects: one less dependent load per telegram.
    private var contexts: [OpaquePointer] = []
    private var slotKeys: [Key] = []
    private var index: [Key: Int] = [:]
    private var hand = 0

    private struct Key: Hashable {
        var high: UInt64
        var low: UInt64

        // Keys are random bytes: one mixed word is as good a hash input as both, and cheaper.
        func hash(into hasher: inout Hasher) {
            hasher.combine(high ^ (low &* 0x9E37_79B9_7F4A_7C15))
        }
    }

    public init(capacity: Int = 16_384) throws(CryptoError) {
        guard let ecb = EVP_CIPHER_fetch(nil, "AES-128-ECB", nil) else { throw OpenSSLErrors.drain(after: "EVP_CIPHER_fetch(AES-128-ECB)") }
        self.ecb = ecb
        self.capacity = max(1, capacity)
    }

    deinit {
        // Freeing a context also wipes its key schedule.
        for context in contexts { EVP_CIPHER_CTX_free(context) }
        EVP_CIPHER_free(ecb)
    }

    public var count: Int { contexts.count }

    /// AES-128-CTR over `data` in place; the 16-byte IV is one big-endian 128-bit counter, as
    /// in `AES.CTR`. Any length.
    public func ctr(key: UnsafeRawBufferPointer, iv: UnsafeRawBufferPointer, data: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard key.count == AES.keySize else { throw .invalidKeyLength(expected: AES.keySize, got: key.count) }
        guard iv.count == AES.blockSize else { throw .invalidIVLength(expected: AES.blockSize, got: iv.count) }
        let context = try prepared(key)
        var high = Self.bigEndian(iv, 0)
        var low = Self.bigEndian(iv, 8)
        // Counter blocks for up to 8 blocks at a time in a stack buffer, encrypted in one call.
        let chunkBlocks = 8
        try withUnsafeTemporaryAllocation(byteCount: chunkBlocks * 16, alignment: 16) { stream throws(CryptoError) in
            var offset = 0
            while offset < data.count {
                let blocks = min(chunkBlocks, (data.count - offset + 15) / 16)
                for block in 0..<blocks {
                    Self.store(high, into: stream, at: block * 16)
                    Self.store(low, into: stream, at: block * 16 + 8)
                    low &+= 1
                    if low == 0 { high &+= 1 }
                }
                let bytes = stream.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var written: Int32 = 0
                guard EVP_CipherUpdate(context, bytes, &written, bytes, Int32(blocks * 16)) == 1, Int(written) == blocks * 16 else {
                    throw OpenSSLErrors.drain(after: "EVP_CipherUpdate(ECB)")
                }
                let count = min(blocks * 16, data.count - offset)
                for position in 0..<count { data[offset + position] ^= stream[position] }
                offset += count
            }
        }
    }

    public func ctr(key: [UInt8], iv: [UInt8], data: inout [UInt8], range: Range<Int>) throws(CryptoError) {
        guard range.lowerBound >= 0, range.upperBound <= data.count else {
            throw .invalidLength(got: range.upperBound, expected: "a range within the \(data.count)-byte buffer")
        }
        let failure: CryptoError? = key.withUnsafeBytes { k in
            iv.withUnsafeBytes { v in
                data.withUnsafeMutableBytes { d in
                    do throws(CryptoError) {
                        try ctr(key: k, iv: v, data: UnsafeMutableRawBufferPointer(rebasing: d[range]))
                        return nil
                    } catch {
                        return error
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// The ECB context keyed with `key`, from the cache or newly keyed into a (reused) slot.
    private func prepared(_ raw: UnsafeRawBufferPointer) throws(CryptoError) -> OpaquePointer {
        let key = Key(high: Self.bigEndian(raw, 0), low: Self.bigEndian(raw, 8))
        if let slot = index[key] { return contexts[slot] }
        let keyBytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let slotIndex: Int
        if contexts.count < capacity {
            guard let context = EVP_CIPHER_CTX_new() else { throw OpenSSLErrors.drain(after: "EVP_CIPHER_CTX_new") }
            guard EVP_CipherInit_ex2(context, ecb, keyBytes, nil, 1, nil) == 1, EVP_CIPHER_CTX_set_padding(context, 0) == 1 else {
                EVP_CIPHER_CTX_free(context)
                throw OpenSSLErrors.drain(after: "EVP_CipherInit_ex2(ECB)")
            }
            contexts.append(context)
            slotKeys.append(key)
            slotIndex = contexts.count - 1
        } else {
            slotIndex = hand
            hand = (hand + 1) % capacity
            index[slotKeys[slotIndex]] = nil
            guard EVP_CipherInit_ex2(contexts[slotIndex], nil, keyBytes, nil, 1, nil) == 1 else {
                // The slot's old key is already out of the index; leave the slot unusable for lookups.
                throw OpenSSLErrors.drain(after: "EVP_CipherInit_ex2(ECB)")
            }
            slotKeys[slotIndex] = key
        }
        index[key] = slotIndex
        return contexts[slotIndex]
    }

    private static func bigEndian(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in at..<(at + 8) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    private static func store(_ value: UInt64, into buffer: UnsafeMutableRawBufferPointer, at: Int) {
        for index in 0..<8 { buffer[at + index] = UInt8(truncatingIfNeeded: value >> UInt64(56 - 8 * index)) }
    }
}
