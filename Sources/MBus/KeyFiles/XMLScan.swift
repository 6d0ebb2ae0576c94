/// Just enough XML for key files: the tags of a document in order (local names, namespace
/// prefixes dropped) and the text of an element. Lenient on purpose: the KEM decryption
/// leaves padding and control bytes that real parsers reject (PROTOCOLS.md §3.5).
struct XMLScan {
    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
        /// The index of `<` and the index after `>`.
        var start: Int
        var end: Int
    }

    let bytes: [UInt8]
    let tags: [Tag]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var tags: [Tag] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { break }
            var n = i + 1
            let closing = n < close && bytes[n] == UInt8(ascii: "/")
            if closing { n += 1 }
            // Declarations, comments and processing instructions are not elements.
            if n < close, bytes[n] == UInt8(ascii: "?") || bytes[n] == UInt8(ascii: "!") { i = close + 1; continue }
            var nameEnd = n
            while nameEnd < close, !Self.isSpace(bytes[nameEnd]), bytes[nameEnd] != UInt8(ascii: "/") { nameEnd += 1 }
            var nameStart = n
            if let colon = bytes[n..<nameEnd].lastIndex(of: UInt8(ascii: ":")) { nameStart = colon + 1 }
            let selfClosing = !closing && close > i + 1 && bytes[close - 1] == UInt8(ascii: "/")
            tags.append(Tag(name: String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), closing: closing,
                            selfClosing: selfClosing, start: i, end: close + 1))
            i = close + 1
        }
        self.tags = tags
    }

    /// The tag indices of elements named `name` among `range` of tags, each with the tag index of
    /// its end (same-named elements may nest).
    func elements(_ name: String, in range: Range<Int>? = nil) -> [(open: Int, close: Int)] {
        let range = range ?? 0..<tags.count
        var found: [(Int, Int)] = []
        var t = range.lowerBound
        while t < range.upperBound {
            let tag = tags[t]
            guard tag.name == name, !tag.closing else { t += 1; continue }
            if tag.selfClosing { found.append((t, t)); t += 1; continue }
            var depth = 0
            var u = t + 1
            var close: Int?
            while u < range.upperBound {
                let other = tags[u]
                if other.name == name && !other.selfClosing {
                    if !other.closing { depth += 1 } else if depth == 0 { close = u; break } else { depth -= 1 }
                }
                u += 1
            }
            guard let close else { break }
            found.append((t, close))
            t = close + 1
        }
        return found
    }

    /// The trimmed text between an element's tags, entities replaced; empty for `<x/>`.
    func text(_ element: (open: Int, close: Int)) -> String {
        guard element.open != element.close else { return "" }
        let raw = String(decoding: bytes[tags[element.open].end..<tags[element.close].start], as: UTF8.self)
        return Self.unescape(raw).trimmingXMLSpace()
    }

    /// The text of the first element named `name` inside `element`.
    func childText(_ name: String, of element: (open: Int, close: Int)) -> String? {
        elements(name, in: (element.open + 1)..<element.close).first.map(text)
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default: out += rest[amp...semi]
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

extension String {
    func trimmingXMLSpace() -> String {
        let u = Array(utf8)
        guard let first = u.firstIndex(where: { !XMLScan.isSpace($0) }), let last = u.lastIndex(where: { !XMLScan.isSpace($0) }) else {
            return ""
        }
        return String(decoding: u[first...last], as: UTF8.self)
    }
}
