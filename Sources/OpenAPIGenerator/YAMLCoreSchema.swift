/// Resolution of plain scalars by the YAML 1.2 core schema (section 10.3.2).
/// Hand-written matchers instead of regexes keep Foundation out.
enum YAMLCoreSchema {
    /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; nil when out of range.
    static func int(_ text: String) -> Int? {
        let u = Array(text.utf8)
        if u.count > 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "o") {
            let radix = u[1] == UInt8(ascii: "x") ? 16 : 8
            var value = 0
            for byte in u[2...] {
                guard let digit = digitValue(byte, radix: radix) else { return nil }
                let (shifted, o1) = value.multipliedReportingOverflow(by: radix)
                let (sum, o2) = shifted.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                value = sum
            }
            return value
        }
        var digits = u[...]
        if let first = digits.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ digitValue($0, radix: 10) != nil }) else { return nil }
        return Int(text)   // validated above; Int(_:) also accepts the sign and reports overflow as nil
    }

    /// Any core-schema int, `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf` and `.nan` variants.
    static func double(_ text: String) -> Double? {
        if let value = int(text) { return Double(value) }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if let big = bigRadixValue(text) { return big }
        guard isDecimalFloat(Array(text.utf8)) else { return nil }
        return Double(text)
    }

    /// Hex and octal literals too large for Int still name a Double.
    private static func bigRadixValue(_ text: String) -> Double? {
        let u = Array(text.utf8)
        guard u.count > 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "o") else { return nil }
        let radix = u[1] == UInt8(ascii: "x") ? 16 : 8
        var value = 0.0
        for byte in u[2...] {
            guard let digit = digitValue(byte, radix: radix) else { return nil }
            value = value * Double(radix) + Double(digit)
        }
        return value
    }

    private static func isDecimalFloat(_ u: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < u.count, digitValue(u[i], radix: 10) != nil { i += 1 }
            return i - start
        }
        if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
        let whole = digits()
        var fraction = 0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            fraction = digits()
            if whole == 0 && fraction == 0 { return false }
        } else if whole == 0 {
            return false
        }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { i += 1 }
            if digits() == 0 { return false }
        }
        return i == u.count
    }

    private static func digitValue(_ byte: UInt8, radix: Int) -> Int? {
        let value: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < radix ? value : nil
    }
}
