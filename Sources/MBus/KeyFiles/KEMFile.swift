internal import Crypto

/// A Kamstrup key file (KEM or KEM2, PROTOCOLS.md §3.5): optionally zipped XML-Encryption
/// whose CipherValue is AES-128-CBC under the order password (UTF-8, zero-padded to 16
/// bytes). Kamstrup's files use IV = key; generic XML-Encryption puts the IV first. Both are
/// tried, and a plaintext that is not a meter list means the password does not open the file.
public struct KEMFile: Sendable, Equatable {
    public enum Format: String, Sendable { case kem, kem2 }

    /// One meter of the file, as written there (the caller validates and maps the fields).
    public struct Meter: Sendable, Equatable {
        public var serial: String
        public var manufacturer: String?
        public var model: String?
        public var consumptionType: String?
        /// The DEK as written (expected: 32 hex digits).
        public var key: String?
    }

    public enum Failure: Error, Equatable, Sendable {
        case passwordTooLong
        case wrongPassword
        case archive(ZipReader.Failure)
        case noKeyFileInArchive
        case notAKeyFile(String)
        case tooLarge(limit: Int)
    }

    public static let maxPasswordBytes = 16
    /// The largest decompressed key file accepted (a KEM of 100,000 meters is about 40 MB).
    public static let maxFileBytes = 64 << 20

    public var format: Format
    public var meters: [Meter]

    public init(format: Format, meters: [Meter]) {
        self.format = format
        self.meters = meters
    }

    /// Opens a KEM/KEM2 file or a ZIP holding one.
    public static func open(_ bytes: [UInt8], password: String) throws(Failure) -> KEMFile {
        let key = Array(password.utf8)
        guard key.count <= maxPasswordBytes else { throw .passwordTooLong }
        let document = try envelope(bytes)
        let scan = XMLScan(document)
        guard let cipher = scan.elements("CipherValue").first else {
            throw .notAKeyFile("no CipherValue element: not an XML-Encryption document")
        }
        guard let ciphertext = Base64.decode(Array(scan.text(cipher).utf8)) else { throw .notAKeyFile("CipherValue is not base64") }
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else {
            throw .notAKeyFile("the ciphertext is \(ciphertext.count) bytes, not a whole number of AES blocks")
        }
        let aesKey = key + [UInt8](repeating: 0, count: 16 - key.count)
        // Kamstrup's convention first, then XML-Encryption's IV prefix.
        let attempts: [(iv: [UInt8], data: ArraySlice<UInt8>)] = [(aesKey, ciphertext[...]),
                                                                   (Array(ciphertext.prefix(16)), ciphertext.dropFirst(16))]
        for attempt in attempts where !attempt.data.isEmpty {
            guard let plain = try? AES.CBC.decrypt(Array(attempt.data), key: aesKey, iv: attempt.iv, padding: .none) else { continue }
            if let file = parse(cleaned(plain)) { return file }
        }
        throw .wrongPassword
    }

    /// The XML-Encryption document: the bytes themselves, or the archive's `.kem`/`.kem2` entry
    /// (or its only entry).
    static func envelope(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard ZipReader.looksLikeArchive(bytes) else {
            guard bytes.count <= maxFileBytes else { throw .tooLarge(limit: maxFileBytes) }
            return bytes
        }
        do {
            let zip = try ZipReader(bytes)
            let files = zip.entries.filter { !$0.name.hasSuffix("/") }
            let kem = files.first { e in
                let n = e.name.lowercased()
                return n.hasSuffix(".kem") || n.hasSuffix(".kem2")
            } ?? (files.count == 1 ? files[0] : nil)
            guard let kem else { throw KEMFile.Failure.noKeyFileInArchive }
            return try zip.contents(of: kem, maxBytes: maxFileBytes)
        } catch let failure as ZipReader.Failure {
            throw .archive(failure)
        } catch let failure as KEMFile.Failure {
            throw failure
        } catch {
            throw .notAKeyFile("\(error)")
        }
    }

    /// Control bytes (padding, the scripts' "strip control characters") become nothing.
    static func cleaned(_ plain: [UInt8]) -> [UInt8] {
        plain.filter { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// nil unless the text is a KEM (`MetersInOrder`) or KEM2 (`Devices`) meter list.
    static func parse(_ plain: [UInt8]) -> KEMFile? {
        // Garbage from a wrong key rarely starts with '<' after whitespace and a BOM.
        var start = 0
        if plain.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < plain.count, XMLScan.isSpace(plain[start]) { start += 1 }
        guard start < plain.count, plain[start] == UInt8(ascii: "<") else { return nil }
        let scan = XMLScan(plain)
        if let root = scan.elements("MetersInOrder").first {
            let meters = scan.elements("Meter", in: root.open + 1..<root.close).map { m in
                Meter(serial: scan.childText("SerialNo", of: m) ?? "", manufacturer: scan.childText("VendorId", of: m),
                      model: scan.childText("MeterName", of: m), consumptionType: scan.childText("ConsumptionType", of: m),
                      key: scan.childText("DEK", of: m))
            }
            return KEMFile(format: .kem, meters: meters)
        }
        if let root = scan.elements("Devices").first {
            let meters = scan.elements("Device", in: root.open + 1..<root.close).map { d in
                Meter(serial: scan.childText("SerialNumber", of: d) ?? "", manufacturer: scan.childText("ManufacturerId", of: d),
                      model: scan.childText("ShortName", of: d), consumptionType: scan.childText("ConsumptionTypeName", of: d),
                      key: dek(in: d, scan))
            }
            return KEMFile(format: .kem2, meters: meters)
        }
        return nil
    }

    /// KEM2 keeps keys as `<Name>DEK</Name><Value>…</Value>` pairs.
    private static func dek(in device: (open: Int, close: Int), _ scan: XMLScan) -> String? {
        for name in scan.elements("Name", in: device.open + 1..<device.close) where scan.text(name) == "DEK" {
            return scan.elements("Value", in: name.close + 1..<device.close).first.map(scan.text)
        }
        return nil
    }
}
