internal import MBus

/// A slave's secondary address as the bus reports it (EN 13757-3 fixed header): the id as
/// 8 BCD digits, the manufacturer, version and medium.
struct SecondaryAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 8 digits as printed, e.g. "76348799".
    var id: String
    /// Three letters, e.g. "KAM".
    var manufacturer: String
    var version: UInt8
    var medium: UInt8

    var description: String { "\(id) \(manufacturer) v\(version) medium \(medium)" }
}

/// Who a wired transaction is addressed to.
enum WiredTarget: Sendable, Hashable {
    /// 1-250.
    case primary(UInt8)
    /// Selected with SND_UD (CI 0x52) first, then addressed at 253.
    case secondary(SecondaryAddress)
}

/// Why a wired transaction failed, in words for the per-meter failure log.
struct WiredBusError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// The gateway could not be reached or the connection broke.
        case connection
        /// The slave did not answer within the timeout, after the retries.
        case noReply
        /// Replies arrived but none was a valid frame (checksum, length, garbage), after the retries.
        case badReply
        /// Several slaves answered a selection (secondary addresses overlap).
        case collision
        /// The slave answered, but not as the transaction requires (e.g. no E5 after SND_UD).
        case refused
    }

    var kind: Kind
    var message: String

    var description: String { message }
}

/// One M-Bus over TCP gateway (a transparent serial bridge: the socket's bytes are the serial
/// M-Bus frames). Implementations run one transaction at a time per bus, retry as configured,
/// and tolerate echoes, garbage between frames, short reads and silent slaves.
protocol WiredBus: Sendable {
    /// Reads a slave: SND_NKE (primary only), then REQ_UD2 with the FCB toggled per request,
    /// following multi-telegram replies (DIF 0x1F) to the end. The RSP_UD long frames, in order.
    func read(_ target: WiredTarget) async throws(WiredBusError) -> [[UInt8]]
    /// Secondary-address search: wildcard selections narrowed digit by digit where several
    /// slaves collide. Every slave found, once.
    func scan() async throws(WiredBusError) -> [SecondaryAddress]
    /// SND_UD with `ci` and `data` to the slave, confirmed by its single character E5.
    func send(ci: UInt8, data: [UInt8], to target: WiredTarget) async throws(WiredBusError)
}
