import Crypto
@testable import MBus

/// Key files for the tests: a ZIP made by Python's zipfile (deflated entries, a readme beside
/// the .kem) around a KEM encrypted by the openssl CLI with password "order42" and IV = key;
/// and files built here with the same derivation.
enum KEMFixtures {
    static let pythonZip = "504b03041400000008005023765d63042fcf12000000100000000a000000726561646d652e747874cbcb2f5128c94855c84ead5448cbcc490500504b03041400000008005023765db97386d9d2020000d40300000c0000006f726465722d34322e6b656d8d53c9aea25a149df315c63734756994c6977bad48a3a2a0f408b3231c407ae1d07e7df9f27293aa59cdd64e563758fbf3e758e48b1e36edb32abf96e407b15cc032a8c267197f2d3b14fde0963f77d8a75406cd5423188a0081c55b53b65fcb04a1fa5f1c1f86e163587f544d8c530441e2c4067f13de2eff2c17d654c3bf204a392c608996bbefa0771b15a2a40a17fb3cae9a274a8abfb001b02529ee47f00896f8ee5378d6096cfe2bfc8d1d90777007397401d61027037e77a9d5a50898a6f02c39bd829932153aa357bdbb8e6f2a2da0a26538b5a8024a39c0220d4d97eb8c843b9954685524ab6a18e52a051a7dfda2decb5e1ec78097487f6ceb5e9e23a338ad1dde34d2bcb97b43f59a4eebab3fb1e1353e93cc5b7d8b1fcada8ef453ecbc94f170c794b97e840f9d4f38fd3270e3946455d0de083bda50cd4c3c0dea4486dee01d05e1a688a6b1027aaf444c4e18b3d81ded6a941cd1257ac012a01db19045cd56d068aaf4aa797312932e3aaf50a82587c359bc86f924828b6686dc138ffd6e12e13ae33910957a6695ee4ae6b37a209833a3f5b7ab95628ad0d9af7a1f39f9563dbbceec1afbed20f6177398bbeb90d9ea7acb42342b6aa52859d093b7c2aedcd07c9847e9a55b7b28b36a9c590d74eddec02a7aa0cfc891743e950f993ce67b493b37a21eb7b13883782be1030cca600bcafd10092cce3de5e77e3372baa817f1b8b1e5346e34441bac7c4fb1fa40a944e47335386e8a3816f4d7558e0b593acd9441f08ecea9e96b5e2b6a33d6ae373c75c7e446267f780d09af72c84e4ed459aa466fc2cd45c3ca74e860a36838cfa19250124205fb13b284acadaeb63f510fc5bfa1286301a59df7b74cda4e892fc853cea74c374fe8d8f16b630e25c33df22416823a7dad546fb5f548c044a1ed13b119a627252159c01def3aa315c42407e7cd6a9eb94a6d51cb3439ad42ce4fc8c38157ea238d68c51429ef0bfbc47f9ff0f7f5ffb8f13fbe73f70b504b010214031400000008005023765d63042fcf12000000100000000a0000000000000000000000800100000000726561646d652e747874504b010214031400000008005023765db97386d9d2020000d40300000c000000000000000000000080013a0000006f726465722d34322e6b656d504b0506000000000200020072000000360300000000"

    static func aesKey(_ password: String) -> [UInt8] {
        Array(password.utf8) + [UInt8](repeating: 0, count: 16 - password.utf8.count)
    }

    /// An XML-Encryption envelope of `plain` (zero-padded to whole blocks); with `ivPrefix` the
    /// generic convention (random IV in front), else Kamstrup's IV = key.
    static func envelope(_ plain: String, password: String, ivPrefix: [UInt8]? = nil) throws -> [UInt8] {
        var data = Array(plain.utf8)
        data += [UInt8](repeating: 0, count: (16 - data.count % 16) % 16)
        let key = aesKey(password)
        var cipher = try AES.CBC.encrypt(data, key: key, iv: ivPrefix ?? key, padding: .none)
        if let ivPrefix { cipher = ivPrefix + cipher }
        return Array("""
            <?xml version="1.0"?><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"><xenc:CipherData>
            <xenc:CipherValue>\(base64(cipher))</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>
            """.utf8)
    }

    static let kem2 = """
        <?xml version="1.0" encoding="utf-8"?>
        <Devices><Device><ShortName>MULTICAL 603</ShortName><ConsumptionTypeName>Heat &amp; cooling</ConsumptionTypeName>
        <CustomerDeviceNumber>17</CustomerDeviceNumber><SerialNumber>76348800</SerialNumber><ManufacturerId>KAM</ManufacturerId>
        <ConfigNumber>1</ConfigNumber><TypeNumber>2</TypeNumber>
        <Parameters><Parameter><Name>Other</Name><Value>1</Value></Parameter>
        <Parameter><Name>DEK</Name><Value>A0A1A2A3A4A5A6A7A8A9AAABACADAEAF</Value></Parameter></Parameters></Device></Devices>
        """

    /// A ZIP of stored entries, written here (local headers, central directory, end record).
    static func storedZip(_ files: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, data) in files {
            let offset = out.count
            let crc = CRC32.checksum(data)
            let n = Array(name.utf8)
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc)
                + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(n.count)) + le16(0) + n + data
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0) + le32(crc)
                + le32(UInt32(data.count)) + le32(UInt32(data.count)) + le16(UInt16(n.count)) + le16(0) + le16(0) + le16(0)
                + le16(0) + le32(0) + le32(UInt32(offset)) + n
        }
        let cdOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(files.count)) + le16(UInt16(files.count))
            + le32(UInt32(central.count)) + le32(UInt32(cdOffset)) + le16(0)
        return out
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { le16(UInt16(v & 0xFFFF)) + le16(UInt16(v >> 16)) }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let v = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for j in 0..<4 { out.append(j <= chunk.count ? alphabet[(v >> (18 - 6 * j)) & 63] : "=") }
            i += 3
            if i % 57 == 0 { out += "\n" }
        }
        return out
    }
}
