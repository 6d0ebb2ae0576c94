internal import Glibc
internal import MBus

/// The radio telegram a simulated meter sends: its registers as EN 13757-3 records in the
/// model's layout (PROTOCOLS §3), sealed as the real meter seals them: Kamstrup C1 in an ELL
/// with AES-128-CTR, full frames (CI 0x78); third-party OMS meters in security mode 5 behind a
/// long TPL header. CRC-free, as USB receivers and concentrators deliver them.
extension SimulatedMeter {
    /// `sequence` counts this meter's transmissions: it gives the access and session numbers.
    func telegram(at time: Int64, sequence: Int64, model: ConsumptionModel) throws(DecodeError) -> [UInt8] {
        let records = self.records(registers(at: time, model: model), time: time, model: model)
        let access = UInt8(truncatingIfNeeded: sequence)
        if kind.isKamstrup {
            // SN: session bits 0-3, minutes in bits 4-28 (the encoder sets the ENC bits).
            let session = UInt32(truncatingIfNeeded: (time / 60) & 0x1FF_FFFF) << 4 | UInt32(truncatingIfNeeded: sequence & 0xF)
            return try WirelessEncoder.ellCTR(address: address, accessNumber: access, sessionNumber: session, key: key,
                                              applicationCI: 0x78, application: records)
        }
        return try WirelessEncoder.mode5(address: address, accessNumber: access, key: key, longHeader: address, records: records)
    }

    func records(_ r: Registers, time: Int64, model: ConsumptionModel) -> [UInt8] {
        var out = RecordBytes()
        switch kind {
        case .multical403, .multical603:
            out.int([0x04, 0xFF, 0x22], Int64(r.infoCodeBits ?? 0), 4)
            out.int([0x04, 0x06], scaled(r.heatEnergyKWh, 1), 4)
            out.int([0x04, 0x14], scaled(r.volumeM3, 100), 4)
            out.int([0x04, 0x22], scaled(r.hourCounterH, 1), 4)
            out.int([0x02, 0x59], scaled(r.flowTemperatureC, 100), 2)
            out.int([0x02, 0x5D], scaled(r.returnTemperatureC, 100), 2)
            out.int([0x04, 0x2C], scaled(r.powerKW, 100), 4)
            out.int([0x02, 0x3B], scaled(r.flowM3h, 1000), 2)
        case .multical21:
            out.int([0x02, 0xFF, 0x20], Int64(r.infoCodeBits ?? 0), 2)
            out.int([0x04, 0x13], scaled(r.volumeM3, 1000), 4)
            out.int([0x44, 0x13], scaled(r.targetVolumeM3, 1000), 4)
            out.int([0x02, 0x3B], scaled(r.flowM3h, 1000), 2)
            // Storage 1 minima of the water and the room around the meter: not registers.
            out.int([0x61, 0x5B], Int64(Self.waterTemperatureC(time).rounded()), 1)
            out.int([0x61, 0x67], Int64(max(-40, min(60, model.outdoorTemperatureC(time) - 2)).rounded()), 1)
        case .omnipower:
            out.int([0x04, 0x04], scaled(r.activeEnergyImportKWh, 100), 4)
            out.int([0x04, 0x84, 0x3C], scaled(r.activeEnergyExportKWh, 100), 4)
            out.int([0x04, 0x2B], scaled(r.activePowerImportKW, 1000), 4)
            out.int([0x04, 0xAB, 0x3C], scaled(r.activePowerExportKW, 1000), 4)
        case .omsWater:
            out.bcd([0x0C, 0x13], scaled(r.volumeM3, 1000), 4)
            out.bcd([0x4C, 0x13], scaled(r.targetVolumeM3, 1000), 4)
            if let date = r.targetDate { out.dateG([0x42, 0x6C], date) }
            out.bcd([0x0B, 0x3B], scaled(r.flowM3h, 1000), 3)
        case .omsHeat:
            out.bcd([0x0C, 0x06], scaled(r.heatEnergyKWh, 1), 4)
            out.bcd([0x0C, 0x14], scaled(r.volumeM3, 100), 4)
            out.bcd([0x0A, 0x5A], scaled(r.flowTemperatureC, 10), 2)
            out.bcd([0x0A, 0x5E], scaled(r.returnTemperatureC, 10), 2)
            out.bcd([0x0B, 0x2C], scaled(r.powerKW, 100), 3)
            out.bcd([0x0B, 0x3B], scaled(r.flowM3h, 1000), 3)
            out.bcd([0x0C, 0x22], scaled(r.hourCounterH, 1), 4)
        }
        return out.bytes
    }

    /// Cold water through the year: 6 °C in late winter, 14 °C in late summer.
    static func waterTemperatureC(_ time: Int64) -> Double {
        let dayOfYear = (Double(time) / 86_400).truncatingRemainder(dividingBy: 365.2425)
        return 10 - 4 * cos(2 * Double.pi * (dayOfYear - 50) / 365.2425)
    }

    private func scaled(_ value: Double?, _ factor: Double) -> Int64 { Int64(((value ?? 0) * factor).rounded()) }
}

/// DIF/VIF keys with little-endian integer, BCD or type G date data.
struct RecordBytes {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(48) }

    mutating func int(_ difvif: [UInt8], _ value: Int64, _ count: Int) {
        bytes += difvif
        for k in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> Int64(8 * k))) }
    }

    mutating func bcd(_ difvif: [UInt8], _ value: Int64, _ count: Int) {
        bytes += difvif
        var rest = max(0, value)
        for _ in 0..<count {
            let low = UInt8(rest % 10)
            rest /= 10
            bytes.append(UInt8(rest % 10) << 4 | low)
            rest /= 10
        }
    }

    /// Type G: day in bits 0-4, month in 8-11, the year since 2000 split over bits 5-7 and 12-15.
    mutating func dateG(_ difvif: [UInt8], _ date: MeterDate) {
        bytes += difvif
        let year = UInt8(truncatingIfNeeded: date.year - 2000)
        bytes.append(UInt8(date.day) | (year & 0x07) << 5)
        bytes.append(UInt8(date.month) | (year >> 3) << 4)
    }
}
