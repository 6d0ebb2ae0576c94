/// One wired M-Bus link-layer frame (EN 13757-2): what an M-Bus master sends and a slave
/// answers, byte for byte. Parsing checks the frame (start and stop bytes, both L fields,
/// checksum); the application layer of a long frame is read by `applicationPayload()`.
public enum WiredFrame: Sendable, Hashable {
    /// The single character E5: acknowledgement (SND_NKE, SND_UD, select).
    case ack
    /// `10 C A CS 16`.
    case short(control: UInt8, address: UInt8)
    /// `68 03 03 68 C A CI CS 16`: a long frame without data.
    case control(control: UInt8, address: UInt8, ci: UInt8)
    /// `68 L L 68 C A CI data CS 16`, 1...252 data bytes.
    case long(control: UInt8, address: UInt8, ci: UInt8, data: [UInt8])

    /// EN 13757-2 caps a long frame's user data at 252 bytes (L is one byte and counts C, A, CI).
    public static let maximumDataLength = 252

    static let ackByte: UInt8 = 0xE5
    static let shortStart: UInt8 = 0x10
    static let longStart: UInt8 = 0x68
    static let stop: UInt8 = 0x16

    /// C field values (EN 13757-2 table 4 and libmbus `MBUS_CONTROL_*`).
    public enum Control {
        public static let sndNKE: UInt8 = 0x40
        public static let sndUD: UInt8 = 0x53
        public static let reqUD2: UInt8 = 0x5B
        public static let reqUD1: UInt8 = 0x5A
        public static let rspUD: UInt8 = 0x08
        /// Frame count bit of master frames: toggled per new request so a slave can tell a
        /// retry from the next request (multi-telegram readout).
        public static let fcb: UInt8 = 0x20
    }

    /// Special A field values.
    public enum Address {
        /// Secondary addressing: the slave selected by a previous select command answers.
        public static let networkLayer: UInt8 = 0xFD
        /// Broadcast that one slave answers (only safe with a single slave on the bus).
        public static let broadcastWithReply: UInt8 = 0xFE
        /// Broadcast without reply.
        public static let broadcast: UInt8 = 0xFF
    }

    public var control: UInt8? {
        switch self {
        case .ack: nil
        case .short(let c, _), .control(let c, _, _), .long(let c, _, _, _): c
        }
    }

    public var address: UInt8? {
        switch self {
        case .ack: nil
        case .short(_, let a), .control(_, let a, _), .long(_, let a, _, _): a
        }
    }

    /// The frame on the wire, with L fields, checksum and stop byte. A `.long` frame with more
    /// than `maximumDataLength` bytes cannot exist on the wire: building one is a programming error.
    public var encoded: [UInt8] {
        switch self {
        case .ack:
            return [Self.ackByte]
        case .short(let c, let a):
            return [Self.shortStart, c, a, c &+ a, Self.stop]
        case .control(let c, let a, let ci):
            return [Self.longStart, 3, 3, Self.longStart, c, a, ci, c &+ a &+ ci, Self.stop]
        case .long(let c, let a, let ci, let data):
            precondition(data.count <= Self.maximumDataLength, "M-Bus long frame data over 252 bytes")
            let l = UInt8(3 + data.count)
            var out: [UInt8] = []
            out.reserveCapacity(data.count + 9)
            out.append(contentsOf: [Self.longStart, l, l, Self.longStart, c, a, ci])
            out.append(contentsOf: data)
            var sum = c &+ a &+ ci
            for byte in data { sum &+= byte }
            out.append(sum)
            out.append(Self.stop)
            return out
        }
    }
}
