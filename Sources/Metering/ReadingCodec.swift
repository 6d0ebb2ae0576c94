/// The stored form of a reading's values, built to cost few bytes (issue 5: <= 40 bytes of
/// database a reading, row included).
///
/// Layout: varint mask (bit 0 info-code bits, bit 1 info-code set, bit 2 + n register n: the
/// common registers have small raw values, so a heat meter's mask takes 2 bytes), then each present register in raw-value order, then the info fields. A register value
/// is `zigzag(mantissa) << 3 | e` for `value = mantissa / 10^e` with e in 0...6: meter values
/// are decimal (M-Bus sends integers times a power of ten), so heat energy costs 3 bytes and a
/// temperature 2. e = 7 marks a raw little-endian Float64 for anything else.
public enum ReadingCodec {
    public struct Decoded: Sendable, Hashable {
        public var values: RegisterValues
        /// The meter's raw info-code / error bits (their meaning depends on the meter's map).
        public var infoBits: UInt64?
        /// The normalised info codes as a set of catalogue positions (the App owns the catalogue).
        public var infoCodes: UInt64

        public init(values: RegisterValues, infoBits: UInt64? = nil, infoCodes: UInt64 = 0) {
            self.values = values
            self.infoBits = infoBits
            self.infoCodes = infoCodes
        }

        /// Two telegrams of one reading (an alarm or hourly package joining the reading of its
        /// time): `other`'s values where it has them, its info bits when it has them, both sets of codes.
        public func merging(_ other: Decoded) -> Decoded {
            Decoded(values: values.merging(other.values), infoBits: other.infoBits ?? infoBits, infoCodes: infoCodes | other.infoCodes)
        }
    }

    public enum DecodeError: Error, Sendable, Equatable {
        case truncated
        case unknownFields(UInt64)
    }

    static let infoBitsFlag: UInt64 = 1 << 0
    static let infoCodesFlag: UInt64 = 1 << 1
    static let registerShift: UInt64 = 2
    static let knownMask: UInt64 = (1 << 26) - 1

    static func mask(_ reading: Decoded) -> UInt64 {
        var mask = UInt64(reading.values.mask) << registerShift
        if reading.infoBits != nil { mask |= infoBitsFlag }
        if reading.infoCodes != 0 { mask |= infoCodesFlag }
        return mask
    }

    public static func encode(_ reading: Decoded, into out: inout [UInt8]) {
        putVarint(mask(reading), &out)
        for r in Register.allCases {
            guard let v = reading.values[r] else { continue }
            putValue(v, &out)
        }
        if let bits = reading.infoBits { putVarint(bits, &out) }
        if reading.infoCodes != 0 { putVarint(reading.infoCodes, &out) }
    }

    public static func encode(_ reading: Decoded) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        encode(reading, into: &out)
        return out
    }

    public static func decode(_ bytes: some RandomAccessCollection<UInt8>) throws(DecodeError) -> Decoded {
        var reader = Reader(bytes: Array(bytes))
        let mask = try reader.varint()
        guard mask & ~knownMask == 0 else { throw .unknownFields(mask & ~knownMask) }
        var values = RegisterValues()
        for r in Register.allCases where mask & (1 << (UInt64(r.rawValue) + registerShift)) != 0 {
            values[r] = try reader.value()
        }
        let bits = mask & infoBitsFlag != 0 ? try reader.varint() : nil
        let codes = mask & infoCodesFlag != 0 ? try reader.varint() : 0
        return Decoded(values: values, infoBits: bits, infoCodes: codes)
    }

    // MARK: values

    static let powers: [Double] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]

    /// `(m, e)` with `v == m / 10^e` for the smallest e in 0...6, nil when v is no such decimal.
    static func decimal(_ v: Double, preferring preferred: Int = -1) -> (Int64, Int)? {
        // A series keeps its exponent (65.0 after 65.3 stays 650 tenths), so deltas stay small.
        if preferred >= 0, preferred < powers.count {
            let scaled = (v * powers[preferred]).rounded()
            if abs(scaled) < 9.0e15, scaled / powers[preferred] == v || abs(scaled / powers[preferred] - v) <= abs(v) * 4.5e-16 {
                return (Int64(scaled), preferred)
            }
        }
        for e in 0..<powers.count {
            let scaled = (v * powers[e]).rounded()
            guard abs(scaled) < 9.0e15 else { return nil }
            let back = scaled / powers[e]
            // Within a couple of ulps: the decoder may have made v by multiplying by 0.001,
            // which is not always bit-identical to dividing by 1000; the decimal is the truth.
            if back == v || abs(back - v) <= abs(v) * 4.5e-16 { return (Int64(scaled), e) }
        }
        return nil
    }

    static func putValue(_ v: Double, _ out: inout [UInt8]) {
        if let (m, e) = decimal(v) {
            putVarint(UInt64(bitPattern: (m << 1) ^ (m >> 63)) << 3 | UInt64(e), &out)
            return
        }
        putVarint(7, &out)
        withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
    }

    static func putVarint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func varint() throws(DecodeError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw .truncated }
                let b = bytes[index]
                index += 1
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return result }
                shift += 7
            }
        }

        mutating func float64() throws(DecodeError) -> Double {
            guard index + 8 <= bytes.count else { throw .truncated }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
            index += 8
            return Double(bitPattern: bits)
        }

        mutating func value() throws(DecodeError) -> Double {
            let word = try varint()
            let e = Int(word & 7)
            if e == 7 {
                guard word == 7 else { throw .truncated }
                return try float64()
            }
            let z = word >> 3
            let m = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
            return Double(m) / ReadingCodec.powers[e]
        }
    }
}
