/// The DIF/DIFE/VIF/VIFE part of a data record, decoded: addressing bits, the VIF's meaning with
/// the combinable VIFEs folded in, and the raw key bytes. Shared by the parser, the encoder and
/// `Record.make`, so all three read a key the same way.
struct RecordHeader {
    static let maxDIFEs = 10
    static let maxVIFEs = 10
    /// Longest plain-text unit: an LVAR-sized ASCII string.
    static let maxUnitText = 0xBF

    var difvif = DIFVIF()
    var dataField: DataField = .none
    var function: Record.Function = .instantaneous
    var storage: UInt64 = 0
    var tariff: UInt32 = 0
    var subunit: UInt16 = 0
    var meaning: VIFMeaning = .unknown
    var modifiers = Modifiers(rawValue: 0)
    /// Additive correction in the canonical unit (0x78-0x7B VIFEs).
    var addend: Double = 0
    /// Index of the VIF byte within `difvif`.
    var vifIndex = 0
    var isPlainText = false
    /// Where the plain-text unit's bytes are in the input (reversed ASCII), when read inline.
    var textStart = 0
    var textCount = 0

    /// Reads one header at `index` (the DIF, not a filler or special DIF). With `inlineText`
    /// the plain-text VIF's length and characters are read from the input (a record stream);
    /// without, the input is a bare key (`Record.difvif`) that omits them.
    @inline(__always)
    static func parse(_ p: UnsafeBufferPointer<UInt8>, at index: inout Int, end: Int, manufacturer: UInt16,
                      inlineText: Bool) throws(DecodeError) -> RecordHeader {
        var h = RecordHeader()
        try parse(p, at: &index, end: end, manufacturer: manufacturer, inlineText: inlineText, into: &h)
        return h
    }

    /// As above, filling a caller's header (the parser reuses one: no struct copy per record).
    @inline(__always)
    static func parse(_ p: UnsafeBufferPointer<UInt8>, at index: inout Int, end: Int, manufacturer: UInt16,
                      inlineText: Bool, into h: inout RecordHeader) throws(DecodeError) {
        h.storage = 0
        h.tariff = 0
        h.subunit = 0
        h.modifiers = Modifiers(rawValue: 0)
        h.addend = 0
        h.isPlainText = false
        h.textStart = 0
        h.textCount = 0
        var i = index
        let dif = p[i]
        i += 1
        h.dataField = DataField(dif: dif)
        if h.dataField == .special {
            throw DecodeError(.invalidRecord, "reserved special-function DIF 0x\(hex(dif)) at offset \(index)")
        }
        switch (dif >> 4) & 0x03 {
        case 0: h.function = .instantaneous
        case 1: h.function = .maximum
        case 2: h.function = .minimum
        default: h.function = .error
        }
        h.storage = UInt64((dif >> 6) & 1)
        var more = dif & 0x80 != 0
        var difeCount = 0
        while more {
            guard i < end else { throw DecodeError(.truncated, "record at offset \(index) ends inside its DIFEs") }
            guard difeCount < maxDIFEs else {
                throw DecodeError(.invalidRecord, "record at offset \(index) has more than \(maxDIFEs) DIFEs")
            }
            let dife = p[i]
            i += 1
            h.storage |= UInt64(dife & 0x0F) << UInt64(1 + 4 * difeCount)
            h.tariff |= UInt32((dife >> 4) & 0x03) << UInt32(2 * difeCount)
            h.subunit |= UInt16((dife >> 6) & 0x01) << UInt16(difeCount)
            difeCount += 1
            more = dife & 0x80 != 0
        }

        guard i < end else { throw DecodeError(.truncated, "record at offset \(index) has no VIF") }
        let vif = p[i]
        h.vifIndex = i - index
        i += 1
        // The key is contiguous in the input except for a plain-text VIF's unit, which sits
        // between the VIF and its VIFEs; remember where the VIFEs start.
        var vifesStart = i
        more = vif & 0x80 != 0
        var vifeCount = 0

        func nextVIFE(_ i: inout Int, _ h: inout RecordHeader) throws(DecodeError) -> UInt8 {
            guard i < end else { throw DecodeError(.truncated, "record at offset \(index) ends inside its VIFEs") }
            guard vifeCount < maxVIFEs else {
                throw DecodeError(.invalidRecord, "record at offset \(index) has more than \(maxVIFEs) VIFEs")
            }
            let vife = p[i]
            i += 1
            vifeCount += 1
            return vife
        }

        // The rest of the chain is the maker's own once a manufacturer code was read.
        var makerOwnsRest = false
        switch vif & 0x7F {
        case 0x7D, 0x7B:
            // Without its extension code the VIF says nothing (libmbus reports such records
            // without a unit); keep the raw value.
            guard more else {
                h.meaning = .unknown
                break
            }
            let code = try nextVIFE(&i, &h)
            h.meaning = vif & 0x7F == 0x7D ? VIFTable.extensionFD(code) : VIFTable.extensionFB(code)
            more = code & 0x80 != 0
        case 0x7C:
            h.isPlainText = true
            h.meaning = .physical(.plainText, .none, 0)
            if inlineText {
                guard i < end else { throw DecodeError(.truncated, "plain-text VIF at offset \(index) lacks its length") }
                let length = Int(p[i])
                i += 1
                guard length <= maxUnitText else {
                    throw DecodeError(.invalidRecord, "plain-text VIF at offset \(index) is \(length) bytes long")
                }
                guard end - i >= length else { throw DecodeError(.truncated, "plain-text VIF at offset \(index) runs past the end") }
                h.textStart = i
                h.textCount = length
                i += length
                vifesStart = i
            }
        case 0x7F:
            h.meaning = .manufacturerSpecific
            if more {
                let code = try nextVIFE(&i, &h)
                if let known = ManufacturerVIFs.lookup(manufacturer: manufacturer, vif: 0x7F, code: code) { h.meaning = known }
                more = code & 0x80 != 0
            }
            makerOwnsRest = true
        default:
            h.meaning = VIFTable.primary(vif)
        }

        var extensionNext = false
        var makerCodeNext = false
        while more {
            let vife = try nextVIFE(&i, &h)
            more = vife & 0x80 != 0
            if makerOwnsRest { continue }
            if extensionNext {
                extensionNext = false
                h.modifiers.insert(Combinable.decodeExtension(vife))
                continue
            }
            if makerCodeNext {
                makerCodeNext = false
                makerOwnsRest = true
                if let known = ManufacturerVIFs.lookup(manufacturer: manufacturer, vif: vif, code: vife) { h.meaning = known }
                continue
            }
            switch Combinable.decode(vife) {
            case .modifier(let m): h.modifiers.insert(m)
            case .decimalFactor(let k): if h.meaning.kind == .physical { h.meaning.exponent += k }
            case .offset(let k):
                if h.meaning.kind == .physical { h.addend += PowersOfTen.scale(h.meaning.baseToCanonical, by: k) }
            case .extensionFollows: extensionNext = true
            case .manufacturerFollows:
                makerCodeNext = true
                h.modifiers.insert(.manufacturerSpecific)
            }
        }
        if vifesStart == index + h.vifIndex + 1 {
            h.difvif = DIFVIF(p, from: index, count: i - index)
        } else {
            h.difvif = DIFVIF(p, from: index, count: h.vifIndex + 1)
            for k in vifesStart..<i { h.difvif.append(p[k]) }
        }
        index = i
    }
}

extension RecordHeader {
    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
