/// Kamstrup's maps. Facts from wmbusmeters drivers/src/kamheat.xmq, kamwater.xmq and
/// kampress.xmq (PROTOCOLS §3.1-3.2) and the MULTICAL 403 technical description §7.7.
extension InfoCodeMaps {
    static let kam: UInt16 = 0x2C2D
    static let kaw: UInt16 = 0x2C37

    static func map(for record: Record, address: MeterAddress) -> BitMap? {
        guard address.manufacturer == kam || address.manufacturer == kaw else { return nil }
        let key = record.difvif
        switch address.deviceType {
        case 0x04, 0x0A, 0x0B, 0x0C, 0x0D: // MULTICAL 302/303/402/403/602/603/803
            if key == DIFVIF([0x04, 0xFF, 0x22]) { return kamstrupHeat32 }
            if key == DIFVIF([0x02, 0xFF, 0x22]) { return kamstrupHeat16 }
            if record.quantity == .errorFlags, record.function == .instantaneous { return kamstrupHeatNarrow }
        case 0x06, 0x07, 0x15, 0x16: // MULTICAL 21, flowIQ 2200, KWM
            if key == DIFVIF([0x02, 0xFF, 0x20]) { return kamstrupWater16 }
            if key == DIFVIF([0x04, 0xFF, 0x23]) { return kamstrupWater32 }
        case 0x18: // pressure sensor
            if record.quantity == .errorFlags, record.function == .instantaneous { return kamstrupPressure }
        default:
            break
        }
        return nil
    }

    /// Every map `map(for:address:)` can return: what ingest can raise.
    static let maps: [BitMap] = [kamstrupHeat32, kamstrupHeat16, kamstrupHeatNarrow, kamstrupWater16, kamstrupWater32,
                                 kamstrupPressure]

    private static func m(_ code: String, _ detail: String) -> BitMap.Meaning { BitMap.Meaning(code: code, detail: detail) }

    /// `04FF22`, 32 bits.
    static let kamstrupHeat32 = BitMap(name: "Kamstrup 04FF22", width: 32, bits: [
        0: m("voltage-interrupted", "voltage interrupted"),
        1: m("low-battery", "low battery level"),
        2: m("sensor-error", "sensor error / external alarm"),
        3: m("temperature-out-of-range", "t1 above measuring range or disconnected"),
        4: m("temperature-out-of-range", "t2 above measuring range or disconnected"),
        5: m("temperature-out-of-range", "t1 below measuring range or short-circuited"),
        6: m("temperature-out-of-range", "t2 below measuring range or short-circuited"),
        7: m("temperature-difference-wrong-polarity", "temperature difference wrong polarity"),
        8: m("air", "flow sensor V1 weak signal or air"),
        9: m("reverse-flow", "wrong flow direction V1"),
        11: m("increased-flow", "flow V1 above qs"),
        12: m("leak", "leak in the system, input A1"),
        13: m("leak", "leak in the system, input B1"),
        14: m("external-alarm", "external alarm, input A1/A2"),
        15: m("external-alarm", "external alarm, input B1/B2"),
        16: m("communication-error", "V1 communication error"),
        17: m("wrong-pulse-figure", "V1 wrong pulse figure"),
        18: m("leak", "leak in the system, input A2"),
        19: m("leak", "leak in the system, input B2"),
        20: m("temperature-out-of-range", "t3 above measuring range or switched off"),
        21: m("temperature-out-of-range", "t3 below measuring range or switched off"),
        22: m("communication-error", "V2 communication error"),
        23: m("wrong-pulse-figure", "V2 wrong pulse figure"),
        24: m("air", "flow sensor V2 weak signal or air"),
        25: m("reverse-flow", "wrong flow direction V2"),
        27: m("increased-flow", "flow V2 above qs"),
        28: m("burst", "V1/V2 burst, water loss"),
        29: m("burst", "V1/V2 burst, water penetration"),
        30: m("leak", "V1/V2 leakage, water loss"),
        31: m("leak", "V1/V2 leakage, water penetration"),
    ])

