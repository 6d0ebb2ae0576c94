/// Hexadecimal telegrams from JSON, with the reason a bad one is refused.
enum HexText {
    struct Problem: Error {
        var reason: String
        var detail: String
    }

    static func decode(_ text: String) -> Result<[UInt8], Problem> {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    static func decode(_ utf8: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Problem> {
        var out: [UInt8] = []
        let text = utf8
        out.reserveCapacity(text.count / 2)
        var high: UInt8?
        var position = 0
        for c in text {
            defer { position += 1 }
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return .failure(Problem(reason: "bad-hex", detail: "character \(position + 1) is not a hexadecimal digit"))
            }
            if let h = high {
                out.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { return .failure(Problem(reason: "odd-length", detail: "an odd number of hexadecimal digits (\(position))")) }
        return .success(out)
    }
}
