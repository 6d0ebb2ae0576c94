/// Which wireless link-layer CRC layout a frame arrived in.
public enum CRCState: String, Sendable, Hashable {
    /// Delivered without CRCs (what USB receivers such as im871a or amb8465 hand over).
    case none
    /// Frame format A (T and C mode): the 10-byte header + CRC, then blocks of 16 + CRC.
    case formatA
    /// Frame format B (C mode): up to 126 bytes + CRC, the rest + CRC; L counts the CRCs.
    case formatB
}

/// The CRC blocks of EN 13757-4 frame formats A and B (PROTOCOLS.md §1.2). Each CRC is the
/// EN 13757 CRC-16 of its block, stored high byte first.
///
/// How `WirelessFrame.parse` decides which layout it holds (receivers hand over frames with
/// or without CRCs and sometimes append RSSI/LQI bytes beyond the frame):
/// 1. Format A: the input is at least as long as L implies with A's CRCs
///    (L + 1 + 2 per block, at least 4 more than L + 1) and the header block's CRC verifies.
///    Then every block must verify, else `crc-mismatch`. Input of exactly that length whose
///    header CRC fails is also `crc-mismatch` (a CRC-free frame would need exactly two
///    receiver bytes per block appended to look like that); longer input with a bad header
///    CRC is taken as CRC-free with receiver bytes appended.
/// 2. Format B: the first L + 1 bytes end in B's CRC(s) and they verify (a format-B frame
///    with CRCs is also L + 1 long, so the trailing CRC is what tells it apart).
/// 3. Otherwise the frame is CRC-free: cut to L + 1; fewer bytes is `truncated`.
/// A corrupt format-B frame thus reads as CRC-free; the ELL payload CRC, the 2F2F check or
/// the record parser then rejects it.
enum LinkCRC {
    static let headerBlock = 10
    static let formatABlock = 16
    static let formatBFirstBlock = 126

    /// Total length of a format-A frame with CRCs whose L field is `l` (L excludes CRCs).
    static func formatALength(l: Int) -> Int {
        let dataAfterHeader = l + 1 - headerBlock
        let blocks = 1 + (dataAfterHeader + formatABlock - 1) / formatABlock
        return l + 1 + 2 * blocks
    }

    /// Whether the 10-byte header block's CRC at bytes 10-11 verifies.
    static func formatAHeaderVerifies(_ raw: [UInt8]) -> Bool {
        guard raw.count >= headerBlock + 2 else { return false }
        return CRC16.sliced(raw, 0..<headerBlock) == UInt16(raw[10]) << 8 | UInt16(raw[11])
    }

    /// The frame without its format-A CRCs, cut to L + 1; `raw` must hold `formatALength` bytes.
    static func stripFormatA(_ raw: [UInt8], l: Int) throws(DecodeError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(l + 1)
        var position = 0
        var blockIndex = 0
        while out.count < l + 1 {
            let size = blockIndex == 0 ? headerBlock : min(formatABlock, l + 1 - out.count)
            let end = position + size
            guard end + 2 <= raw.count else { throw DecodeError(.truncated, "format-A block \(blockIndex) ends beyond the input") }
            let stored = UInt16(raw[end]) << 8 | UInt16(raw[end + 1])
            guard CRC16.sliced(raw, position..<end) == stored else {
                throw DecodeError(.crcMismatch, "format-A CRC of block \(blockIndex) (bytes \(position)..<\(end)) does not verify")
            }
            out.append(contentsOf: raw[position..<end])
            position = end + 2
            blockIndex += 1
        }
        return out
    }

    /// The frame without its format-B CRCs if `frame` (exactly L + 1 bytes, L counting the
    /// CRCs) ends in valid ones; nil if they do not verify. The L field is rewritten to
    /// exclude the CRCs, as in the other layouts.
    static func stripFormatB(_ frame: [UInt8]) -> [UInt8]? {
        let count = frame.count
        guard count >= headerBlock + 3 else { return nil }
        if count <= formatBFirstBlock + 2 {
            let stored = UInt16(frame[count - 2]) << 8 | UInt16(frame[count - 1])
            guard CRC16.sliced(frame, 0..<(count - 2)) == stored else { return nil }
            var out = Array(frame[0..<(count - 2)])
            out[0] = UInt8(truncatingIfNeeded: out.count - 1)
            return out
        }
        // Two blocks: 126 bytes + CRC, then the rest + CRC (a third CRC never occurs: L <= 255).
        guard count >= formatBFirstBlock + 2 + 3 else { return nil }
        let first = UInt16(frame[formatBFirstBlock]) << 8 | UInt16(frame[formatBFirstBlock + 1])
        guard CRC16.sliced(frame, 0..<formatBFirstBlock) == first else { return nil }
        let secondStart = formatBFirstBlock + 2
        let stored = UInt16(frame[count - 2]) << 8 | UInt16(frame[count - 1])
        guard CRC16.sliced(frame, secondStart..<(count - 2)) == stored else { return nil }
        var out = Array(frame[0..<formatBFirstBlock])
        out.append(contentsOf: frame[secondStart..<(count - 2)])
        out[0] = UInt8(truncatingIfNeeded: out.count - 1)
        return out
    }

    /// Adds format-A or -B CRCs to a CRC-free frame (L excluding CRCs); for format B the L field
    /// is rewritten to count them. Frames that would exceed L = 255 with CRCs are not possible in
    /// format B; the caller keeps frames short enough.
    static func add(_ frame: [UInt8], format: CRCState) -> [UInt8] {
        switch format {
        case .none:
            return frame
        case .formatA:
            var out = [UInt8]()
            var position = 0
            while position < frame.count {
                let end = position == 0 ? min(headerBlock, frame.count) : min(position + formatABlock, frame.count)
                let crc = CRC16.checksum(frame, position..<end)
                out.append(contentsOf: frame[position..<end])
                out.append(UInt8(crc >> 8))
                out.append(UInt8(crc & 0xFF))
                position = end
            }
            return out
        case .formatB:
            var body = frame
            let withCRCs = frame.count > formatBFirstBlock ? frame.count + 4 : frame.count + 2
            body[0] = UInt8(truncatingIfNeeded: withCRCs - 1)
            if body.count <= formatBFirstBlock {
                let crc = CRC16.checksum(body, 0..<body.count)
                return body + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
            }
            let firstCRC = CRC16.checksum(body, 0..<formatBFirstBlock)
            var out = Array(body[0..<formatBFirstBlock])
            out.append(UInt8(firstCRC >> 8))
            out.append(UInt8(firstCRC & 0xFF))
            let secondCRC = CRC16.checksum(body, formatBFirstBlock..<body.count)
            out.append(contentsOf: body[formatBFirstBlock...])
            out.append(UInt8(secondCRC >> 8))
            out.append(UInt8(secondCRC & 0xFF))
            return out
        }
    }
}
