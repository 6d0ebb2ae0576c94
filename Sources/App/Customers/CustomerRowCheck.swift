internal import Store

/// A quick, conservative check of one imported row: true only when the contract's
/// `CustomerCreate` certainly accepts the fields (ASCII matched against its patterns by hand,
/// lengths bounded by bytes). Anything else goes through the generated decoder, which has the
/// final word and the error pointers. Measured: the three `Regex` matches per row were a third
/// of a 100,000-row import's CPU.
enum CustomerRowCheck {
    /// `fields` holds trimmed, non-empty texts (empty cells are absent).
    static func accepts(_ f: CustomerFields) -> Bool {
        guard let number = f.customerNumber, isCustomerNumber(number) else { return false }
        if let name = f.name, name.utf8.count > 200 { return false }
        if let address = f.address, address.utf8.count > 200 { return false }
        if let postalCode = f.postalCode, postalCode.utf8.count > 20 { return false }
        if let city = f.city, city.utf8.count > 100 { return false }
        if let phone = f.phone, !isPhone(phone) { return false }
        if let email = f.email, !isEmail(email) { return false }
        return true
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// `^[0-9A-Za-z][0-9A-Za-z._/-]*$`, 1 to 64 long.
    static func isCustomerNumber(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
            || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") }
    }

    /// `^\+?[0-9]( ?[0-9]){3,14}$`: 4 to 15 digits, single spaces between them.
    static func isPhone(_ text: String) -> Bool {
        var bytes = Substring(text).utf8
        if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0
        var afterSpace = false
        for (i, b) in zip(bytes.indices, bytes) {
            if isDigit(b) {
                digits += 1
                afterSpace = false
            } else if b == UInt8(ascii: " "), i != bytes.startIndex, !afterSpace {
                afterSpace = true
            } else {
                return false
            }
        }
        return !afterSpace && digits >= 4 && digits <= 15
    }

    /// `^[^@\s]+@[^@\s.][^@\s]*\.[^@\s.]+$`, 3 to 254 long, for printable ASCII only (whitespace
    /// outside ASCII is left to the decoder).
    static func isEmail(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes.count <= 254, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0 else { return false }
        let domain = bytes[(at + 1)...]
        guard let first = domain.first, first != UInt8(ascii: "."), !domain.contains(UInt8(ascii: "@")),
              let dot = domain.lastIndex(of: UInt8(ascii: ".")) else { return false }
        return dot > domain.startIndex && dot < domain.endIndex - 1
    }
}
