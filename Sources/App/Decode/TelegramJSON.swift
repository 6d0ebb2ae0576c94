internal import API
internal import MBus

/// The JSON of `fjern decode`: one object per telegram, on one line. Written by hand with the
/// API's `JSONWriter`, so numbers come out shortest-round-trip, NaN and infinity as null, and
/// the field order is fixed (conformance tools and people diff it).
enum TelegramJSON {
    /// `{"ok":true,"kind":…,"records":[…],"registers":{…}}`.
    static func line(_ telegram: Telegram) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + telegram.records.count * 128)
        write(telegram, to: &w)
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    /// `{"ok":false,"error":{"code":…,"detail":…}}`: a decode error, or `bad-input` for arguments
    /// and lines that never reached the decoder.
    static func errorLine(code: String, detail: String) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + detail.utf8.count)
        w.beginObject()
        w.key(#""ok":"#)
        w.bool(false)
        w.key(#""error":"#)
        w.beginObject()
        w.key(#""code":"#)
        w.string(code)
        w.key(#""detail":"#)
        w.string(detail)
        w.endObject()
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    static func errorLine(_ error: DecodeError) -> [UInt8] {
        errorLine(code: error.code.rawValue, detail: error.detail)
    }

    static func write(_ t: Telegram, to w: inout JSONWriter) {
        w.beginObject()
        w.key(#""ok":"#)
        w.bool(true)
        w.key(#""kind":"#)
        w.string(t.kind.rawValue)
        w.key(#""manufacturer":"#)
        w.string(t.address.manufacturerCode)
        w.key(#""id":"#)
        w.string(t.address.idString)
        w.key(#""version":"#)
        w.int(Int(t.address.version))
        w.key(#""deviceType":"#)
        w.int(Int(t.address.deviceType))
        w.key(#""medium":"#)
        w.string(t.address.medium.rawValue)
        w.key(#""accessNumber":"#)
        optionalInt(t.accessNumber.map(Int.init), to: &w)
        w.key(#""status":"#)
        optionalInt(t.status.map(Int.init), to: &w)
        w.key(#""security":"#)
        w.string(t.security.rawValue)
        w.key(#""control":"#)
        w.int(Int(t.control))
        w.key(#""applicationCI":"#)
        w.int(Int(t.applicationCI))
        if let primary = t.primaryAddress {
            w.key(#""primaryAddress":"#)
            w.int(Int(primary))
        }
        if let link = t.linkAddress {
            w.key(#""link":"#)
            w.beginObject()
            w.key(#""manufacturer":"#)
            w.string(link.manufacturerCode)
            w.key(#""id":"#)
            w.string(link.idString)
            w.key(#""version":"#)
            w.int(Int(link.version))
            w.key(#""deviceType":"#)
            w.int(Int(link.deviceType))
            w.endObject()
        }
        w.key(#""records":"#)
        w.beginArray()
        for record in t.records {
            w.elementSeparator()
            write(record, to: &w)
        }
        w.endArray()
        if !t.manufacturerData.isEmpty {
            w.key(#""manufacturerData":"#)
            hex(t.manufacturerData, to: &w)
        }
        if t.moreRecordsFollow {
            w.key(#""moreRecordsFollow":"#)
            w.bool(true)
        }
        w.key(#""infoCodes":"#)
        w.beginArray()
        for info in t.infoCodes {
            w.elementSeparator()
            w.string(info.code)
        }
        w.endArray()
        w.key(#""registers":"#)
        write(t.registers, to: &w)
        w.endObject()
    }

    static func write(_ r: Record, to w: inout JSONWriter) {
        w.beginObject()
        w.key(#""quantity":"#)
        w.string(r.quantity.rawValue)
        w.key(#""unit":"#)
        w.string(r.unit.rawValue)
        w.key(#""value":"#)
        write(r.value, to: &w)
        w.key(#""storage":"#)
        unsigned(r.storage, to: &w)
        w.key(#""tariff":"#)
        w.int(Int(r.tariff))
        w.key(#""subunit":"#)
        w.int(Int(r.subunit))
        w.key(#""function":"#)
        w.string(r.function.rawValue)
        if !r.modifiers.isEmpty {
            w.key(#""modifiers":"#)
            w.beginArray()
            for name in modifierNames(r.modifiers) {
                w.elementSeparator()
                w.string(name)
            }
            w.endArray()
        }
        w.key(#""difvif":"#)
        w.string(r.difvif.description)
        w.endObject()
    }

    static func write(_ value: RecordValue, to w: inout JSONWriter) {
        switch value {
        case .number(let v): w.double(v)
        case .integer(let v): w.int(Int(v))
        case .bytes(let bytes): hex(bytes, to: &w)
        case .text(let text): w.string(text)
        case .date(let date): w.string(date.description)
        case .dateTime(let dateTime): w.string(dateTime.description)
        case .null: w.null()
        }
    }

    /// The non-nil numeric registers by name, then the dates and the raw info-code bits.
    static func write(_ registers: Registers, to w: inout JSONWriter) {
        w.beginObject()
        for entry in registers.numericEntries {
            w.dynamicKey(entry.name)
            w.double(entry.value)
        }
        if let date = registers.targetDate {
            w.key(#""targetDate":"#)
            w.string(date.description)
        }
        if let time = registers.meterTime {
            w.key(#""meterTime":"#)
            w.string(time.description)
        }
        if let bits = registers.infoCodeBits {
            w.key(#""infoCodeBits":"#)
            unsigned(bits, to: &w)
        }
        w.endObject()
    }

    /// Names of the modifier flags, as JSON shows them (`backward-flow`, `lower-limit`, …).
    static let modifierTable: [(Modifiers, String)] = [
        (.forwardFlow, "forward-flow"), (.backwardFlow, "backward-flow"), (.average, "average"),
        (.lowerLimit, "lower-limit"), (.upperLimit, "upper-limit"), (.perSecond, "per-second"),
        (.perMinute, "per-minute"), (.perHour, "per-hour"), (.perDay, "per-day"), (.perWeek, "per-week"),
        (.perMonth, "per-month"), (.perYear, "per-year"),
        (.accumulationOfAbsoluteValue, "accumulation-of-absolute-value"), (.compactProfile, "compact-profile"),
        (.durationSinceLimitExceeded, "duration-since-limit-exceeded"), (.atPhaseL1, "at-phase-l1"),
        (.atPhaseL2, "at-phase-l2"), (.atPhaseL3, "at-phase-l3"), (.atNeutral, "at-neutral"),
        (.betweenL1L2, "between-l1-l2"), (.betweenL2L3, "between-l2-l3"), (.betweenL3L1, "between-l3-l1"),
        (.manufacturerSpecific, "manufacturer-specific"), (.other, "other"),
    ]

    static func modifierNames(_ modifiers: Modifiers) -> [String] {
        modifierTable.compactMap { modifiers.contains($0.0) ? $0.1 : nil }
    }

    private static func optionalInt(_ value: Int?, to w: inout JSONWriter) {
        if let value { w.int(value) } else { w.null() }
    }

    /// UInt64 beyond Int.max (a 64-bit flag word with the top bit set) still prints exactly.
    private static func unsigned(_ value: UInt64, to w: inout JSONWriter) {
        w.bytes.append(contentsOf: String(value).utf8)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Upper-case hex in quotes, like `difvif`.
    private static func hex(_ bytes: [UInt8], to w: inout JSONWriter) {
        w.bytes.append(UInt8(ascii: "\""))
        for byte in bytes {
            w.bytes.append(hexDigits[Int(byte >> 4)])
            w.bytes.append(hexDigits[Int(byte & 0xF)])
        }
        w.bytes.append(UInt8(ascii: "\""))
    }
}
