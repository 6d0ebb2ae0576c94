/// The application layer of a wired M-Bus slave response (EN 13757-3 on EN 13757-2): who
/// answered, the header bytes, and where the data records start in `data`. Records themselves
/// are left to the record parser (`data[recordsStart...]`), except the old fixed structure
/// (CI 0x73), which has no DIF/VIF and is decoded here.
public struct WiredPayload: Sendable, Hashable {
    public var control: UInt8
    /// The frame's A field: the slave's primary address (0xFD when selected by secondary address).
    public var address: UInt8
    public var ci: UInt8
    /// From the long header (CI 0x72) or the fixed structure's id (CI 0x73, manufacturer and
    /// version 0: that structure has none); nil for CI 0x78/0x7A, which carry no identity.
    public var meter: MeterAddress?
    public var accessNumber: UInt8?
    public var status: UInt8?
    /// The "signature" word of CI 0x72/0x7A. Many wired meters put arbitrary values here
    /// (libmbus corpus: B627, FFFF), so only security mode 5 is read from it.
    public var configuration: UInt16?
    /// The frame's data after the CI byte.
    public var data: [UInt8]
    /// Index in `data` where the data records (or, when `needsDecryption`, the ciphertext) begin.
    public var recordsStart: Int
    /// CI 0x73: the two counters of the fixed structure as records; nil for other CIs.
    public var fixedRecords: [Record]?
    /// The configuration says security mode 5 (AES-128-CBC, IV from M, A and the access number)
    /// with encrypted blocks: decrypt `data[recordsStart ..< recordsStart + encryptedLength]`
    /// with the meter's key before parsing records; bytes after that range are plaintext.
    public var needsDecryption: Bool
    /// Bytes of ciphertext when `needsDecryption` (16 x the N blocks of the configuration,
    /// capped to the data present), else 0.
    public var encryptedLength: Int

    public init(control: UInt8, address: UInt8, ci: UInt8, meter: MeterAddress? = nil, accessNumber: UInt8? = nil,
                status: UInt8? = nil, configuration: UInt16? = nil, data: [UInt8], recordsStart: Int,
                fixedRecords: [Record]? = nil, needsDecryption: Bool = false, encryptedLength: Int = 0) {
        self.control = control
        self.address = address
        self.ci = ci
        self.meter = meter
        self.accessNumber = accessNumber
        self.status = status
        self.configuration = configuration
        self.data = data
        self.recordsStart = recordsStart
        self.fixedRecords = fixedRecords
        self.needsDecryption = needsDecryption
        self.encryptedLength = encryptedLength
    }

    /// The security mode in bits 8-12 of the configuration word (EN 13757-7).
    public var securityMode: UInt8? { configuration.map { UInt8(truncatingIfNeeded: $0 >> 8) & 0x1F } }
}

extension WiredFrame {
    /// Reads the application header of a slave's response. CI 0x70 (application error) and 0x71
    /// (alarm) throw `application-error` with libmbus's wording; master frames and CIs that are
    /// not a response throw `unsupported`.
    public func applicationPayload() throws(DecodeError) -> WiredPayload {
        let c: UInt8, a: UInt8, ci: UInt8, data: [UInt8]
        switch self {
        case .ack, .short:
            throw DecodeError(.unsupported, "a single character or short frame has no application layer")
        case .control(let c0, let a0, let ci0):
            (c, a, ci, data) = (c0, a0, ci0, [])
        case .long(let c0, let a0, let ci0, let d0):
            (c, a, ci, data) = (c0, a0, ci0, d0)
        }
        // PRM bit: set in frames from the master (SND_UD 0x53/0x73 ...), clear in RSP_UD.
        guard c & 0x40 == 0 else {
            throw DecodeError(.unsupported, "C \(Self.hex(c)) is a master's frame (CI \(Self.hex(ci))), not a slave's response")
        }
        switch ci {
        case 0x70:
            throw DecodeError(.applicationError, Self.applicationErrorText(data.first))
        case 0x71:
            let detail = data.first.map { "alarm status \(Self.hex($0))" } ?? "alarm status without a byte"
            throw DecodeError(.applicationError, detail)
        case 0x72:
            return try longHeader(c, a, ci, data)
        case 0x7A:
            guard data.count >= 4 else { throw DecodeError(.truncated, "CI 0x7A short header needs 4 bytes, got \(data.count)") }
            let cfg = UInt16(data[2]) | UInt16(data[3]) << 8
            let (needs, length) = Self.encryption(cfg, available: data.count - 4)
            return WiredPayload(control: c, address: a, ci: ci, accessNumber: data[0], status: data[1], configuration: cfg,
                                data: data, recordsStart: 4, needsDecryption: needs, encryptedLength: length)
        case 0x78:
            return WiredPayload(control: c, address: a, ci: ci, data: data, recordsStart: 0)
        case 0x73:
            let fixed = try FixedDataStructure(data)
            return WiredPayload(control: c, address: a, ci: ci, meter: fixed.meter, accessNumber: fixed.accessNumber,
                                status: fixed.status, data: data, recordsStart: data.count, fixedRecords: fixed.records)
        case 0x76, 0x77:
            throw DecodeError(.unsupported, "CI \(Self.hex(ci)): data sent most significant byte first, which Fjern does not decode")
        default:
            throw DecodeError(.unsupported, "CI \(Self.hex(ci)) is not a wired M-Bus response Fjern decodes")
        }
    }

    private func longHeader(_ c: UInt8, _ a: UInt8, _ ci: UInt8, _ data: [UInt8]) throws(DecodeError) -> WiredPayload {
        guard data.count >= 12 else { throw DecodeError(.truncated, "CI 0x72 long header needs 12 bytes, got \(data.count)") }
        let id = UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24
        let meter = MeterAddress(manufacturer: UInt16(data[4]) | UInt16(data[5]) << 8, id: id, version: data[6], deviceType: data[7])
        let cfg = UInt16(data[10]) | UInt16(data[11]) << 8
        let (needs, length) = Self.encryption(cfg, available: data.count - 12)
        return WiredPayload(control: c, address: a, ci: ci, meter: meter, accessNumber: data[8], status: data[9],
                            configuration: cfg, data: data, recordsStart: 12, needsDecryption: needs, encryptedLength: length)
    }

    /// Mode 5 only: other values of the word are vendor signatures on wired M-Bus, not security.
    static func encryption(_ cfg: UInt16, available: Int) -> (Bool, Int) {
        guard (cfg >> 8) & 0x1F == 5 else { return (false, 0) }
        let blocks = Int((cfg >> 4) & 0x0F)
        guard blocks > 0 else { return (false, 0) }
        return (true, min(blocks * 16, available))
    }

    /// The CI 0x70 error byte in libmbus's words (`mbus_data_error_lookup`); no byte = unspecified.
    public static func applicationErrorText(_ code: UInt8?) -> String {
        switch code {
        case nil, 0x00: "Unspecified error"
        case 0x01: "Unimplemented CI-Field"
        case 0x02: "Buffer too long, truncated"
        case 0x03: "Too many records"
        case 0x04: "Premature end of record"
        case 0x05: "More than 10 DIFE\u{B4}s"
        case 0x06: "More than 10 VIFE\u{B4}s"
        case 0x07: "Reserved"
        case 0x08: "Application busy"
        case 0x09: "Too many readouts"
        case let other?: "Unknown error (\(hex(other)))"
        }
    }
}