    /// `02FF22`: the low 16 bits of the same map, where bits 2 and 12-15 are reserved.
    static let kamstrupHeat16 = BitMap(name: "Kamstrup 02FF22", width: 16,
                                       bits: kamstrupHeat32.bits.filter { $0.key < 12 && $0.key != 2 })

    /// The standard error flags `02FD17` as MULTICAL heat meters fill them (wmbusmeters
    /// `status_narrow`); a different layout from `04FF22`.
    static let kamstrupHeatNarrow = BitMap(name: "Kamstrup FD17", width: 16, bits: [
        0: m("voltage-interrupted", "voltage interrupted"),
        2: m("temperature-out-of-range", "t2 outside measuring range"),
        3: m("temperature-out-of-range", "t1 outside measuring range"),
        4: m("communication-error", "V1 communication error"),
        5: m("temperature-out-of-range", "t3 outside measuring range"),
        6: m("leak", "leakage, cold water"),
        7: m("wrong-pulse-figure", "V2 wrong pulse figure"),
        8: m("leak", "leakage, hot water"),
        9: m("burst", "burst, water loss"),
        10: m("communication-error", "V2 communication error"),
        11: m("wrong-pulse-figure", "V1 wrong pulse figure"),
        12: m("air", "V1 air"),
        13: m("air", "V2 air"),
        14: m("reverse-flow", "V1 wrong flow direction"),
        15: m("reverse-flow", "V2 wrong flow direction"),
    ])

    /// `02FF20` of MULTICAL 21 / flowIQ: 4 flags, then four 3-bit durations (dry, reversed,
    /// leaking, bursting) in bits 4-6, 7-9, 10-12, 13-15; the duration bits are not flags.
    static let kamstrupWater16 = BitMap(name: "Kamstrup 02FF20", width: 4, bits: [
        0: m("dry", "dry"),
        1: m("reverse-flow", "reverse flow"),
        2: m("leak", "leak"),
        3: m("burst", "burst"),
    ], duration: { bits, flag in durationHours(scale: Int(bits >> UInt64(4 + 3 * flag)) & 0x7) })

    /// `04FF23` of flowIQ 2200 / KWM, 32 bits (bits 8 and 10 unused; wmbusmeters shows bit 11
    /// as ERROR_FLAGS_800 without a meaning).
    static let kamstrupWater32 = BitMap(name: "Kamstrup 04FF23", width: 32, bits: [
        0: m("dry", "dry"),
        1: m("reverse-flow", "reverse flow"),
        2: m("leak", "leak"),
        3: m("burst", "burst"),
        4: m("tamper", "tamper"),
        5: m("low-battery", "low battery"),
        6: m("low-ambient-temperature", "low ambient temperature"),
        7: m("flow-above-q4", "flow above Q4"),
        9: m("no-consumption", "no consumption"),
    ])

    /// `02FD17` of the Kamstrup pressure sensor (kampress).
    static let kamstrupPressure = BitMap(name: "Kamstrup pressure FD17", width: 16, bits: [
        0: m("pressure-drop", "unexpected drop in pressure against the average"),
        1: m("pressure-surge", "unexpected increase in pressure against the average"),
        2: m("pressure-high", "average pressure reached the upper limit (default 15 bar)"),
        3: m("pressure-low", "average pressure reached the lower limit (default 1.5 bar)"),
        4: m("pressure-transient", "pressure changes quickly over short periods"),
        5: m("communication-error", "cannot measure or bad internal communication"),
    ])

    /// The MULTICAL 21 3-bit duration scale in whole hours, each step starting where the
    /// previous ends: 1 = 1-8 h, 2 = 9-24 h, 3 = 2-3 days (25-72 h), 4 = 4-7 d (73-168 h),
    /// 5 = 8-14 d (169-336 h), 6 = 15-21 d (337-504 h), 7 = 22-31 d (505-744 h); 0 = not stated.
    public static func durationHours(scale: Int) -> ClosedRange<Int>? {
        switch scale {
        case 1: 1...8
        case 2: 9...24
        case 3: 25...72
        case 4: 73...168
        case 5: 169...336
        case 6: 337...504
        case 7: 505...744
        default: nil
        }
    }
}
