/// Reading a block one reading at a time without building `Entry` values: the consumption and
/// billing reads decode a year of blocks per request, and only need a register or two and the
/// info codes of each reading. Nothing is allocated per reading.
extension BlockCodec {
    public struct Scanner {
        private var reader: ReadingCodec.Reader
        /// The current reading's time and normalised info codes, after `next()` returned true.
        public private(set) var time: Int64
        public private(set) var infoCodes: UInt64 = 0
        private var mask: UInt64?
        /// Per register: the last mantissa and its exponent (-1: the previous reading lacked it
        /// or stored a raw Float64, so the next value is written in full).
        private var mantissa = InlineArray<24, Int64>(repeating: 0)
        private var exponent = InlineArray<24, Int8>(repeating: -1)
        private var values = InlineArray<24, Double>(repeating: 0)
        private var present: UInt32 = 0
        /// The registers whose values are computed; the others are only stepped over.
        private let wanted: UInt32

        /// `registers`: the ones `value(_:)` will be asked for (nil: all of them).
        public init(_ bytes: [UInt8], firstTime: Int64, registers: [Register]? = nil) {
            reader = ReadingCodec.Reader(bytes: bytes)
            time = firstTime
            wanted = registers.map { $0.reduce(0) { $0 | 1 << UInt32($1.rawValue) } } ?? .max
        }

        /// The current reading's value of `register`, nil when it lacks it (or was not wanted).
        public func value(_ register: Register) -> Double? {
            present & wanted & (1 << register.rawValue) != 0 ? values[Int(register.rawValue)] : nil
        }

        /// Moves to the next reading; false at the end of the block. Throws as `decode` does.
        public mutating func next() throws(ReadingCodec.DecodeError) -> Bool {
            guard reader.index < reader.bytes.count else { return false }
            let delta = try reader.varint()
            guard delta <= UInt64(Int64.max), reader.index < reader.bytes.count else { throw .truncated }
            time += Int64(delta)
            let header = reader.bytes[reader.index]
            reader.index += 1
            if (header >> 3) & 0x0F == 15 { _ = try reader.varint() }
            if header & 0x80 != 0 { mask = try reader.varint() }
            guard let mask else { throw .truncated }
            guard mask & ~ReadingCodec.knownMask == 0 else { throw .unknownFields(mask & ~ReadingCodec.knownMask) }
            let registers = UInt32(truncatingIfNeeded: mask >> ReadingCodec.registerShift)
            present = registers
            for i in 0..<24 {
                guard registers & (1 << UInt32(i)) != 0 else {
                    exponent[i] = -1
                    continue
                }
                let word = try reader.varint()
                // An unwanted register's chain of deltas is independent of the others: step
                // over its word (and a raw Float64) without computing anything.
                if wanted & (1 << UInt32(i)) == 0 {
                    if word == 7 << 1 | 1 { _ = try reader.float64() }
                    continue
                }
                if word & 1 == 0 {
                    let e = Int(exponent[i])
                    guard e >= 0 else { throw .truncated }
                    let m = mantissa[i] &+ BlockCodec.unzigzag(word >> 1)
                    mantissa[i] = m
                    values[i] = Double(m) / Self.powers[e]
                } else {
                    let full = word >> 1
                    let e = Int(full & 7)
                    if e == 7 {
                        guard full == 7 else { throw .truncated }
                        values[i] = try reader.float64()
                        exponent[i] = -1
                    } else {
                        let m = BlockCodec.unzigzag(full >> 3)
                        mantissa[i] = m
                        exponent[i] = Int8(e)
                        values[i] = Double(m) / Self.powers[e]
                    }
                }
            }
            if mask & ReadingCodec.infoBitsFlag != 0 { _ = try reader.varint() }
            infoCodes = mask & ReadingCodec.infoCodesFlag != 0 ? try reader.varint() : 0
            return true
        }

        /// `ReadingCodec.powers` without the global's lazy-initialisation check per value.
        private static let powers: InlineArray<7, Double> = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]
    }
}
