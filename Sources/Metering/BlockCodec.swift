/// Many readings of one meter in one stored block, in time order: history clustered by meter
/// and a few bytes a reading, because consecutive readings differ little.
///
/// Per reading: varint time delta (seconds after the previous reading; the first is relative
/// to the block's `firstTime`), a header byte (bits 0-2 source, bits 3-6 receptions up to 14,
/// 15 = a varint follows, bit 7 = a new mask follows), the mask when it changed, then each
/// present register: `zigzag(Δmantissa) << 1` when the previous reading had it with the same
/// exponent, else `ReadingCodec`'s word `<< 1 | 1` (a raw Float64 follows exponent 7 as there).
public enum BlockCodec {
    public struct Entry: Sendable, Hashable {
        public var time: Int64
        public var source: UInt8
        public var receptions: Int
        public var reading: ReadingCodec.Decoded

        public init(time: Int64, source: UInt8, receptions: Int, reading: ReadingCodec.Decoded) {
            self.time = time
            self.source = source
            self.receptions = receptions
            self.reading = reading
        }
    }

    /// `entries` must be in ascending time order, all at or after `firstTime`; sources 0-7.
    public static func encode(_ entries: [Entry], firstTime: Int64) -> [UInt8] {
        var ends: [Int] = []
        return encode(entries, firstTime: firstTime, ends: &ends)
    }

    /// Also gives where each entry's bytes end, so a caller can cut a long series into blocks
    /// after one pass.
    public static func encode(_ entries: [Entry], firstTime: Int64, ends: inout [Int]) -> [UInt8] {
        ends.removeAll(keepingCapacity: true)
        ends.reserveCapacity(entries.count)
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 12)
        var previousTime = firstTime
        var previousMask: UInt64 = .max
        var previous: [Int64?] = Array(repeating: nil, count: Register.allCases.count)
        var previousExponent = [Int](repeating: -1, count: Register.allCases.count)
        for entry in entries {
            ReadingCodec.putVarint(UInt64(entry.time - previousTime), &out)
            previousTime = entry.time
            let mask = ReadingCodec.mask(entry.reading)
            var header = entry.source & 0x07
            header |= UInt8(min(entry.receptions, 15)) << 3
            if mask != previousMask { header |= 0x80 }
            out.append(header)
            if entry.receptions >= 15 { ReadingCodec.putVarint(UInt64(entry.receptions), &out) }
            if mask != previousMask { ReadingCodec.putVarint(mask, &out) }
            previousMask = mask
            for r in Register.allCases {
                let i = Int(r.rawValue)
                guard let v = entry.reading.values[r] else {
                    previous[i] = nil
                    continue
                }
                if let (m, e) = ReadingCodec.decimal(v, preferring: previous[i] == nil ? -1 : previousExponent[i]) {
                    if let p = previous[i], previousExponent[i] == e {
                        ReadingCodec.putVarint(zigzag(m &- p) << 1, &out)
                    } else {
                        ReadingCodec.putVarint((zigzag(m) << 3 | UInt64(e)) << 1 | 1, &out)
                    }
                    previous[i] = m
                    previousExponent[i] = e
                } else {
                    ReadingCodec.putVarint(7 << 1 | 1, &out)
                    withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
                    previous[i] = nil
                    previousExponent[i] = -1
                }
            }
            if let bits = entry.reading.infoBits { ReadingCodec.putVarint(bits, &out) }
            if entry.reading.infoCodes != 0 { ReadingCodec.putVarint(entry.reading.infoCodes, &out) }
            ends.append(out.count)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8], firstTime: Int64) throws(ReadingCodec.DecodeError) -> [Entry] {
        var reader = ReadingCodec.Reader(bytes: bytes)
        var out: [Entry] = []
        var time = firstTime
        var mask: UInt64?
        var previous: [Int64?] = Array(repeating: nil, count: Register.allCases.count)
        var previousExponent = [Int](repeating: -1, count: Register.allCases.count)
        while reader.index < bytes.count {
            let delta = try reader.varint()
            guard delta <= UInt64(Int64.max) else { throw .truncated }
            time += Int64(delta)
            guard reader.index < bytes.count else { throw .truncated }
            let header = bytes[reader.index]
            reader.index += 1
            var receptions = Int((header >> 3) & 0x0F)
            if receptions == 15 { receptions = Int(clamping: try reader.varint()) }
            if header & 0x80 != 0 { mask = try reader.varint() }
            guard let mask else { throw .truncated }
            guard mask & ~ReadingCodec.knownMask == 0 else { throw .unknownFields(mask & ~ReadingCodec.knownMask) }
            var values = RegisterValues()
            for r in Register.allCases {
                let i = Int(r.rawValue)
                guard mask & (1 << (UInt64(r.rawValue) + ReadingCodec.registerShift)) != 0 else {
                    previous[i] = nil
                    continue
                }
                let word = try reader.varint()
                if word & 1 == 0 {
                    guard let p = previous[i], previousExponent[i] >= 0 else { throw .truncated }
                    let m = p &+ unzigzag(word >> 1)
                    previous[i] = m
                    values[r] = Double(m) / ReadingCodec.powers[previousExponent[i]]
                } else {
                    let full = word >> 1
                    let e = Int(full & 7)
                    if e == 7 {
                        guard full == 7 else { throw .truncated }
                        values[r] = try reader.float64()
                        previous[i] = nil
                        previousExponent[i] = -1
                    } else {
                        let m = unzigzag(full >> 3)
                        previous[i] = m
                        previousExponent[i] = e
                        values[r] = Double(m) / ReadingCodec.powers[e]
                    }
                }
            }
            let bits = mask & ReadingCodec.infoBitsFlag != 0 ? try reader.varint() : nil
            let codes = mask & ReadingCodec.infoCodesFlag != 0 ? try reader.varint() : 0
            out.append(Entry(time: time, source: header & 0x07, receptions: receptions,
                             reading: ReadingCodec.Decoded(values: values, infoBits: bits, infoCodes: codes)))
        }
        return out
    }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }
    static func unzigzag(_ z: UInt64) -> Int64 { Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1) }
}
