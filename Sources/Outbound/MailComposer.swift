/// Renders one plain-text e-mail as RFC 5322 bytes: CRLF line ends, a subject encoded per
/// RFC 2047 when it is not plain ASCII, a quoted-printable UTF-8 body. Pure, so tests can pin
/// every byte; the transport supplies the date and Message-ID.
public enum MailComposer {
    /// Why a message cannot be rendered: it would be a header injection or an address SMTP
    /// cannot carry. Retrying cannot help.
    public struct Invalid: Error, Equatable, Sendable {
        public var message: String
    }

    public static func compose(from: String, to: String, subject: String, body: String,
                               date unixSeconds: Int64, messageID: String) throws(Invalid) -> [UInt8] {
        guard isAddress(from) else { throw Invalid(message: "The sender address \"\(printable(from))\" is not a valid e-mail address.") }
        guard isAddress(to) else { throw Invalid(message: "The recipient address \"\(printable(to))\" is not a valid e-mail address.") }
        guard !subject.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw Invalid(message: "The subject contains a line break.")
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.utf8.count * 11 / 10 + 512)
        func header(_ name: String, _ value: String) {
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        header("Date", rfc5322Date(unixSeconds))
        header("From", from)
        header("To", to)
        out.append(contentsOf: "Subject: ".utf8)
        out.append(contentsOf: encodedSubject(subject).utf8)
        out.append(contentsOf: "\r\n".utf8)
        header("Message-ID", messageID)
        header("MIME-Version", "1.0")
        header("Content-Type", "text/plain; charset=UTF-8")
        header("Content-Transfer-Encoding", "quoted-printable")
        out.append(contentsOf: "\r\n".utf8)
        quotedPrintable(body, into: &out)
        return out
    }

    /// What can go into `From:`, `To:` and the SMTP envelope without quoting: printable ASCII
    /// without space, `<>()[],;:"\`, one `@` with text either side. No SMTPUTF8.
    public static func isAddress(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
              bytes.lastIndex(of: UInt8(ascii: "@")) == at else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"<>()[],;:\"\\".utf8.contains($0) }
    }

    // MARK: Subject (RFC 2047)

    /// Plain printable ASCII that fits on one line stays as it is; anything else becomes
    /// `=?UTF-8?B?...?=` words of whole characters, each at most 75 characters, one per line.
    static func encodedSubject(_ subject: String) -> String {
        let plain = subject.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if plain && subject.utf8.count <= 78 - "Subject: ".count && !subject.contains("=?") { return subject }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 45 bytes are 60 base64 characters: 12 + 60 = 72 <= 75. The first line also holds "Subject: ".
        var limit = 39
        for scalar in subject.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > limit {
                words.append(encodedWord(chunk))
                chunk = []
                limit = 45
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + base64(bytes) + "?=" }

    // MARK: Body (quoted-printable, RFC 2045 §6.7)

    /// Lines end in CRLF whatever they ended in; encoded lines stay within 76 characters.
    static func quotedPrintable(_ text: String, into out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        var lineLength = 0
        func emit(_ piece: some Collection<UInt8>) {
            if lineLength + piece.count > 75 { // room for the soft break's "="
                out.append(contentsOf: "=\r\n".utf8)
                lineLength = 0
            }
            out.append(contentsOf: piece)
            lineLength += piece.count
        }
        func escaped(_ byte: UInt8) -> [UInt8] { [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]] }
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0D || byte == 0x0A {
                if byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                out.append(contentsOf: "\r\n".utf8)
                lineLength = 0
                i += 1
                continue
            }
            let lineEnds = i + 1 == bytes.count || bytes[i + 1] == 0x0D || bytes[i + 1] == 0x0A
            switch byte {
            case 0x20, 0x09:
                // Trailing white space would be stripped in transit: encode it.
                if lineEnds { emit(escaped(byte)) } else { emit(CollectionOfOne(byte)) }
            case UInt8(ascii: "."):
                // A lone "." at a line's start is left to SMTP's dot-stuffing; "=2E" keeps it safe
                // from relays that mangle it anyway.
                if lineLength == 0 { emit(escaped(byte)) } else { emit(CollectionOfOne(byte)) }
            case 0x21...0x7E where byte != UInt8(ascii: "="):
                emit(CollectionOfOne(byte))
            default:
                emit(escaped(byte))
            }
            i += 1
        }
        if lineLength > 0 || out.last != 0x0A { out.append(contentsOf: "\r\n".utf8) }
    }

    // MARK: Helpers

    /// `Sun, 22 Nov 2026 04:23:45 +0000`.
    static func rfc5322Date(_ unixSeconds: Int64) -> String {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let seconds = Int(unixSeconds - days * 86_400)
        // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = Int(((days % 7) + 11) % 7) // 1970-01-01 was a Thursday (index 4)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekdays[weekday]), \(two(day)) \(months[month - 1]) \(year) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)) +0000"
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = bytes[i], b1 = n > 1 ? bytes[i + 1] : 0, b2 = n > 2 ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(n > 1 ? alphabet[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(n > 2 ? alphabet[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An address for an error message: control characters shown as `?`.
    private static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(80).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
