/// The transport layer header before the application data (PROTOCOLS.md §1.6):
/// none (0x78, 0x79), short `ACC STS CFG(2)` (0x7A, 0x7B) or long `ID(4) M(2) V T` + short
/// (0x72, 0x73); mode 7 adds one configuration extension byte.
public struct TPLHeader: Sendable, Hashable {
    public var ci: UInt8
    /// M/ID/V/T of a long header: the meter behind a radio converter.
    public var longAddress: MeterAddress?
    public var accessNumber: UInt8?
    public var status: UInt8?
    /// CFG: bit 15 bidirectional, 14 accessibility, 13 synchronous, 8-12 security mode,
    /// 4-7 number of encrypted blocks (modes 5 and 7).
    public var configuration: UInt16?
    /// The mode-7 extension byte: bits 4-5 KDF selection, 0-3 key id.
    public var configurationExtension: UInt8?
    /// CI 0x79/0x7B/0x73: format signature and full-frame CRC follow instead of records.
    public var isCompact: Bool
    /// Offset of the CI field and of the first byte after the header.
    public var start: Int
    public var end: Int

    /// Security mode M of the configuration word (0 without one).
    public var securityMode: UInt8 { UInt8(truncatingIfNeeded: ((configuration ?? 0) >> 8) & 0x1F) }
    /// N: the encrypted 16-byte blocks of modes 5 and 7 (0 = the whole rest).
    public var encryptedBlocks: Int { Int(((configuration ?? 0) >> 4) & 0x0F) }

    enum Layout { case none, short, long }

    /// Layout of the header for the CIs that carry records (or a compact frame).
    static func layout(_ ci: UInt8) -> (Layout, compact: Bool)? {
        switch ci {
        case 0x78: (.none, false)
        case 0x79: (.none, true)
        case 0x7A: (.short, false)
        case 0x7B: (.short, true)
        case 0x72: (.long, false)
        case 0x73: (.long, true)
        default: nil
        }
    }

    /// Only a long-header address, for identifying the meter without decoding the rest.
    static func peekLongAddress(_ bytes: [UInt8], at start: Int) -> MeterAddress? {
        guard start + 9 <= bytes.count else { return nil }
        switch bytes[start] {
        case 0x72, 0x73, 0x6B, 0x6F, 0x75: break
        default: return nil
        }
        return MeterAddress(manufacturer: WirelessBytes.u16(bytes, start + 5), id: WirelessBytes.u32(bytes, start + 1),
                            version: bytes[start + 7], deviceType: bytes[start + 8])
    }

    static func parse(_ bytes: [UInt8], at start: Int) throws(DecodeError) -> TPLHeader {
        guard start < bytes.count else { throw DecodeError(.truncated, "no application CI field after the link layers") }
        let ci = bytes[start]
        guard let (layout, compact) = layout(ci) else { throw rejection(bytes, at: start) }
        var header = TPLHeader(ci: ci, longAddress: nil, accessNumber: nil, status: nil, configuration: nil,
                               configurationExtension: nil, isCompact: compact, start: start, end: start + 1)
        var position = start + 1
        if layout == .long {
            guard position + 8 <= bytes.count else { throw DecodeError(.truncated, "long TPL header (CI 0x\(WirelessBytes.hex(ci))) is cut off") }
            header.longAddress = peekLongAddress(bytes, at: start)
            position += 8
        }
        if layout != .none {
            guard position + 4 <= bytes.count else { throw DecodeError(.truncated, "TPL header (CI 0x\(WirelessBytes.hex(ci))) is cut off") }
            header.accessNumber = bytes[position]
            header.status = bytes[position + 1]
            header.configuration = WirelessBytes.u16(bytes, position + 2)
            position += 4
            if header.securityMode == 7 {
                guard position < bytes.count else { throw DecodeError(.truncated, "mode-7 configuration extension byte is missing") }
                header.configurationExtension = bytes[position]
                position += 1
            }
        }
        header.end = position
        return header
    }

    /// The error for a CI that does not introduce records Fjern decodes.
    static func rejection(_ bytes: [UInt8], at start: Int) -> DecodeError {
        let ci = bytes[start]
        let name = "CI 0x\(WirelessBytes.hex(ci))"
        switch ci {
        case 0x69, 0x6A, 0x6B:
            return DecodeError(.unsupported, "\(name): format-frame application layer (EN 13757-7 format/data split) is not decoded")
        case 0x6E, 0x6F, 0x70, 0x74, 0x75:
            let kind = ci == 0x74 || ci == 0x75 ? "alarm" : "application error"
            let headerLength = ci == 0x6F || ci == 0x75 ? 12 : ci == 0x70 ? 0 : 4
            let codeAt = start + 1 + headerLength
            let code = codeAt < bytes.count ? ", code 0x\(WirelessBytes.hex(bytes[codeAt]))" : ""
            return DecodeError(.applicationError, "meter reports an \(kind) (\(name)\(code))")
        case 0xA0...0xB7:
            return DecodeError(.unsupported, "manufacturer-specific \(name) (proprietary layouts such as Diehl IZAR, Techem, Apator NA-1)")
        case 0x81, 0x86, 0x8C...0x8F, 0x90:
            return DecodeError(.unsupported, "\(name) out of order: link layers must come as ELL, network layer, AFL, then the application CI")
        default:
            return DecodeError(.unsupported, "unknown \(name)")
        }
    }
}
