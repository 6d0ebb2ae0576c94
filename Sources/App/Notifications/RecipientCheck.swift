/// Recipients as a channel accepts them: E.164 phone numbers for SMS, addresses for e-mail.
enum RecipientCheck {
    /// `+` and 7-15 digits, the first not 0, after dropping spaces ("+45 51449281").
    static func phone(_ text: String) -> String? {
        let compact = String(text.filter { $0 != " " })
        let u = Array(compact.utf8)
        guard u.count >= 8, u.count <= 16, u[0] == UInt8(ascii: "+"), u[1] != UInt8(ascii: "0"),
              u.dropFirst().allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return compact
    }

    /// One `@` with a non-empty local part and a dotted domain; no spaces, controls or angle
    /// brackets (the address goes into an SMTP command and a header).
    static func isEmail(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count <= 254, !u.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                                                    || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }
}
