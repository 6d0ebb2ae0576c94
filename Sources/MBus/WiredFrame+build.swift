/// The frames an M-Bus master sends (libmbus `mbus_send_*` / `mbus_frame_*_pack`), and the
/// slave's RSP_UD for tests and the simulator.
extension WiredFrame {
    /// SND_NKE: link reset / ping; the slave answers E5.
    public static func sndNKE(address: UInt8) -> WiredFrame {
        .short(control: Control.sndNKE, address: address)
    }

    /// REQ_UD2: ask for class-2 (meter) data. Toggle `fcb` for the next telegram of a
    /// multi-telegram readout; keep it for a retry.
    public static func reqUD2(address: UInt8, fcb: Bool = false) -> WiredFrame {
        .short(control: fcb ? Control.reqUD2 | Control.fcb : Control.reqUD2, address: address)
    }

    /// REQ_UD1: ask for class-1 (alarm) data.
    public static func reqUD1(address: UInt8, fcb: Bool = false) -> WiredFrame {
        .short(control: fcb ? Control.reqUD1 | Control.fcb : Control.reqUD1, address: address)
    }

    /// SND_UD: send user data with the given CI.
    public static func sndUD(address: UInt8, fcb: Bool = false, ci: UInt8, data: [UInt8]) -> WiredFrame {
        let c = fcb ? Control.sndUD | Control.fcb : Control.sndUD
        return data.isEmpty ? .control(control: c, address: address, ci: ci) : .long(control: c, address: address, ci: ci, data: data)
    }

    /// Selects a slave for secondary addressing (SND_UD, C 0x73, to 0xFD, CI 0x52). `id` holds
    /// the 8 digits as hex nibbles, e.g. 0x12345678 for id 12345678, with any nibble 0xF a
    /// wildcard (0xFFFFFFFF = any id); nil manufacturer, version or medium = wildcard (FF).
    public static func selectSecondary(id: UInt32, manufacturer: UInt16? = nil, version: UInt8? = nil,
                                       medium: UInt8? = nil) -> WiredFrame {
        let m = manufacturer ?? 0xFFFF
        let data: [UInt8] = [
            UInt8(truncatingIfNeeded: id), UInt8(truncatingIfNeeded: id >> 8),
            UInt8(truncatingIfNeeded: id >> 16), UInt8(truncatingIfNeeded: id >> 24),
            UInt8(truncatingIfNeeded: m), UInt8(truncatingIfNeeded: m >> 8),
            version ?? 0xFF, medium ?? 0xFF,
        ]
        return .long(control: Control.sndUD | Control.fcb, address: Address.networkLayer, ci: 0x52, data: data)
    }

    /// The same with the id as printed, 8 characters of 0-9 or F/f (wildcard), e.g. "1234FFFF";
    /// nil for any other text.
    public static func selectSecondary(id: String, manufacturer: UInt16? = nil, version: UInt8? = nil,
                                       medium: UInt8? = nil) -> WiredFrame? {
        let scalars = Array(id.unicodeScalars)
        guard scalars.count == 8 else { return nil }
        var value: UInt32 = 0
        for scalar in scalars {
            let nibble: UInt32
            switch scalar {
            case "0"..."9": nibble = scalar.value - 48
            case "F", "f": nibble = 0xF
            default: return nil
            }
            value = value << 4 | nibble
        }
        return selectSecondary(id: value, manufacturer: manufacturer, version: version, medium: medium)
    }

    /// Sets a slave's primary address: SND_UD, CI 0x51, record `01 7A new` (libmbus
    /// `mbus_set_primary_address`).
    public static func setPrimaryAddress(current: UInt8, new: UInt8) -> WiredFrame {
        .long(control: Control.sndUD, address: current, ci: 0x51, data: [0x01, 0x7A, new])
    }

    /// Application reset: SND_UD, CI 0x50, with an optional sub-code (EN 13757-3 table 27).
    public static func applicationReset(address: UInt8, subcode: UInt8? = nil) -> WiredFrame {
        sndUD(address: address, ci: 0x50, data: subcode.map { [$0] } ?? [])
    }

    /// A slave's RSP_UD with CI 0x72 (variable data, long header) carrying `records` (the
    /// encoded DIF/VIF/data stream); signature 0000 (no encryption).
    public static func rspUD(address: UInt8, meter: MeterAddress, accessNumber: UInt8, status: UInt8 = 0,
                             records: [UInt8]) -> WiredFrame {
        var data: [UInt8] = []
        data.reserveCapacity(12 + records.count)
        for shift in stride(from: 0, to: 32, by: 8) { data.append(UInt8(truncatingIfNeeded: meter.id >> UInt32(shift))) }
        data.append(UInt8(truncatingIfNeeded: meter.manufacturer))
        data.append(UInt8(truncatingIfNeeded: meter.manufacturer >> 8))
        data.append(contentsOf: [meter.version, meter.deviceType, accessNumber, status, 0x00, 0x00])
        data.append(contentsOf: records)
        return .long(control: Control.rspUD, address: address, ci: 0x72, data: data)
    }
}
