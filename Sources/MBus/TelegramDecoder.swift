internal import Crypto

/// What the caller knows about a telegram beyond its bytes.
public struct DecodeOptions: Sendable {
    /// The meter's AES-128 key (16 bytes), nil when none is known.
    public var key: [UInt8]?
    /// The bytes after the security header are already plaintext (the wmbusmeters test
    /// convention; also receivers that decrypt themselves). Accepted only without a key, so
    /// a spoofed plaintext telegram cannot pass for a keyed meter's reading.
    public var assumeDecrypted: Bool

    public init(key: [UInt8]? = nil, assumeDecrypted: Bool = false) {
        self.key = key
        self.assumeDecrypted = assumeDecrypted
    }
}

/// The decoder's entry point. Holds per-thread state (a reusable cipher context) and the
/// compact-frame format registry (shared and thread-safe), so one decoder per thread or task.
public final class TelegramDecoder {
    public let formats: CompactFormatRegistry
    let cipher: PayloadCipher

    /// `keyCacheCapacity` bounds the prepared AES contexts kept per key (PayloadCipher): a
    /// head-end hears the same meters again within seconds, so keys are not re-expanded.
    public init(formats: CompactFormatRegistry = CompactFormatRegistry(), keyCacheCapacity: Int = 16_384) {
        self.formats = formats
        self.cipher = PayloadCipher(keyCacheCapacity: keyCacheCapacity)
    }

    /// Wired when the bytes have the shape of an EN 13757-2 long frame (68 L L 68 ... 16),
    /// else wireless. A first byte alone does not tell: a wireless L field may be 0x68.
    public func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> Telegram {
        if Self.looksWired(bytes) { return try decodeWired(bytes, options: options) }
        return try decodeWireless(bytes, options: options)
    }

    static func looksWired(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4, bytes[0] == 0x68 else { return bytes.count == 5 && bytes[0] == 0x10 && bytes[4] == 0x16 }
        return bytes[3] == 0x68 && bytes[1] == bytes[2] && bytes.last == 0x16
    }
}
