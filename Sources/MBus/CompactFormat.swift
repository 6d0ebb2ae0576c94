/// A compact-frame format (Kamstrup CI 0x79): the DIF/DIFE/VIF/VIFE keys of a full frame's
/// records, concatenated, with each record's key and data length precomputed so expansion
/// is a copy loop (PROTOCOLS §2.5).
struct CompactFormat: Sendable {
    /// The keys without 0x2F fillers: what the signature covers.
    var keys: [UInt8]
    /// Per record: key length, data length (flattened pairs; both fit a byte).
    var lengths: [UInt8]
    var dataLength: Int
    var signature: UInt16
    /// Seeded from the drivers' lists, so not worth persisting.
    var predeclared: Bool

    /// EN 13757-3 limits a record to 10 DIFEs and 10 VIFEs.
    static let maximumExtensions = 10

    /// Data bytes per DIF data-field nibble; nil = variable length (LVAR), not allowed here.
    static func dataLength(dif: UInt8) -> Int? {
        switch dif & 0x0F {
        case 0x0, 0x8: 0
        case 0x1, 0x9: 1
        case 0x2, 0xA: 2
        case 0x3, 0xB: 3
        case 0x4, 0xC, 0x5: 4
        case 0x6, 0xE: 6
        case 0x7: 8
        default: nil // 0xD variable length, 0xF special functions
        }
    }

    /// Builds a format from keys alone (a pre-declared or persisted list).
    init(keys input: [UInt8], predeclared: Bool) throws(DecodeError) {
        var walker = KeyWalker(bytes: input, index: 0, end: input.count, withData: false)
        var keys: [UInt8] = []
        var lengths: [UInt8] = []
        var total = 0
        while let (range, data) = try walker.next() {
            keys.append(contentsOf: input[range])
            lengths.append(UInt8(range.count))
            lengths.append(UInt8(data))
            total += data
        }
        guard !keys.isEmpty else { throw DecodeError(.invalidRecord, "compact format without records") }
        self.keys = keys
        self.lengths = lengths
        self.dataLength = total
        self.signature = CRC16.checksum(keys)
        self.predeclared = predeclared
    }
}

/// Walks DIF/DIFE/VIF/VIFE chains, either of a format (keys only) or of a full record stream
/// (keys and data, skipping the data). Stops at the end, or at DIF 0x0F/0x1F (manufacturer
/// data, which has no key and cannot be sent compactly). Allocates nothing.
struct KeyWalker {
    let bytes: [UInt8]
    var index: Int
    let end: Int
    let withData: Bool

    /// The next record's key range and its data length, or nil at the end.
    mutating func next() throws(DecodeError) -> (Range<Int>, Int)? {
        while index < end, bytes[index] == 0x2F { index += 1 }
        guard index < end else { return nil }
        let start = index
        let dif = bytes[index]
        if dif == 0x0F || dif == 0x1F {
            index = end
            return nil
        }
        guard let length = CompactFormat.dataLength(dif: dif) else {
            let what = dif & 0x0F == 0x0D ? "variable-length data (LVAR)" : "special function DIF"
            throw DecodeError(.invalidRecord, "\(what) \(WiredFrame.hex(dif)) at \(start) cannot be in a compact frame")
        }
        index += 1
        try skipExtensions(after: dif, what: "DIFE")
        guard index < end else { throw DecodeError(.invalidRecord, "record at \(start) ends before its VIF") }
        let vif = bytes[index]
        if vif & 0x7F == 0x7C {
            throw DecodeError(.invalidRecord, "plain-text VIF at \(index) cannot be in a compact frame")
        }
        index += 1
        try skipExtensions(after: vif, what: "VIFE")
        let key = start..<index
        if withData {
            guard end - index >= length else {
                throw DecodeError(.truncated, "record at \(start) needs \(length) data bytes, \(end - index) left")
            }
            index += length
        }
        return (key, length)
    }

    private mutating func skipExtensions(after first: UInt8, what: String) throws(DecodeError) {
        var previous = first
        var count = 0
        while previous & 0x80 != 0 {
            guard index < end else { throw DecodeError(.invalidRecord, "\(what) chain ends at \(index)") }
            count += 1
            guard count <= CompactFormat.maximumExtensions else {
                throw DecodeError(.invalidRecord, "more than \(CompactFormat.maximumExtensions) \(what)s at \(index)")
            }
            previous = bytes[index]
            index += 1
        }
    }
}
