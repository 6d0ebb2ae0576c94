import Crypto
import MBus

// The bench's telegrams, built with the module's own encoders (WirelessEncoder, WiredFrame):
// CRC-less wireless frames as USB receivers deliver them (PROTOCOLS §1.2).
enum TelegramBuilder {
    static let kamstrup: UInt16 = 0x2C2D

    /// MULTICAL 21 records (PROTOCOLS §3.2): info, volume, target volume, min flow temperature,
    /// min external temperature. Returns the DIF/VIF list and the full record stream.
    static func multical21Records(litres: UInt32, targetLitres: UInt32, info: UInt16, flowC: Int8, externalC: Int8)
        -> (difvif: [UInt8], full: [UInt8], data: [UInt8]) {
        let difvif: [UInt8] = [0x02, 0xFF, 0x20, 0x04, 0x13, 0x44, 0x13, 0x61, 0x5B, 0x61, 0x67]
        var data: [UInt8] = []
        data += le(UInt32(info), 2)
        data += le(litres, 4)
        data += le(targetLitres, 4)
        data.append(UInt8(bitPattern: flowC))
        data.append(UInt8(bitPattern: externalC))
        let full: [UInt8] = [0x02, 0xFF, 0x20] + data[0..<2] + [0x04, 0x13] + data[2..<6] + [0x44, 0x13] + data[6..<10]
            + [0x61, 0x5B, data[10], 0x61, 0x67, data[11]]
        return (difvif, full, data)
    }

    /// Kamstrup C1: `L 44 2D2C id 1B 16 | 8D CC ACC SN | AES-CTR(PLCRC ‖ application)`;
    /// `application` starts with its CI (0x78 full, 0x79 compact).
    static func ellCTR(id: UInt32, key: [UInt8], accessNumber: UInt8, session: UInt32, application: [UInt8]) throws -> [UInt8] {
        try WirelessEncoder.ellCTR(address: MeterAddress(manufacturer: kamstrup, id: id, version: 0x1B, deviceType: 0x16),
                                   accessNumber: accessNumber, sessionNumber: session & 0x0F, key: key,
                                   applicationCI: application[0], application: Array(application.dropFirst()))
    }

    /// The CTR IV and ciphertext of an `ellCTR` telegram, for the raw OpenSSL baseline.
    static func ellParts(_ telegram: [UInt8]) -> (iv: [UInt8], cipher: [UInt8]) {
        let sn = Array(telegram[13..<17])
        let iv = Array(telegram[2...9]) + [telegram[11] & ~0x12] + sn + [0, 0, 0]
        return (iv, Array(telegram[17...]))
    }

    /// OMS security mode 5: `L 44 M A | 7A ACC STS CFG | AES-CBC(2F2F records 2F…)`, all blocks.
    static func mode5(manufacturer: UInt16, id: UInt32, key: [UInt8], accessNumber: UInt8, records: [UInt8]) throws -> [UInt8] {
        try WirelessEncoder.mode5(address: MeterAddress(manufacturer: manufacturer, id: id, version: 0x01, deviceType: 0x07),
                                  accessNumber: accessNumber, key: key, records: records)
    }

    /// Wired RSP_UD long frame: `68 L L 68 08 A 72 id M ver type ACC STS SIG records CS 16`.
    static func rspUD(primary: UInt8, manufacturer: UInt16, id: UInt32, accessNumber: UInt8, records: [UInt8]) -> [UInt8] {
        WiredFrame.rspUD(address: primary, meter: MeterAddress(manufacturer: manufacturer, id: id, version: 0x01, deviceType: 0x04),
                         accessNumber: accessNumber, records: records).encoded
    }

    static func le(_ value: UInt32, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    /// Eight BCD digits of `value`, little-endian (the M-Bus id and BCD records).
    static func bcd(_ value: UInt32) -> UInt32 {
        var out: UInt32 = 0
        var rest = value
        for shift in stride(from: 0, to: 32, by: 4) {
            out |= (rest % 10) << UInt32(shift)
            rest /= 10
        }
        return out
    }
}
