/// Writes records back to EN 13757-3 bytes: each record's `difvif` key, then its value encoded
/// with the inverse of the parser's scaling. For every record the parser produces,
/// `RecordParser.parse(RecordEncoder.encode(records))` gives the same records; the bytes are the
/// same too except where the parser normalised them (LVAR numbers re-encode in the fewest
/// binary bytes, invalid BCD and NaN as all-F/NaN markers, type I weekday bits as zero, type F
/// hundred-year bits as 0 where the year allows). One exception: a physical int64 raw value
/// beyond 2^53 does not survive the trip through `Double`. Physical values round to the
/// resolution of their VIF, so the simulator may pass any value.
public enum RecordEncoder {
    public static func encode(_ records: [Record], manufacturerData: [UInt8] = [], moreRecordsFollow: Bool = false,
                              manufacturer: UInt16 = 0) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(records.count * 8 + manufacturerData.count + 1)
        for record in records { try append(record, manufacturer: manufacturer, to: &out) }
        if moreRecordsFollow || !manufacturerData.isEmpty {
            out.append(moreRecordsFollow ? 0x1F : 0x0F)
            out += manufacturerData
        }
        return out
    }

    public static func encode(_ parsed: ParsedRecords, manufacturer: UInt16 = 0) throws(DecodeError) -> [UInt8] {
        try encode(parsed.records, manufacturerData: parsed.manufacturerData, moreRecordsFollow: parsed.moreRecordsFollow,
                   manufacturer: manufacturer)
    }

    /// Appends one record (key, plain-text unit if any, data).
    public static func append(_ record: Record, manufacturer: UInt16 = 0, to out: inout [UInt8]) throws(DecodeError) {
        let key = record.difvif.bytes
        let h = try RecordHeader.parseKey(key, manufacturer: manufacturer)
        out += key[0...h.vifIndex]
        if h.isPlainText {
            let text = try latin1(record.unitText ?? "", what: "plain-text unit")
            guard text.count <= RecordHeader.maxUnitText else {
                throw DecodeError(.invalidRecord, "plain-text unit of \(text.count) bytes is too long")
            }
            out.append(UInt8(text.count))
            out += text.reversed()
        }
        out += key[(h.vifIndex + 1)...]
        try appendData(record.value, header: h, to: &out)
    }

    static func appendData(_ value: RecordValue, header h: RecordHeader, to out: inout [UInt8]) throws(DecodeError) {
        let field = h.dataField
        switch field {
        case .none, .selection, .special:
            guard value == .null else { throw mismatch(value, h) }
        case .real32:
            let bits: UInt32
            switch value {
            case .null: bits = Float.nan.bitPattern
            case .number(let d): bits = Float(h.meaning.kind == .physical ? inverse(d, h) : d).bitPattern
            case .integer(let i): bits = Float(h.meaning.kind == .physical ? inverse(Double(i), h) : Double(i)).bitPattern
            default: throw mismatch(value, h)
            }
            appendLittleEndian(UInt64(bits), count: 4, to: &out)
        case .int8, .int16, .int24, .int32, .int48, .int64:
            if h.meaning.kind == .date, try appendDate(value, field: field, to: &out) { return }
            let count = field.length
            let raw = try rawInteger(value, h)
            let signed = h.meaning.kind == .physical || h.meaning.signed
            guard fits(raw, bytes: count, signed: signed) else { throw range(raw, h) }
            appendLittleEndian(UInt64(bitPattern: raw), count: count, to: &out)
        case .bcd2, .bcd4, .bcd6, .bcd8, .bcd12:
            let count = field.length
            if value == .null {
                out += [UInt8](repeating: 0xFF, count: count)
                return
            }
            try appendBCD(try rawInteger(value, h), count: count, header: h, to: &out)
        case .variable:
            try appendVariable(value, header: h, to: &out)
        }
    }

    // MARK: pieces

    static func appendVariable(_ value: RecordValue, header h: RecordHeader, to out: inout [UInt8]) throws(DecodeError) {
        switch value {
        case .text(let s):
            let bytes = try latin1(s, what: "LVAR text")
            guard bytes.count <= 0xBF else { throw DecodeError(.invalidRecord, "LVAR text of \(bytes.count) bytes is too long") }
            out.append(UInt8(bytes.count))
            out += bytes.reversed()
        case .bytes(let b):
            if b.count <= 15 {
                out.append(0xE0 + UInt8(b.count))
            } else if b.count % 4 == 0, b.count <= 56 {
                out.append(0xEC + UInt8(b.count / 4))
            } else {
                throw DecodeError(.invalidRecord, "LVAR binary of \(b.count) bytes has no length code")
            }
            out += b
        case .null:
            out.append(0xC0)  // empty BCD: no value
        case .number, .integer:
            let raw = try rawInteger(value, h)
            let signed = h.meaning.kind == .physical || h.meaning.signed
            var count = 1
            while count < 8, !fits(raw, bytes: count, signed: signed) { count += 1 }
            out.append(0xE0 + UInt8(count))
            appendLittleEndian(UInt64(bitPattern: raw), count: count, to: &out)
        case .date, .dateTime:
            throw mismatch(value, h)
        }
    }

    /// Dates by data length: G (2), J (3, seconds of day), F (4), I (6). False: not a date value.
    static func appendDate(_ value: RecordValue, field: DataField, to out: inout [UInt8]) throws(DecodeError) -> Bool {
        switch (field, value) {
        case (.int16, .null), (.int24, .null), (.int32, .null), (.int48, .null):
            out += [UInt8](repeating: 0xFF, count: field.length)
        case (.int16, .date(let d)):
            guard let bits = DateTypes.encodeDate(d, allowHundredYears: false) else { throw badDate(value) }
            out += [bits.a, bits.b]
        case (.int32, .dateTime(let t)):
            guard let bits = DateTypes.encodeDate(t.date, allowHundredYears: true), (0...23).contains(t.hour),
                  (0...59).contains(t.minute) else { throw badDate(value) }
            out += [UInt8(t.minute), UInt8(t.hour) | bits.hy << 5 | (t.summerTime ? 0x80 : 0), bits.a, bits.b]
        case (.int48, .dateTime(let t)):
            guard let bits = DateTypes.encodeDate(t.date, allowHundredYears: false), (0...23).contains(t.hour),
                  (0...59).contains(t.minute), (0...59).contains(t.second) else { throw badDate(value) }
            out += [UInt8(t.second), UInt8(t.minute), UInt8(t.hour), bits.a, bits.b, t.summerTime ? 0x40 : 0]
        case (.int24, .integer(let s)):
            guard (0..<86400).contains(s) else { throw badDate(value) }
            out += [UInt8(s % 60), UInt8(s / 60 % 60), UInt8(s / 3600)]
        default:
            return false
        }
        return true
    }

    static func appendBCD(_ raw: Int64, count: Int, header h: RecordHeader, to out: inout [UInt8]) throws(DecodeError) {
        let digits = 2 * count
        var magnitude = raw.magnitude
        let limit = UInt64(PowersOfTen.table[raw < 0 ? digits - 1 : digits])
        guard magnitude < limit else { throw range(raw, h) }
        for k in 0..<count {
            let low = UInt8(magnitude % 10)
            magnitude /= 10
            var high = UInt8(magnitude % 10)
            magnitude /= 10
            if k == count - 1, raw < 0 { high = 0xF }
            out.append(high << 4 | low)
        }
    }

    /// The raw integer the data field carries for `value`: inverse scaling for physical values,
    /// rounded to the VIF's resolution; the integer itself otherwise.
    static func rawInteger(_ value: RecordValue, _ h: RecordHeader) throws(DecodeError) -> Int64 {
        let real: Double
        switch value {
        case .integer(let i):
            guard h.meaning.kind == .physical else { return i }
            real = inverse(Double(i), h)
        case .number(let d):
            real = h.meaning.kind == .physical ? inverse(d, h) : d
        default:
            throw mismatch(value, h)
        }
        let rounded = real.rounded()
        guard rounded.isFinite, rounded >= -9.223372036854775e18, rounded <= 9.223372036854775e18 else {
            throw DecodeError(.invalidRecord, "value \(value) does not fit record \(h.difvif)")
        }
        return Int64(rounded)
    }

    /// The inverse of `RecordData.scaled`.
    static func inverse(_ value: Double, _ h: RecordHeader) -> Double {
        let m = h.meaning
        var v = value
        if h.addend != 0 { v -= h.addend }
        if m.denominator != 1 { v *= m.denominator }
        if m.numerator != 1 { v /= m.numerator }
        if m.preOffset != 0 { v -= m.preOffset }
        return PowersOfTen.scale(v, by: -m.exponent)
    }

    static func fits(_ raw: Int64, bytes: Int, signed: Bool) -> Bool {
        if bytes >= 8 { return true }
        let bits = Int64(8 * bytes)
        if signed { return raw >= -(1 << (bits - 1)) && raw < (1 << (bits - 1)) }
        return raw >= 0 && raw < (1 << bits)
    }

    static func appendLittleEndian(_ value: UInt64, count: Int, to out: inout [UInt8]) {
        for k in 0..<count { out.append(UInt8(truncatingIfNeeded: value >> UInt64(8 * k))) }
    }

    static func latin1(_ text: String, what: String) throws(DecodeError) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { throw DecodeError(.invalidRecord, "\(what) has a character beyond Latin-1") }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    static func mismatch(_ value: RecordValue, _ h: RecordHeader) -> DecodeError {
        DecodeError(.invalidRecord, "value \(value) does not fit the data field of record \(h.difvif)")
    }

    static func range(_ raw: Int64, _ h: RecordHeader) -> DecodeError {
        DecodeError(.invalidRecord, "raw value \(raw) out of range for record \(h.difvif)")
    }

    static func badDate(_ value: RecordValue) -> DecodeError {
        DecodeError(.invalidRecord, "\(value) cannot be sent in this date type")
    }
}
