import Crypto
import Testing
@testable import MBus

struct KEMFileTests {
    @Test func opensAZipMadeByPythonWithAKEMEncryptedByOpenSSL() throws {
        let file = try KEMFile.open(try Hex.decode(KEMFixtures.pythonZip), password: "order42")
        #expect(file.format == .kem)
        #expect(file.meters == [
            .init(serial: "76348799", manufacturer: "KAM", model: "MC403", consumptionType: "Heat",
                  key: "00112233445566778899AABBCCDDEEFF"),
            .init(serial: "61234567", manufacturer: "KAM", model: "MC21", consumptionType: "Water",
                  key: "0F0E0D0C0B0A09080706050403020100"),
        ])
    }

    @Test func wrongPasswordIsRefused() throws {
        #expect(throws: KEMFile.Failure.wrongPassword) { try KEMFile.open(try Hex.decode(KEMFixtures.pythonZip), password: "order43") }
        #expect(throws: KEMFile.Failure.wrongPassword) { try KEMFile.open(try Hex.decode(KEMFixtures.pythonZip), password: "") }
        #expect(throws: KEMFile.Failure.passwordTooLong) {
            try KEMFile.open(try Hex.decode(KEMFixtures.pythonZip), password: "seventeen chars!!")
        }
    }

    @Test func plainKEM2WithTheIVInFront() throws {
        let iv: [UInt8] = (0..<16).map { UInt8($0 * 11) }
        let bytes = try KEMFixtures.envelope(KEMFixtures.kem2, password: "12345678", ivPrefix: iv)
        let file = try KEMFile.open(bytes, password: "12345678")
        #expect(file.format == .kem2)
        #expect(file.meters == [.init(serial: "76348800", manufacturer: "KAM", model: "MULTICAL 603",
                                      consumptionType: "Heat & cooling", key: "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF")])
    }

    @Test func storedEntryInAZipWrittenHere() throws {
        let kem = try KEMFixtures.envelope(KEMFixtures.kem2, password: "pw")
        let zip = KEMFixtures.storedZip([("notes/", []), ("Order 7.KEM2", kem)])
        let file = try KEMFile.open(zip, password: "pw")
        #expect(file.meters.map(\.serial) == ["76348800"])
    }

    @Test func corruptArchivesAreNamed() throws {
        var zip = try Hex.decode(KEMFixtures.pythonZip)
        // A flipped byte inside the deflated .kem: it no longer inflates or fails its CRC.
        let kemData = try #require(ZipReader(zip).entries.first { $0.name == "order-42.kem" })
        zip[kemData.localHeaderOffset + 30 + kemData.name.utf8.count + 40] ^= 0x55
        #expect {
            try KEMFile.open(zip, password: "order42")
        } throws: { error in
            guard case .archive(.corrupt) = error as? KEMFile.Failure else { return false }
            return true
        }
        let whole = try Hex.decode(KEMFixtures.pythonZip)
        #expect(throws: KEMFile.Failure.archive(.truncated)) { try KEMFile.open(Array(whole.prefix(200)), password: "order42") }
        #expect(throws: KEMFile.Failure.noKeyFileInArchive) {
            try KEMFile.open(KEMFixtures.storedZip([("a.txt", [1]), ("b.txt", [2])]), password: "x")
        }
    }

    @Test func documentsThatAreNotKeyFiles() throws {
        #expect(throws: KEMFile.Failure.notAKeyFile("no CipherValue element: not an XML-Encryption document")) {
            try KEMFile.open(Array("<a>b</a>".utf8), password: "x")
        }
        #expect(throws: KEMFile.Failure.notAKeyFile("CipherValue is not base64")) {
            try KEMFile.open(Array("<CipherValue>*</CipherValue>".utf8), password: "x")
        }
        #expect(throws: KEMFile.Failure.notAKeyFile("the ciphertext is 3 bytes, not a whole number of AES blocks")) {
            try KEMFile.open(Array("<CipherValue>AAAA</CipherValue>".utf8), password: "x")
        }
    }

    @Test func zipLimits() throws {
        let zip = KEMFixtures.storedZip([("big.kem", [UInt8](repeating: 0x41, count: 5000))])
        let reader = try ZipReader(zip)
        #expect(throws: ZipReader.Failure.entryTooLarge(name: "big.kem", limit: 4096)) {
            try reader.contents(of: reader.entries[0], maxBytes: 4096)
        }
        #expect(throws: ZipReader.Failure.notAnArchive) { try ZipReader(Array("just text, long enough to scan".utf8)) }
    }
}
