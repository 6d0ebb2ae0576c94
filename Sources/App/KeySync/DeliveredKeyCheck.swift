internal import Crypto
internal import Store

/// Checks one delivered meter (a key file's entry, a key server's item) before it is written:
/// serial and manufacturer as the meter contract requires them, a 32-hex-digit key, and the
/// medium a new meter gets.
enum DeliveredKeyCheck {
    struct Rejection: Error, Equatable {
        var field: String
        var reason: String
    }

    static func check(index: Int, serial: String?, manufacturer: String?, model: String?, consumptionType: String?,
                      version: Int?, deviceType: Int?, key: String?) -> Result<DeliveredKey, Rejection> {
        guard let serial, !serial.isEmpty else { return .failure(.init(field: "serial", reason: "the serial number is missing")) }
        guard serial.utf8.count <= 16, serial.utf8.allSatisfy(isAlphanumeric) else {
            return .failure(.init(field: "serial", reason: "'\(serial.prefix(40))' is not a serial number (1 to 16 letters and digits)"))
        }
        let mfr = (manufacturer ?? "").uppercased()
        guard mfr.utf8.count == 3, mfr.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else {
            return .failure(.init(field: "manufacturer", reason: "'\((manufacturer ?? "").prefix(40))' is not a manufacturer code (3 letters)"))
        }
        if let v = version, !(0...255).contains(v) { return .failure(.init(field: "version", reason: "the version must be 0 to 255")) }
        if let d = deviceType, !(0...255).contains(d) {
            return .failure(.init(field: "deviceType", reason: "the device type must be 0 to 255"))
        }
        guard let key, !key.isEmpty else { return .failure(.init(field: "key", reason: "the key is missing")) }
        guard key.utf8.count == 32, let bytes = try? Hex.decode(key) else {
            return .failure(.init(field: "key", reason: "the key is not 32 hexadecimal digits"))
        }
        let trimmedModel = model.flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
        return .success(DeliveredKey(index: index, manufacturer: mfr, serial: serial, version: version, deviceType: deviceType,
                                     model: trimmedModel, medium: medium(consumptionType: consumptionType, deviceType: deviceType,
                                                                          model: trimmedModel), key: bytes))
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// The file's consumption type when it names one, else the wM-Bus device type, else the
    /// model (Kamstrup's water meters), else heat: Kamstrup's commonest meter.
    static func medium(consumptionType: String?, deviceType: Int?, model: String?) -> String {
        if let t = consumptionType?.lowercased() {
            let heat = t.contains("heat"), cool = t.contains("cool")
            if heat && cool { return "heat-cooling" }
            if cool { return "cooling" }
            if heat { return "heat" }
            if t.contains("water") { return "water" }
            if t.contains("electric") { return "electricity" }
        }
        switch deviceType {
        case 0x04, 0x0C: return "heat"
        case 0x0A, 0x0B: return "cooling"
        case 0x0D: return "heat-cooling"
        case 0x03, 0x06, 0x07, 0x15, 0x16, 0x28: return "water"
        case 0x02: return "electricity"
        case 0x18: return "pressure"
        default: break
        }
        let m = (model ?? "").uppercased()
        if m.hasPrefix("MC21") || m.contains("MULTICAL 21") || m.contains("FLOWIQ") || m.hasPrefix("KWM") { return "water" }
        if m.contains("OMNIPOWER") { return "electricity" }
        return "heat"
    }
}
