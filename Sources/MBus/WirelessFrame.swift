/// The wireless link layer after CRC handling: L, C, M, A and the bytes after A (CI onwards).
/// `parse` checks only the link layer; `open` (OpenedPayload.swift) walks ELL, AFL and TPL
/// and decrypts.
public struct WirelessFrame: Sendable {
    /// Offset of the first CI field: after L(1) C(1) M(2) A(6).
    public static let headerLength = 10

    public var control: UInt8
    /// The link-layer sender (M and A of the DLL header): the meter itself, or its radio
    /// converter or repeater.
    public var linkAddress: MeterAddress
    public var crcState: CRCState
    /// The frame without link-layer CRCs, cut to L + 1 (L rewritten for format B).
    public var bytes: [UInt8]
    /// Where the CI field of the first layer after the DLL is (always `headerLength`).
    public var ciOffset: Int

    public init(control: UInt8, linkAddress: MeterAddress, crcState: CRCState, bytes: [UInt8], ciOffset: Int) {
        self.control = control
        self.linkAddress = linkAddress
        self.crcState = crcState
        self.bytes = bytes
        self.ciOffset = ciOffset
    }

    /// Accepts frames with format-A or format-B CRCs (verified) or without CRCs, with any
    /// receiver bytes beyond the frame cut off. The rule that tells them apart is on `LinkCRC`.
    public static func parse(_ raw: [UInt8]) throws(DecodeError) -> WirelessFrame {
        guard let first = raw.first else { throw DecodeError(.truncated, "empty wireless frame") }
        let l = Int(first)
        guard l >= headerLength else {
            throw DecodeError(.invalidFrame, "L field \(l) is too small for a wireless M-Bus frame with a CI field (at least 10)")
        }
        let (bytes, state) = try stripCRCs(raw, l: l)
        let linkAddress = WirelessBytes.address(bytes, manufacturerAt: 2)
        return WirelessFrame(control: bytes[1], linkAddress: linkAddress, crcState: state, bytes: bytes, ciOffset: headerLength)
    }

    /// The same frame read as CRC-free (exactly L + 1 bytes used). A CRC-free frame's last two
    /// bytes match a format-B CRC by chance once in 65,536 frames; the decoder retries this way
    /// when the format-B reading fails in a later layer.
    static func parseWithoutCRCs(_ raw: [UInt8]) throws(DecodeError) -> WirelessFrame {
        guard let first = raw.first else { throw DecodeError(.truncated, "empty wireless frame") }
        let l = Int(first)
        guard l >= headerLength else {
            throw DecodeError(.invalidFrame, "L field \(l) is too small for a wireless M-Bus frame with a CI field (at least 10)")
        }
        guard raw.count >= l + 1 else { throw DecodeError(.truncated, "L field announces \(l + 1) bytes, got \(raw.count)") }
        let bytes = raw.count == l + 1 ? raw : Array(raw[0...l])
        return WirelessFrame(control: bytes[1], linkAddress: WirelessBytes.address(bytes, manufacturerAt: 2),
                             crcState: .none, bytes: bytes, ciOffset: headerLength)
    }

    private static func stripCRCs(_ raw: [UInt8], l: Int) throws(DecodeError) -> ([UInt8], CRCState) {
        let lengthA = LinkCRC.formatALength(l: l)
        if raw.count >= lengthA {
            if LinkCRC.formatAHeaderVerifies(raw) { return (try LinkCRC.stripFormatA(raw, l: l), .formatA) }
            if raw.count == lengthA {
                throw DecodeError(.crcMismatch, "frame has the length of format A with CRCs (\(lengthA) bytes for L \(l)) but the header block CRC does not verify")
            }
        }
        guard raw.count >= l + 1 else {
            throw DecodeError(.truncated, "L field announces \(l + 1) bytes, got \(raw.count)")
        }
        // The common case: exactly L + 1 bytes, no copy unless it turns out to be format B.
        let frame = raw.count == l + 1 ? raw : Array(raw[0...l])
        if let stripped = LinkCRC.stripFormatB(frame) {
            guard stripped.count > headerLength else { throw DecodeError(.truncated, "format-B frame has no CI field") }
            return (stripped, .formatB)
        }
        return (frame, .none)
    }

    /// The meter's identity (TPL long-header M/A when present, else the DLL's) without
    /// decrypting: what ingest uses to find the key. ELL-encrypted frames hide their TPL, so
    /// for them this is the DLL address (which is the meter for Kamstrup C1 and OMNIPOWER).
    public func meterAddress() throws(DecodeError) -> MeterAddress {
        var position = ciOffset
        if ELLHeader.isELL(bytes[position]) {
            guard bytes[position] != 0x86 else { return linkAddress }
            let ell = try ELLHeader.parse(bytes, at: position)
            if ell.encryption != 0 { return linkAddress }
            position = ell.end
        }
        if position < bytes.count, bytes[position] == LayerChain.networkLayerCI { position += 2 }
        if position < bytes.count, bytes[position] == LayerChain.aflCI {
            // A fragmented or odd AFL still leaves the DLL address to go by.
            guard let afl = try? AFLHeader.parse(bytes, at: position) else { return linkAddress }
            position = afl.end
        }
        return TPLHeader.peekLongAddress(bytes, at: position) ?? linkAddress
    }
}

/// Little-endian reads for the wireless layers; callers check the bounds first.
enum WirelessBytes {
    @inline(__always)
    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    @inline(__always)
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    /// M(2) ID(4) V T in the DLL order, as the address of ELL III/IV and the DLL store them.
    static func address(_ bytes: [UInt8], manufacturerAt at: Int) -> MeterAddress {
        MeterAddress(manufacturer: u16(bytes, at), id: u32(bytes, at + 2), version: bytes[at + 6], deviceType: bytes[at + 7])
    }

    /// Two upper-case hex digits, for error details.
    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
