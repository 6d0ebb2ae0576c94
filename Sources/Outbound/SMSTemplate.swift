/// Fills an SMS gateway's body template: `{to}` and `{text}` replaced, each escaped for the
/// format, so a message can never break out of its field (`&`, `"` or a newline in the text).
public enum SMSTemplate {
    public static func render(_ template: String, format: SMSGatewaySettings.BodyFormat, to: String, text: String) -> String {
        func escape(_ value: String) -> String { format == .form ? percentEncoded(value) : jsonEscaped(value) }
        var out = ""
        out.reserveCapacity(template.utf8.count + to.utf8.count + text.utf8.count * 2)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += String(rest[..<open])
            let tail = rest[open...]
            if tail.hasPrefix("{to}") {
                out += escape(to)
                rest = tail.dropFirst(4)
            } else if tail.hasPrefix("{text}") {
                out += escape(text)
                rest = tail.dropFirst(6)
            } else {
                out += "{"
                rest = tail.dropFirst()
            }
        }
        out += String(rest)
        return out
    }

    /// application/x-www-form-urlencoded per the WHATWG URL standard: unreserved bytes stay,
    /// everything else (space too, so `+` in `+45...` survives) is `%XX` of its UTF-8.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The inside of a JSON string (RFC 8259): quotes, backslashes and control characters
    /// escaped, no quotes added (the template has them).
    static func jsonEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        let hex = Array("0123456789abcdef")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let v = Int(scalar.value)
                out += "\\u"
                out.append(hex[v >> 12 & 15]); out.append(hex[v >> 8 & 15]); out.append(hex[v >> 4 & 15]); out.append(hex[v & 15])
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
