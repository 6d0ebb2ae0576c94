/// AES-128 as the meters use it: ECB for single blocks and key derivation, CBC for OMS modes
/// 5/7 and KEM key files, CTR for the Kamstrup/OMS extended link layer, CMAC for OMS MACs.
/// Keys are 16 bytes; every mode checks that and reports `CryptoError.invalidKeyLength`.
public enum AES {
    public static let blockSize = 16
    public static let keySize = 16

    /// Block padding for CBC. Meter telegrams use `.none` (OMS pads with 2F fillers itself);
    /// `.pkcs7` is for data we encrypt ourselves.
    public enum Padding: Sendable, Hashable {
        case none
        case pkcs7
    }

    /// Rejects input that is not a whole number of blocks, before OpenSSL sees it.
    static func requireBlocks(_ data: [UInt8], allowEmpty: Bool = true) throws(CryptoError) {
        guard data.count % blockSize == 0, allowEmpty || !data.isEmpty else {
            throw .invalidLength(got: data.count, expected: allowEmpty ? "a multiple of 16 bytes" : "a non-zero multiple of 16 bytes")
        }
    }
}
