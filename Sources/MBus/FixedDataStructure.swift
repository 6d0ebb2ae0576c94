/// The old fixed data structure of CI 0x73 (EN 1434-3; libmbus `mbus_data_fixed`):
/// `ID(4 BCD) ACC STS U1 U2 C1(4) C2(4)`. The top two bits of U1 and U2 hold the medium, the
/// low six the unit of each counter; status bit 7 says binary (else BCD) counters, bit 6 stored
/// (else current) values.
struct FixedDataStructure {
    var meter: MeterAddress
    var accessNumber: UInt8
    var status: UInt8
    var records: [Record]

    static let length = 16

    init(_ data: [UInt8]) throws(DecodeError) {
        guard data.count >= Self.length else {
            throw DecodeError(.truncated, "CI 0x73 fixed data structure needs \(Self.length) bytes, got \(data.count)")
        }
        let id = UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24
        accessNumber = data[4]
        status = data[5]
        let medium = (data[6] & 0xC0) >> 6 | (data[7] & 0xC0) >> 4
        // The structure has no manufacturer or version; 0 says "not given".
        meter = MeterAddress(manufacturer: 0, id: id, version: 0, deviceType: Self.deviceType(medium))
        let binary = status & 0x80 != 0
        let stored = status & 0x40 != 0
        records = [
            Self.record(counter: 0, unitCode: data[6] & 0x3F, bytes: data[8..<12], binary: binary, stored: stored),
            Self.record(counter: 1, unitCode: data[7] & 0x3F, bytes: data[12..<16], binary: binary, stored: stored),
        ]
    }

    /// The fixed structure's 4-bit medium (libmbus `mbus_data_fixed_medium`) as an EN 13757-3
    /// device type; the "mode 2" variants name the same media.
    static func deviceType(_ medium: UInt8) -> UInt8 {
        switch medium {
        case 0x0...0x8: medium
        case 0xA: 0x03
        case 0xB: 0x04
        case 0xC: 0x06
        case 0xD: 0x07
        case 0xE: 0x08
        default: 0x0F
        }
    }

    /// Counter 2 is keyed as subunit 1 (DIFE 0x40) so the two counters never share a key; unit
    /// 0x3E ("same unit, historic") is storage 1. The VIF is synthetic: FF (manufacturer
    /// specific) with the fixed unit code as its VIFE, since no VIF exists for several codes.
    static func record(counter: Int, unitCode: UInt8, bytes: ArraySlice<UInt8>, binary: Bool, stored: Bool) -> Record {
        let historic = counter == 1 && unitCode == 0x3E
        let storage: UInt64 = stored || historic ? 1 : 0
        var difvif = DIFVIF()
        let dif: UInt8 = (binary ? 0x04 : 0x0C) | (storage == 1 ? 0x40 : 0)
        if counter == 1 {
            difvif.append(dif | 0x80)
            difvif.append(0x40)
        } else {
            difvif.append(dif)
        }
        difvif.append(0xFF)
        difvif.append(unitCode)
        let raw = binary ? Self.binary(bytes) : Self.bcd(bytes)
        let (quantity, unit, scale) = Self.unit(unitCode)
        let value: RecordValue
        if let raw {
            value = scale.map { .number(Double(raw) * $0) } ?? .integer(raw)
        } else {
            value = .null
        }
        return Record(quantity: quantity, unit: unit, value: value, storage: storage, subunit: UInt16(counter),
                      difvif: difvif)
    }

    static func binary(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var v: UInt32 = 0
        for (i, byte) in bytes.enumerated() { v |= UInt32(byte) << UInt32(8 * i) }
        return Int64(Int32(bitPattern: v))
    }

    /// 8 BCD digits, least significant byte first; a non-decimal nibble makes the value invalid.
    static func bcd(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var v: Int64 = 0
        for byte in bytes.reversed() {
            let hi = Int64(byte >> 4), lo = Int64(byte & 0xF)
            guard hi < 10, lo < 10 else { return nil }
            v = v * 100 + hi * 10 + lo
        }
        return v
    }

    /// The unit codes of libmbus `mbus_data_fixed_unit`, as a quantity and the factor to the
    /// canonical unit; nil factor = a raw count kept as an integer.
    static func unit(_ code: UInt8) -> (Quantity, Unit, Double?) {
        func p10(_ n: Int) -> Double {
            var v = 1.0
            for _ in 0..<abs(n) { v *= 10 }
            return n < 0 ? 1 / v : v
        }
        switch code {
        case 0x02...0x0A: return (.energy, .kWh, p10(Int(code) - 0x02 - 3))          // Wh ... 100 MWh
        case 0x0B...0x13: return (.energy, .kWh, p10(Int(code) - 0x0B) / 3600)       // kJ ... 100 GJ
        case 0x14...0x1C: return (.power, .kW, p10(Int(code) - 0x14 - 3))            // W ... 100 MW
        case 0x1D...0x25: return (.power, .kW, p10(Int(code) - 0x1D) / 3600)         // kJ/h ... 100 GJ/h
        case 0x26...0x2E: return (.volume, .m3, p10(Int(code) - 0x26 - 6))           // ml ... 100 m3
        case 0x2F...0x37: return (.volumeFlow, .m3PerHour, p10(Int(code) - 0x2F - 6)) // ml/h ... 100 m3/h
        case 0x38: return (.unknown, .celsius, 1e-3)
        case 0x39: return (.heatCostAllocation, .hca, 1)
        default: return (.unknown, .none, nil)                                       // h,m,s; D,M,Y; reserved
        }
    }
}
