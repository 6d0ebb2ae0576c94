/// The CRC-16 of EN 13757-4 (polynomial 0x3D65, initial 0, MSB first, result complemented).
/// One function serves the wireless link-layer blocks, the ELL payload CRC and the Kamstrup
/// compact-frame signatures; table-driven because ingest runs it on every telegram.
public enum CRC16 {
    static let table: [UInt16] = (0..<256).map { byte in
        var crc = UInt16(byte) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x3D65 : crc << 1
        }
        return crc
    }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes { crc = update(crc, byte) }
        return ~crc
    }

    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        table.withUnsafeBufferPointer { t in
            for byte in bytes { crc = (crc << 8) ^ t[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)] }
        }
        return ~crc
    }

    /// `bytes[range]` without copying.
    public static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt16 {
        bytes.withUnsafeBytes { checksum(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    static func update(_ crc: UInt16, _ byte: UInt8) -> UInt16 {
        (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
    }
}
