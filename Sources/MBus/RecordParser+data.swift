/// The data part of a record: integers, BCD, real, LVAR and dates, scaled by the VIF's meaning.
enum RecordData {
    @inline(__always)
    /// `header` is inout only so the caller's reused header is not copied per record.
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: inout Int, end: Int, header h: inout RecordHeader,
                       recordStart: Int) throws(DecodeError) -> RecordValue {
        let field = h.dataField
        if field == .variable { return try decodeVariable(p, at: &i, end: end, header: h, recordStart: recordStart) }
        let length = field.length
        guard end - i >= length else {
            throw DecodeError(.truncated, "record \(h.difvif) at offset \(recordStart) needs \(length) data bytes, \(end - i) left")
        }
        let at = i
        i += length
        switch field {
        case .none, .selection:
            return .null
        case .real32:
            let bits = UInt32(p[at]) | UInt32(p[at + 1]) << 8 | UInt32(p[at + 2]) << 16 | UInt32(p[at + 3]) << 24
            let float = Float(bitPattern: bits)
            if float.isNaN { return .null }
            return h.meaning.kind == .physical ? .number(scaled(Double(float), h)) : .number(Double(float))
        case .int8, .int16, .int24, .int32, .int48, .int64:
            if h.meaning.kind == .date {
                switch field {
                case .int16: return DateTypes.typeG(p[at], p[at + 1])
                case .int24: return DateTypes.typeJ(p[at], p[at + 1], p[at + 2])
                case .int32: return DateTypes.typeF(p[at], p[at + 1], p[at + 2], p[at + 3])
                case .int48: return DateTypes.typeI(p, at)
                default: break
                }
            }
            return integer(unsigned(p, at, length), bytes: length, h)
        case .bcd2, .bcd4, .bcd6, .bcd8, .bcd12:
            guard let raw = bcd(p, at, length) else { return .null }
            return h.meaning.kind == .physical ? .number(scaled(Double(raw), h)) : .integer(raw)
        case .variable, .special:
            return .null  // handled above / rejected by the header
        }
    }

    /// Little-endian unsigned integer of `count` (1...8) bytes.
    @inline(__always)
    static func unsigned(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> UInt64 {
        var value: UInt64 = 0
        var k = count - 1
        while k >= 0 {
            value = value << 8 | UInt64(p[at + k])
            k -= 1
        }
        return value
    }

    /// Identifiers and bit fields read unsigned; physical values two's complement, and so are
    /// values whose meaning is unknown (as libmbus prints them; the bits are the same).
    @inline(__always)
    static func integer(_ bits: UInt64, bytes: Int, _ h: RecordHeader) -> RecordValue {
        let shift = UInt64(64 - 8 * bytes)
        let signed = Int64(bitPattern: bits << shift) >> Int64(shift)
        switch h.meaning.kind {
        case .physical: return .number(scaled(Double(signed), h))
        case .exact where h.meaning.signed: return .integer(signed)
        default: return .integer(Int64(bitPattern: bits))
        }
    }

    /// BCD, least significant byte first. A top nibble F marks a negative value (libmbus);
    /// all-F or any other non-decimal nibble is nil (no valid value).
    static func bcd(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var k = count - 1
        while k >= 0 {
            let byte = p[at + k]
            var high = Int64(byte >> 4)
            if k == count - 1, high == 0xF {
                negative = true
                high = 0
            }
            let low = Int64(byte & 0x0F)
            guard high <= 9, low <= 9 else { return nil }  // also all-F: its low nibble is F
            value = value * 100 + high * 10 + low
            k -= 1
        }
        return negative ? -value : value
    }

    @inline(__always)
    static func scaled(_ raw: Double, _ h: RecordHeader) -> Double {
        let m = h.meaning
        var value = PowersOfTen.scale(raw, by: m.exponent)
        if m.preOffset != 0 { value += m.preOffset }
        if m.numerator != 1 { value *= m.numerator }
        if m.denominator != 1 { value /= m.denominator }
        if h.addend != 0 { value += h.addend }
        return value
    }

    /// ASCII sent last character first, read as Latin-1 so every byte maps to one character.
    static func reversedText(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        var k = start + count - 1
        while k >= start {
            scalars.append(Unicode.Scalar(p[k]))
            k -= 1
        }
        return String(scalars)
    }

    /// LVAR (EN 13757-3:2018 6.3.3): 0x00-0xBF text, 0xC0-0xDF BCD (+/-), 0xE0-0xEF binary of
    /// LVAR-0xE0 bytes, 0xF0-0xFA binary of 4*(LVAR-0xEC) bytes (libmbus test frame
    /// example_binary16_lvar: 0xF0 = 16 bytes), 0xFB-0xFF reserved. Binary wider than 8 bytes
    /// stays `.bytes`.
    static func decodeVariable(_ p: UnsafeBufferPointer<UInt8>, at i: inout Int, end: Int, header h: RecordHeader,
                               recordStart: Int) throws(DecodeError) -> RecordValue {
        guard i < end else { throw DecodeError(.truncated, "record \(h.difvif) at offset \(recordStart) lacks its LVAR byte") }
        let lvar = p[i]
        let count: Int
        switch lvar {
        case 0x00...0xBF: count = Int(lvar)
        case 0xC0...0xDF: count = Int(lvar & 0x0F)
        case 0xE0...0xEF: count = Int(lvar - 0xE0)
        case 0xF0...0xFA: count = 4 * Int(lvar - 0xEC)
        default: throw DecodeError(.invalidRecord, "reserved LVAR 0x\(RecordHeader.hex(lvar)) in record at offset \(recordStart)")
        }
        guard end - i - 1 >= count else {
            throw DecodeError(.truncated, "LVAR record at offset \(recordStart) announces \(count) bytes, \(end - i - 1) left")
        }
        let at = i + 1
        i = at + count
        switch lvar {
        case 0x00...0xBF:
            return .text(reversedText(p, at, count))
        case 0xC0...0xDF:
            guard count <= 9 else { throw DecodeError(.unsupported, "LVAR BCD of \(count) bytes at offset \(recordStart)") }
            guard count > 0, var raw = bcd(p, at, count) else { return .null }
            if lvar >= 0xD0 { raw = -raw }
            return h.meaning.kind == .physical ? .number(scaled(Double(raw), h)) : .integer(raw)
        default:
            if count == 0 { return integer(0, bytes: 1, h) }
            guard count <= 8 else { return .bytes(Array(p[at..<(at + count)])) }
            return integer(unsigned(p, at, count), bytes: count, h)
        }
    }
}
