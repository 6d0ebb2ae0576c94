/// Why a frame could not be decoded: a stable machine-readable code (the `error.code` of
/// `fjern decode` and of the ingest API) and a sentence for people. Decoding never traps on
/// bad input; every path that rejects bytes throws one of these.
public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Fewer bytes than a length field, header or record announced.
        case truncated
        /// Bytes that are not a frame of the kind tried (bad start byte, L field, stop byte).
        case invalidFrame = "invalid-frame"
        /// A wireless link-layer CRC block or the ELL payload CRC does not verify.
        case crcMismatch = "crc-mismatch"
        /// A wired M-Bus frame's checksum byte does not verify.
        case checksumMismatch = "checksum-mismatch"
        /// The telegram is encrypted and no key was given.
        case noKey = "no-key"
        /// The key does not decrypt the telegram (no 2F2F, PLCRC wrong after decryption).
        case decryptionFailed = "decryption-failed"
        /// The AFL MAC does not verify with the derived MAC key.
        case macMismatch = "mac-mismatch"
        /// A compact frame whose format signature is neither pre-declared nor learnt yet.
        case unknownCompactFormat = "unknown-compact-format"
        /// A data record that breaks EN 13757-3 (too many DIFEs/VIFEs, bad LVAR, ...).
        case invalidRecord = "invalid-record"
        /// The meter answered with an application error or alarm (CI 0x6E-0x70, 0x74/0x75).
        case applicationError = "application-error"
        /// Valid, but a variant Fjern does not decode (proprietary CI, DES, GCM, ...).
        case unsupported
    }

    public let code: Code
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
