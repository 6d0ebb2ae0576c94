/// Every failure of the Crypto module. Bad input is reported, never trapped on: keys, IVs and
/// ciphertexts often come from the network or from files a customer uploaded.
public enum CryptoError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// A key of the wrong size for the algorithm (16 for AES-128, 32 for AES-256).
    case invalidKeyLength(expected: Int, got: Int)
    /// An IV, counter block or nonce of the wrong size.
    case invalidIVLength(expected: Int, got: Int)
    /// Input whose length the operation cannot take, e.g. CBC/ECB input that is not a whole
    /// number of blocks, a MAC truncated to more than 16 bytes, a sealed box too short to parse.
    /// `expected` says what would have been accepted, in words.
    case invalidLength(got: Int, expected: String)
    /// PKCS#7 padding that does not check out after CBC decryption (usually the wrong key or IV).
    case invalidPadding
    /// The AES-GCM tag did not verify: wrong key, or ciphertext, tag or AAD changed.
    case authenticationFailed
    /// A sealed box whose version byte this build does not know.
    case unsupportedVersion(UInt8)
    /// Not hexadecimal at this UTF-8 offset; for odd-length input, the offset of the unpaired
    /// final digit.
    case hex(index: Int)
    /// OpenSSL (or the OS random source) failed in a way that bad input does not explain.
    /// The text is OpenSSL's error queue, or the name of the call that failed.
    case openssl(String)

    public var description: String {
        switch self {
        case let .invalidKeyLength(expected, got): "invalid key length \(got), expected \(expected) bytes"
        case let .invalidIVLength(expected, got): "invalid IV length \(got), expected \(expected) bytes"
        case let .invalidLength(got, expected): "invalid input length \(got), expected \(expected)"
        case .invalidPadding: "invalid PKCS#7 padding (wrong key or IV?)"
        case .authenticationFailed: "authentication failed (wrong key, or data or tag altered)"
        case let .unsupportedVersion(version): "unsupported sealed box version \(version)"
        case let .hex(index): "invalid hexadecimal at index \(index)"
        case let .openssl(message): "OpenSSL: \(message)"
        }
    }
}
