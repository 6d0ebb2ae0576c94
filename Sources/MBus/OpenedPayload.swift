/// A wireless telegram after walking ELL -> network layer -> AFL -> TPL and decrypting: the
/// header fields the decoder reports and the plaintext the record parser reads.
public struct OpenedPayload: Sendable {
    /// The meter: TPL long-header M/ID/V/T when present, else the DLL's.
    public var address: MeterAddress
    /// The DLL sender when it differs from `address` (radio converter, repeater).
    public var linkAddress: MeterAddress?
    public var control: UInt8
    /// The TPL access number, or the ELL's for telegrams without a TPL header.
    public var accessNumber: UInt8?
    public var status: UInt8?
    public var configuration: UInt16?
    public var security: SecurityMode
    public var applicationCI: UInt8
    /// The whole frame (CRC-free, L + 1 bytes) with every encrypted range replaced by its
    /// plaintext. Records (or, for CI 0x79/0x7B/0x73, the compact header FS FS FC FC and the
    /// data) are at `plaintext[recordsStart..<plaintext.count]`; the 2F2F check bytes of the
    /// CBC modes are skipped, trailing 2F fillers are not.
    public var plaintext: [UInt8]
    public var recordsStart: Int
    /// The compact CIs 0x79, 0x7B, 0x73: the records are a Kamstrup-style compact frame.
    public var isCompact: Bool
    public var ell: ELLHeader?
    public var afl: AFLHeader?
    public var tpl: TPLHeader
    /// The AFL MAC was checked and matched (mode 7 with a key).
    public var macVerified: Bool
    /// The frame's link-layer CRC layout as received.
    public var crcState: CRCState
}

/// CIs of the optional layers between the DLL and the TPL.
enum LayerChain {
    /// Network layer: only `81 xx` has been seen (wmbusmeters skips one byte after it).
    static let networkLayerCI: UInt8 = 0x81
    static let aflCI: UInt8 = 0x90
}

extension WirelessFrame {
    /// Walks the layers, checks the payload CRC and the MAC, decrypts, and says where the
    /// records are. `cipher` is the caller's reusable AES context (one per thread).
    public func open(options: DecodeOptions = DecodeOptions(), cipher: PayloadCipher) throws(DecodeError) -> OpenedPayload {
        var buffer = bytes
        var position = ciOffset
        var ell: ELLHeader?
        var ellSecurity = SecurityMode.none
        guard position < buffer.count else { throw DecodeError(.truncated, "frame ends before its CI field") }
        if ELLHeader.isELL(buffer[position]) {
            let header = try ELLHeader.parse(buffer, at: position)
            ellSecurity = try SecurityModes.openELL(&buffer, ell: header, options: options, cipher: cipher)
            ell = header
            if let crcOffset = header.payloadCRCOffset { ell?.payloadCRC = WirelessBytes.u16(buffer, crcOffset) }
            position = header.end
        }
        if position < buffer.count, buffer[position] == LayerChain.networkLayerCI {
            guard position + 2 <= buffer.count else { throw DecodeError(.truncated, "network layer (CI 0x81) is cut off") }
            position += 2
        }
        var afl: AFLHeader?
        if position < buffer.count, buffer[position] == LayerChain.aflCI {
            let header = try AFLHeader.parse(buffer, at: position)
            afl = header
            position = header.end
        }
        let tpl = try TPLHeader.parse(buffer, at: position)
        var recordsStart = tpl.end
        var security = ellSecurity
        var macVerified = false
        switch tpl.securityMode {
        case 0:
            break
        case 5:
            recordsStart = try SecurityModes.openMode5(&buffer, tpl: tpl, options: options, cipher: cipher)
            security = .mode5
        case 7:
            (recordsStart, macVerified) = try SecurityModes.openMode7(&buffer, tpl: tpl, afl: afl, linkID: linkAddress.id,
                                                                     options: options, cipher: cipher)
            security = .mode7
        case let mode:
            throw DecodeError(.unsupported, "TPL security mode \(mode) (\(Self.securityModeName(mode))) is not supported")
        }
        let address = tpl.longAddress ?? linkAddress
        return OpenedPayload(address: address, linkAddress: address == linkAddress ? nil : linkAddress, control: control,
                             accessNumber: tpl.accessNumber ?? ell?.accessNumber, status: tpl.status,
                             configuration: tpl.configuration, security: security, applicationCI: tpl.ci,
                             plaintext: buffer, recordsStart: recordsStart, isCompact: tpl.isCompact,
                             ell: ell, afl: afl, tpl: tpl, macVerified: macVerified, crcState: crcState)
    }

    static func securityModeName(_ mode: UInt8) -> String {
        switch mode {
        case 1: "reserved"
        case 2, 3: "DES, deprecated"
        case 4, 6, 11, 12, 14, 15: "reserved"
        case 8: "AES-CTR with CMAC"
        case 9: "AES-GCM"
        case 10: "AES-CCM"
        case 13: "TLS"
        default: "manufacturer specific"
        }
    }
}
