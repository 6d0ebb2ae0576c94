/// The records of one application-layer payload.
public struct ParsedRecords: Sendable, Hashable {
    public var records: [Record]
    /// Bytes after DIF 0x0F/0x1F (without that DIF), raw.
    public var manufacturerData: [UInt8]
    /// The payload ended with DIF 0x1F: a wired slave has more telegrams.
    public var moreRecordsFollow: Bool

    public init(records: [Record] = [], manufacturerData: [UInt8] = [], moreRecordsFollow: Bool = false) {
        self.records = records
        self.manufacturerData = manufacturerData
        self.moreRecordsFollow = moreRecordsFollow
    }
}

/// EN 13757-3 variable data records. Values are normalised to the canonical units of `Unit`;
/// records without data (DIF data field 0 "no data" and 8 "selection for readout") are kept
/// with value `.null`; filler 0x2F is skipped anywhere and the global readout DIF 0x7F, which
/// carries nothing, too.
public enum RecordParser {
    /// Parses the records in bytes[start..<end]. `manufacturer` (packed M field) selects the
    /// manufacturer-specific VIF table (0x7F/0xFF VIFs and VIFEs); 0 = none.
    public static func parse(_ bytes: [UInt8], from start: Int, to end: Int,
                             manufacturer: UInt16) throws(DecodeError) -> ParsedRecords {
        guard start >= 0, start <= end, end <= bytes.count else {
            throw DecodeError(.truncated, "record range \(start)..<\(end) outside \(bytes.count) bytes")
        }
        return try bytes.withUnsafeBufferPointer { (p) throws(DecodeError) -> ParsedRecords in
            try parse(p, from: start, to: end, manufacturer: manufacturer)
        }
    }

    static func parse(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
                      manufacturer: UInt16) throws(DecodeError) -> ParsedRecords {
        var result = ParsedRecords()
        result.records.reserveCapacity(min((end - start) / 4 + 1, 64))  // ~5 bytes per record
        var i = start
        var header = RecordHeader()
        while i < end {
            let dif = p[i]
            switch dif {
            case 0x2F, 0x7F:
                i += 1
                continue
            case 0x0F, 0x1F:
                result.manufacturerData = Array(p[(i + 1)..<end])
                result.moreRecordsFollow = dif == 0x1F
                return result
            default:
                break
            }
            let recordStart = i
            try RecordHeader.parse(p, at: &i, end: end, manufacturer: manufacturer, inlineText: true, into: &header)
            let value = try RecordData.decode(p, at: &i, end: end, header: &header, recordStart: recordStart)
            let unitText = header.isPlainText ? RecordData.reversedText(p, header.textStart, header.textCount) : nil
            let record = Record(quantity: header.meaning.quantity, unit: header.meaning.unit, value: value,
                                storage: header.storage, tariff: header.tariff, subunit: header.subunit,
                                function: header.function, modifiers: header.modifiers,
                                difvif: header.difvif, unitText: unitText)
            result.records.append(consume record)
        }
        return result
    }
}

extension Record {
    /// A record as the parser would produce it for this DIF/VIF key and value, e.g.
    /// `try Record.make([0x04, 0x13], .number(1.234))` (volume in m3). The value is not checked
    /// against the data field here; `RecordEncoder` does that when it writes the record.
    public static func make(_ difvif: [UInt8], _ value: RecordValue, unitText: String? = nil,
                            manufacturer: UInt16 = 0) throws(DecodeError) -> Record {
        let header = try RecordHeader.parseKey(difvif, manufacturer: manufacturer)
        return Record(quantity: header.meaning.quantity, unit: header.meaning.unit, value: value,
                      storage: header.storage, tariff: header.tariff, subunit: header.subunit,
                      function: header.function, modifiers: header.modifiers, difvif: header.difvif,
                      unitText: header.isPlainText ? (unitText ?? "") : nil)
    }
}

extension RecordHeader {
    /// Reads a bare key (`Record.difvif`): all of it must be one DIF/VIF chain.
    static func parseKey(_ key: [UInt8], manufacturer: UInt16) throws(DecodeError) -> RecordHeader {
        guard let dif = key.first else { throw DecodeError(.invalidRecord, "empty DIF/VIF key") }
        guard dif != 0x0F, dif != 0x1F, dif != 0x2F, dif != 0x7F else {
            throw DecodeError(.invalidRecord, "DIF 0x\(hex(dif)) does not start a record")
        }
        return try key.withUnsafeBufferPointer { (p) throws(DecodeError) -> RecordHeader in
            var i = 0
            let header = try parse(p, at: &i, end: p.count, manufacturer: manufacturer, inlineText: false)
            guard i == p.count else { throw DecodeError(.invalidRecord, "\(p.count - i) bytes after the DIF/VIF chain") }
            return header
        }
    }
}
