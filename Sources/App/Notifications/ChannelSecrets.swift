/// Channel secrets sealed with the master key, bound (as AAD) to their tenant and kind, so a
/// sealed password copied to another tenant or channel does not open.
extension KeyVault {
    enum SecretKind: String {
        case smtpPassword = "smtp-password"
        case gatewayHeaders = "gateway-headers"
    }

    func sealSecret(_ bytes: [UInt8], tenant: Int64, kind: SecretKind) throws -> [UInt8] {
        try seal(bytes, context: Self.context(tenant: tenant, kind: kind))
    }

    func unsealSecret(_ sealed: [UInt8], tenant: Int64, kind: SecretKind) throws -> [UInt8] {
        try unseal(sealed, context: Self.context(tenant: tenant, kind: kind))
    }

    private static func context(tenant: Int64, kind: SecretKind) -> String { "channel:\(tenant):\(kind.rawValue)" }
}
