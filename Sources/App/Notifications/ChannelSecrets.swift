/// Channel secrets sealed with the master key. The vault binds each sealed value to a row id
/// (its AAD); channel secrets use negative ids, which no meter row has, one per tenant and
/// channel, so a sealed password copied to another tenant or channel does not open.
extension KeyVault {
    enum SecretKind: Int64 {
        case smtpPassword = 1
        case gatewayHeaders = 2
    }

    func sealSecret(_ bytes: [UInt8], tenant: Int64, kind: SecretKind) throws -> [UInt8] {
        try seal(bytes, meter: Self.secretID(tenant: tenant, kind: kind))
    }

    func unsealSecret(_ sealed: [UInt8], tenant: Int64, kind: SecretKind) throws -> [UInt8] {
        try unseal(sealed, meter: Self.secretID(tenant: tenant, kind: kind))
    }

    private static func secretID(tenant: Int64, kind: SecretKind) -> Int64 { -(tenant * 16 + kind.rawValue) }
}
