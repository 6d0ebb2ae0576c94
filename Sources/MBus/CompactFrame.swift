/// Kamstrup compact frames (CI 0x79): `FS0 FS1 FC0 FC1 data...`, the data of a known format
/// without its DIF/VIF bytes (PROTOCOLS §2.5).
public enum CompactFrame {
    /// `bytes[start..<end]` = FS0 FS1 FC0 FC1 data...; returns the full record stream (DIF/VIF
    /// and data interleaved) after checking it against the full-frame CRC FC. Trailing 0x2F
    /// fillers after the format's data are allowed; any other extra byte is an error.
    public static func expand(_ bytes: [UInt8], from start: Int, to end: Int,
                              registry: CompactFormatRegistry) throws(DecodeError) -> [UInt8] {
        guard start >= 0, start <= end, end <= bytes.count else {
            throw DecodeError(.truncated, "compact frame range \(start)..<\(end) outside \(bytes.count) bytes")
        }
        guard end - start >= 4 else {
            throw DecodeError(.truncated, "compact frame needs 4 header bytes (FS, FC), got \(end - start)")
        }
        let signature = UInt16(bytes[start]) | UInt16(bytes[start + 1]) << 8
        let fc = UInt16(bytes[start + 2]) | UInt16(bytes[start + 3]) << 8
        guard let format = registry.compiled(signature: signature) else {
            throw DecodeError(.unknownCompactFormat, "format signature \(hex16(signature)) is neither pre-declared nor learnt from a full frame yet")
        }
        let dataStart = start + 4
        let available = end - dataStart
        guard available >= format.dataLength else {
            throw DecodeError(.truncated, "format \(hex16(signature)) needs \(format.dataLength) data bytes, got \(available)")
        }
        for i in (dataStart + format.dataLength)..<end where bytes[i] != 0x2F {
            throw DecodeError(.invalidRecord, "\(available - format.dataLength) bytes after the data of format \(hex16(signature))")
        }
        let total = format.keys.count + format.dataLength
        let out = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            bytes.withUnsafeBufferPointer { source in
                format.keys.withUnsafeBufferPointer { keys in
                    format.lengths.withUnsafeBufferPointer { lengths in
                        var o = 0, k = 0, d = dataStart, pair = 0
                        while pair < lengths.count {
                            for _ in 0..<Int(lengths[pair]) {
                                buffer[o] = keys[k]
                                o += 1
                                k += 1
                            }
                            for _ in 0..<Int(lengths[pair + 1]) {
                                buffer[o] = source[d]
                                o += 1
                                d += 1
                            }
                            pair += 2
                        }
                    }
                }
            }
            initialized = total
        }
        let computed = CRC16.checksum(out, 0..<out.count)
        guard computed == fc else {
            throw DecodeError(.crcMismatch, "compact frame FC \(hex16(fc)), the expanded records of format \(hex16(signature)) give \(hex16(computed))")
        }
        return out
    }

    static func hex16(_ value: UInt16) -> String {
        WiredFrame.hex(UInt8(value >> 8)) + String(WiredFrame.hex(UInt8(value & 0xFF)).dropFirst(2))
    }
}
