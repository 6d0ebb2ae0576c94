/// The authentication and fragmentation layer (CI 0x90, PROTOCOLS.md §1.5):
/// `90 AFLL FCL(2) [MCL] [KI(2)] [MCR(4)] [MAC] [ML(2)]`, the fields present as FCL says.
public struct AFLHeader: Sendable, Hashable {
    /// FCL: 0x0200 KI, 0x0400 MAC, 0x0800 MCR, 0x1000 ML, 0x2000 MCL present,
    /// 0x4000 more fragments; the low byte is the fragment id.
    public var fragmentControl: UInt16
    /// MCL: bits 0-3 MAC type (5 = AES-CMAC-128 truncated to 8 bytes).
    public var messageControl: UInt8?
    public var keyInformation: UInt16?
    /// MCR: the message counter that feeds the mode-7 KDF.
    public var messageCounter: UInt32?
    public var messageLength: UInt16?
    /// Where the MAC is in the frame.
    public var macRange: Range<Int>?
    /// Offset of the next CI field.
    public var end: Int

    public var moreFragments: Bool { fragmentControl & 0x4000 != 0 }

    /// MAC length of each MCL MAC type (OMS Vol. 2): 3-7 are AES-CMAC-128 truncated to
    /// 2, 4, 8, 12 or 16 bytes; 8 is AES-GMAC (not supported); others carry no MAC.
    static func macLength(type: UInt8) throws(DecodeError) -> Int {
        switch type {
        case 3: 2
        case 4: 4
        case 5: 8
        case 6: 12
        case 7: 16
        case 8: throw DecodeError(.unsupported, "AFL MAC type 8 (AES-GMAC) is not supported")
        default: throw DecodeError(.invalidFrame, "AFL announces a MAC of reserved MAC type \(type)")
        }
    }

    static func parse(_ bytes: [UInt8], at start: Int) throws(DecodeError) -> AFLHeader {
        guard start + 4 <= bytes.count else { throw DecodeError(.truncated, "AFL header at offset \(start) is cut off") }
        let fieldsLength = Int(bytes[start + 1])
        guard fieldsLength >= 2 else { throw DecodeError(.invalidFrame, "AFL length \(fieldsLength) is shorter than its FCL") }
        let end = start + 2 + fieldsLength
        guard end <= bytes.count else {
            throw DecodeError(.truncated, "AFL length \(fieldsLength) runs past the end of the frame")
        }
        let fcl = WirelessBytes.u16(bytes, start + 2)
        var header = AFLHeader(fragmentControl: fcl, end: end)
        if header.moreFragments {
            throw DecodeError(.unsupported, "fragmented AFL message (fragment id \(fcl & 0xFF), more fragments follow): reassembly is not supported")
        }
        var position = start + 4
        func take(_ count: Int, _ field: String) throws(DecodeError) -> Int {
            guard position + count <= end else {
                throw DecodeError(.invalidFrame, "AFL length \(fieldsLength) leaves no room for its \(field)")
            }
            defer { position += count }
            return position
        }
        if fcl & 0x2000 != 0 { header.messageControl = bytes[try take(1, "MCL")] }
        if fcl & 0x0200 != 0 { header.keyInformation = WirelessBytes.u16(bytes, try take(2, "KI")) }
        if fcl & 0x0800 != 0 { header.messageCounter = WirelessBytes.u32(bytes, try take(4, "MCR")) }
        if fcl & 0x0400 != 0 {
            guard let mcl = header.messageControl else {
                throw DecodeError(.invalidFrame, "AFL has a MAC but no MCL to say its type")
            }
            let length = try macLength(type: mcl & 0x0F)
            let at = try take(length, "MAC")
            header.macRange = at..<(at + length)
        }
        if fcl & 0x1000 != 0 { header.messageLength = WirelessBytes.u16(bytes, try take(2, "ML")) }
        return header
    }

    /// The CMAC input of OMS: MCL ‖ MCR ‖ [ML] ‖ everything from the next CI to the end.
    func macInput(_ bytes: [UInt8]) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(7 + bytes.count - end)
        if let messageControl { input.append(messageControl) }
        if let messageCounter {
            for shift in stride(from: 0, to: 32, by: 8) { input.append(UInt8(truncatingIfNeeded: messageCounter >> UInt32(shift))) }
        }
        if let messageLength {
            input.append(UInt8(truncatingIfNeeded: messageLength))
            input.append(UInt8(truncatingIfNeeded: messageLength >> 8))
        }
        input.append(contentsOf: bytes[end...])
        return input
    }

    init(fragmentControl: UInt16, end: Int) {
        self.fragmentControl = fragmentControl
        self.end = end
    }
}
