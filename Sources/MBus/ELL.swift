/// The extended link layer (CI 0x8C-0x8F, PROTOCOLS.md §1.4): CC, ACC, optionally the target
/// M2/A2 (III, IV) and the session number with the payload CRC (II, IV).
public struct ELLHeader: Sendable, Hashable {
    public var ci: UInt8
    /// CC: 0x80 bidirectional, 0x40 response delay, 0x20 synchronous, 0x10 hop count,
    /// 0x08 priority, 0x04 accessibility, 0x02 repeated access.
    public var communicationControl: UInt8
    public var accessNumber: UInt8
    /// M2/A2 of ELL III and IV.
    public var targetAddress: MeterAddress?
    /// SN of ELL II and IV: bits 0-3 session, 4-28 time, 29-31 encryption method.
    public var sessionNumber: UInt32?
    /// The stored payload CRC (after decryption when encrypted); nil for ELL I and III.
    public var payloadCRC: UInt16?
    /// Offset of the PLCRC in the frame: the CTR ciphertext and the CRC'd payload start here.
    public var payloadCRCOffset: Int?
    /// Offset of the next CI field.
    public var end: Int

    /// ENC of the session number: 0 none, 1 AES-128-CTR, others reserved.
    public var encryption: UInt8 { UInt8(truncatingIfNeeded: (sessionNumber ?? 0) >> 29) }
    public var session: UInt8 { UInt8(truncatingIfNeeded: (sessionNumber ?? 0) & 0x0F) }

    static func isELL(_ ci: UInt8) -> Bool { ci == 0x86 || (0x8C...0x8F).contains(ci) }

    static func parse(_ bytes: [UInt8], at start: Int) throws(DecodeError) -> ELLHeader {
        let ci = bytes[start]
        let hasTarget: Bool, hasSession: Bool
        switch ci {
        case 0x8C: (hasTarget, hasSession) = (false, false)
        case 0x8D: (hasTarget, hasSession) = (false, true)
        case 0x8E: (hasTarget, hasSession) = (true, false)
        case 0x8F: (hasTarget, hasSession) = (true, true)
        default: throw DecodeError(.unsupported, "ELL CI 0x\(WirelessBytes.hex(ci)) (ELL V, variable layout) is not decoded")
        }
        let length = 1 + 2 + (hasTarget ? 8 : 0) + (hasSession ? 6 : 0)
        guard start + length <= bytes.count else {
            throw DecodeError(.truncated, "ELL header 0x\(WirelessBytes.hex(ci)) needs \(length) bytes at offset \(start), frame has \(bytes.count)")
        }
        var header = ELLHeader(ci: ci, communicationControl: bytes[start + 1], accessNumber: bytes[start + 2],
                               targetAddress: nil, sessionNumber: nil, payloadCRC: nil, payloadCRCOffset: nil, end: start + length)
        var position = start + 3
        if hasTarget {
            header.targetAddress = WirelessBytes.address(bytes, manufacturerAt: position)
            position += 8
        }
        if hasSession {
            header.sessionNumber = WirelessBytes.u32(bytes, position)
            header.payloadCRCOffset = position + 4
            header.payloadCRC = WirelessBytes.u16(bytes, position + 4)
        }
        return header
    }

    /// Whether the stored PLCRC (little-endian) matches the CRC of everything after it.
    static func payloadCRCVerifies(_ bytes: [UInt8], crcOffset: Int) -> Bool {
        guard crcOffset + 2 <= bytes.count else { return false }
        return WirelessBytes.u16(bytes, crcOffset) == CRC16.sliced(bytes, (crcOffset + 2)..<bytes.count)
    }

    /// Writes the AES-CTR IV of PROTOCOLS.md §1.4 into `iv` (16 bytes): M ‖ A of the DLL,
    /// CC without the hop (0x10) and repeated-access (0x02) bits, SN, FN = 0, BC = 0.
    static func writeCounterIV(_ frame: [UInt8], communicationControl: UInt8, sessionNumber: UInt32,
                               into iv: UnsafeMutableRawBufferPointer) {
        for index in 0..<8 { iv[index] = frame[2 + index] }
        iv[8] = communicationControl & ~0x12
        iv[9] = UInt8(truncatingIfNeeded: sessionNumber)
        iv[10] = UInt8(truncatingIfNeeded: sessionNumber >> 8)
        iv[11] = UInt8(truncatingIfNeeded: sessionNumber >> 16)
        iv[12] = UInt8(truncatingIfNeeded: sessionNumber >> 24)
        iv[13] = 0
        iv[14] = 0
        iv[15] = 0
    }
}
