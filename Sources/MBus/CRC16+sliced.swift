/// Slicing-by-4 for the wireless hot path: the byte-wise table loop is latency-bound (one
/// dependent lookup per byte, about 3.4 ns/byte here) and ingest runs the CRC twice per
/// Kamstrup telegram (format-B probe, ELL payload CRC). Same function as `checksum`.
extension CRC16 {
    /// Four tables: `tables[k * 256 + x]` is the CRC register after byte x followed by k zero bytes.
    static let slicedTables: [UInt16] = {
        var tables = [UInt16](repeating: 0, count: 4 * 256)
        for x in 0..<256 { tables[x] = table[x] }
        for k in 1..<4 {
            for x in 0..<256 {
                let previous = tables[(k - 1) * 256 + x]
                tables[k * 256 + x] = (previous << 8) ^ table[Int(previous >> 8)]
            }
        }
        return tables
    }()

    /// `checksum(bytes, range)`, four bytes per step.
    static func sliced(_ bytes: [UInt8], _ range: Range<Int>) -> UInt16 {
        var crc: UInt16 = 0
        bytes.withUnsafeBufferPointer { buffer in
            slicedTables.withUnsafeBufferPointer { t in
                var index = range.lowerBound
                let end = range.upperBound
                while end - index >= 4 {
                    let x0 = Int(UInt8(truncatingIfNeeded: crc >> 8) ^ buffer[index])
                    let x1 = Int(UInt8(truncatingIfNeeded: crc) ^ buffer[index + 1])
                    crc = t[768 + x0] ^ t[512 + x1] ^ t[256 + Int(buffer[index + 2])] ^ t[Int(buffer[index + 3])]
                    index += 4
                }
                while index < end {
                    crc = (crc << 8) ^ t[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ buffer[index])]
                    index += 1
                }
            }
        }
        return ~crc
    }
}
