extension WiredFrame {
    /// Parses exactly one frame at the start of `bytes`; returns it and the bytes consumed
    /// (bytes after the frame are left to the caller: the next frame on a stream).
    public static func parse(_ bytes: [UInt8]) throws(DecodeError) -> (frame: WiredFrame, length: Int) {
        try parse(bytes[...])
    }

    /// The same over a slice (a receive buffer), without copying it first.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(DecodeError) -> (frame: WiredFrame, length: Int) {
        let s = bytes.startIndex
        guard let first = bytes.first else { throw DecodeError(.truncated, "no bytes") }
        switch first {
        case ackByte:
            return (.ack, 1)
        case shortStart:
            guard bytes.count >= 5 else { throw DecodeError(.truncated, "short frame needs 5 bytes, got \(bytes.count)") }
            guard bytes[s + 4] == stop else { throw DecodeError(.invalidFrame, "short frame without stop byte 0x16") }
            let c = bytes[s + 1], a = bytes[s + 2]
            guard c &+ a == bytes[s + 3] else {
                throw DecodeError(.checksumMismatch, "short frame checksum \(hex(bytes[s + 3])), computed \(hex(c &+ a))")
            }
            return (.short(control: c, address: a), 5)
        case longStart:
            let total = try longFrameLength(bytes)
            guard bytes.count >= total else {
                throw DecodeError(.truncated, "long frame needs \(total) bytes, got \(bytes.count)")
            }
            guard bytes[s + total - 1] == stop else { throw DecodeError(.invalidFrame, "long frame without stop byte 0x16") }
            var sum: UInt8 = 0
            for i in (s + 4)..<(s + total - 2) { sum &+= bytes[i] }
            guard sum == bytes[s + total - 2] else {
                throw DecodeError(.checksumMismatch, "long frame checksum \(hex(bytes[s + total - 2])), computed \(hex(sum))")
            }
            let c = bytes[s + 4], a = bytes[s + 5], ci = bytes[s + 6]
            if total == 9 { return (.control(control: c, address: a, ci: ci), total) }
            return (.long(control: c, address: a, ci: ci, data: Array(bytes[(s + 7)..<(s + total - 2)])), total)
        default:
            throw DecodeError(.invalidFrame, "no M-Bus frame starts with \(hex(first))")
        }
    }

    /// For a receiver reading a stream: how many more bytes `parse` needs before it can decide
    /// (0 = enough), like the return value of libmbus `mbus_parse`. A start that can never become
    /// a valid frame throws `invalid-frame` at once, so a reader never waits for bytes in vain.
    public static func bytesNeeded(_ bytes: ArraySlice<UInt8>) throws(DecodeError) -> Int {
        guard let first = bytes.first else { return 1 }
        switch first {
        case ackByte:
            return 0
        case shortStart:
            return max(0, 5 - bytes.count)
        case longStart:
            guard bytes.count >= 4 else {
                try checkLongHeaderPrefix(bytes)
                return 4 - bytes.count
            }
            return max(0, try longFrameLength(bytes) - bytes.count)
        default:
            throw DecodeError(.invalidFrame, "no M-Bus frame starts with \(hex(first))")
        }
    }

    public static func bytesNeeded(_ bytes: [UInt8]) throws(DecodeError) -> Int {
        try bytesNeeded(bytes[...])
    }

    /// Total length of the long frame whose 4-byte header starts `bytes` (count >= 4).
    private static func longFrameLength(_ bytes: ArraySlice<UInt8>) throws(DecodeError) -> Int {
        guard bytes.count >= 4 else { throw DecodeError(.truncated, "long frame header needs 4 bytes, got \(bytes.count)") }
        try checkLongHeaderPrefix(bytes)
        let s = bytes.startIndex
        guard bytes[s + 3] == longStart else { throw DecodeError(.invalidFrame, "long frame header without second 0x68") }
        return Int(bytes[s + 1]) + 6
    }

    /// The checks that can fail before all 4 header bytes are in: L >= 3 and L == L.
    private static func checkLongHeaderPrefix(_ bytes: ArraySlice<UInt8>) throws(DecodeError) {
        let s = bytes.startIndex
        if bytes.count >= 2, bytes[s + 1] < 3 {
            throw DecodeError(.invalidFrame, "long frame L field \(bytes[s + 1]) < 3 (C, A and CI)")
        }
        if bytes.count >= 3, bytes[s + 1] != bytes[s + 2] {
            throw DecodeError(.invalidFrame, "long frame L fields differ: \(bytes[s + 1]) and \(bytes[s + 2])")
        }
    }
}

extension WiredFrame {
    /// `0x5B` style, for error details.
    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
