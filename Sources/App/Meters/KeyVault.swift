internal import Crypto
internal import FoundationEssentials
internal import Glibc

/// Seals meter keys at rest with AES-256-GCM under the master key: from `FJERN_MASTER_KEY`
/// (64 hex digits) when set, otherwise from `master.key` in the data directory, created 0600
/// with a random key on first start. The meter's row id is authenticated with the key, so a
/// sealed key copied onto another meter's row does not open.
final class KeyVault: Sendable {
    private let masterKey: [UInt8]

    init(masterKey: [UInt8]) throws(Application.StartupError) {
        guard masterKey.count == AESGCM.keySize else {
            throw Application.StartupError(description: "the master key must be 32 bytes (64 hex digits), not \(masterKey.count)")
        }
        self.masterKey = masterKey
    }

    static func open(dataDirectory: String, environmentKey: String?) throws(Application.StartupError) -> KeyVault {
        if let hex = environmentKey, !hex.isEmpty {
            guard let key = try? Hex.decode(hex) else {
                throw Application.StartupError(description: "FJERN_MASTER_KEY is not hexadecimal")
            }
            return try KeyVault(masterKey: key)
        }
        return try KeyVault(masterKey: try MasterKeyFile.loadOrCreate(dataDirectory + "/master.key"))
    }

    func seal(_ key: [UInt8], meter: Int64) throws -> [UInt8] {
        try AESGCM.seal(key, key: masterKey, authenticating: Self.aad(meter)).combined
    }

    func unseal(_ sealed: [UInt8], meter: Int64) throws -> [UInt8] {
        try AESGCM.open(AESGCM.SealedBox(combined: sealed), key: masterKey, authenticating: Self.aad(meter))
    }

    /// Seals another kind of secret (a webhook's signing key, ...); `context` names its kind and
    /// row (e.g. `webhook:12`) and is authenticated, so it opens nowhere else.
    func seal(_ secret: [UInt8], context: String) throws -> [UInt8] {
        try AESGCM.seal(secret, key: masterKey, authenticating: Array(context.utf8)).combined
    }

    func unseal(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        try AESGCM.open(AESGCM.SealedBox(combined: sealed), key: masterKey, authenticating: Array(context.utf8))
    }

    private static func aad(_ meter: Int64) -> [UInt8] {
        withUnsafeBytes(of: meter.littleEndian) { Array($0) }
    }
}
