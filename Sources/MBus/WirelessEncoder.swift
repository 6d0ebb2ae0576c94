/// Builds valid wireless telegrams (CRC-free unless `withLinkCRCs` is applied): for tests, the
/// meter simulator and the benchmarks. Bad arguments (a key that is not 16 bytes, a frame
/// longer than L = 255 allows) are `invalid-frame` errors.
public enum WirelessEncoder {
    /// Unencrypted, with a short TPL header (CI 0x7A), or a long one (CI 0x72) naming
    /// `longHeader` as the meter behind the DLL's `address`.
    public static func plain(address: MeterAddress, control: UInt8 = 0x44, accessNumber: UInt8, status: UInt8 = 0,
                             longHeader: MeterAddress? = nil, records: [UInt8]) throws(DecodeError) -> [UInt8] {
        var frame = dll(address: address, control: control)
        appendTPL(&frame, accessNumber: accessNumber, status: status, configuration: 0, longHeader: longHeader)
        frame += records
        return try finish(frame)
    }

    /// ELL II (CI 0x8D) with session number and payload CRC, then `applicationCI` (0x78 full or
    /// 0x79 compact, no TPL header) and `application`: the Kamstrup C1 layout. With a key the
    /// PLCRC and payload are AES-128-CTR encrypted (ENC 1), without one they are plain (ENC 0).
    /// `sessionNumber` gives SN bits 0-28; the encoder sets the ENC bits.
    public static func ellCTR(address: MeterAddress, control: UInt8 = 0x44, cc: UInt8 = 0x20, accessNumber: UInt8,
                              sessionNumber: UInt32, key: [UInt8]?, applicationCI: UInt8 = 0x78,
                              application: [UInt8]) throws(DecodeError) -> [UInt8] {
        if let key, key.count != 16 { throw DecodeError(.invalidFrame, "AES-128 keys have 16 bytes, got \(key.count)") }
        var frame = dll(address: address, control: control)
        let sn = sessionNumber & 0x1FFF_FFFF | (key == nil ? 0 : 1 << 29)
        frame += [0x8D, cc, accessNumber]
        appendLE(&frame, sn, bytes: 4)
        let crcOffset = frame.count
        frame += [0, 0, applicationCI]
        frame += application
        let crc = CRC16.checksum(frame, (crcOffset + 2)..<frame.count)
        frame[crcOffset] = UInt8(crc & 0xFF)
        frame[crcOffset + 1] = UInt8(crc >> 8)
        frame = try finish(frame)
        if let key {
            let cipher = PayloadCipher()
            try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { iv throws(DecodeError) in
                ELLHeader.writeCounterIV(frame, communicationControl: cc, sessionNumber: sn, into: iv)
                try cipher.ctr(key: key, iv: UnsafeRawBufferPointer(iv), data: &frame, range: crcOffset..<frame.count)
            }
        }
        return frame
    }

    /// Security mode 5: `2F 2F` + records, padded with 2F fillers to whole blocks, AES-CBC with
    /// IV = M ‖ A ‖ ACC×8. `encryptedBlocks` encrypts only that many leading blocks (the rest of
    /// the records follow in plaintext, unpadded); nil encrypts everything.
    public static func mode5(address: MeterAddress, control: UInt8 = 0x44, accessNumber: UInt8, status: UInt8 = 0,
                             key: [UInt8], longHeader: MeterAddress? = nil, records: [UInt8],
                             encryptedBlocks: Int? = nil) throws(DecodeError) -> [UInt8] {
        let (payload, blocks) = try blockPayload(records, encryptedBlocks: encryptedBlocks)
        var frame = dll(address: address, control: control)
        appendTPL(&frame, accessNumber: accessNumber, status: status, configuration: 0x0500 | UInt16(blocks) << 4, longHeader: longHeader)
        let start = frame.count
        frame += payload
        frame = try finish(frame)
        let meter = longHeader ?? address
        var iv = [UInt8]()
        appendLE(&iv, UInt32(meter.manufacturer), bytes: 2)
        appendLE(&iv, meter.id, bytes: 4)
        iv += [meter.version, meter.deviceType] + [UInt8](repeating: accessNumber, count: 8)
        try encryptCBC(&frame, key: key, iv: iv, range: start..<(start + blocks * 16))
        return frame
    }

    /// Security mode 7 (OMS profile B): AFL `90 0F 00 2C 25 MCR MAC(8)` with an AES-CMAC-8 over
    /// MCL ‖ MCR ‖ TPL, then a short (or long) TPL header with CFG mode 7 and extension 0x10
    /// (KDF 1), records as in mode 5 but AES-CBC with IV 0 and Kenc from the KDF.
    public static func mode7(address: MeterAddress, control: UInt8 = 0x44, accessNumber: UInt8, status: UInt8 = 0,
                             mcr: UInt32, key: [UInt8], longHeader: MeterAddress? = nil,
                             records: [UInt8]) throws(DecodeError) -> [UInt8] {
        guard key.count == 16 else { throw DecodeError(.invalidFrame, "AES-128 keys have 16 bytes, got \(key.count)") }
        let (payload, blocks) = try blockPayload(records, encryptedBlocks: nil)
        var frame = dll(address: address, control: control)
        let mcl: UInt8 = 0x25
        frame += [0x90, 0x0F, 0x00, 0x2C, mcl]
        appendLE(&frame, mcr, bytes: 4)
        let macAt = frame.count
        frame += [UInt8](repeating: 0, count: 8)
        let tplStart = frame.count
        appendTPL(&frame, accessNumber: accessNumber, status: status, configuration: 0x0700 | UInt16(blocks) << 4, longHeader: longHeader)
        frame.append(0x10)
        let start = frame.count
        frame += payload
        frame = try finish(frame)
        let cipher = PayloadCipher()
        let id = (longHeader ?? address).id
        let encryptionKey = try SecurityModes.derive(key: key, constant: 0x00, counter: mcr, id: id, cipher: cipher)
        try encryptCBC(&frame, key: encryptionKey, iv: [UInt8](repeating: 0, count: 16), range: start..<(start + blocks * 16))
        let macKey = try SecurityModes.derive(key: key, constant: 0x01, counter: mcr, id: id, cipher: cipher)
        var input: [UInt8] = [mcl]
        appendLE(&input, mcr, bytes: 4)
        input += frame[tplStart...]
        let mac = try cipher.cmac(key: macKey, message: input)
        frame.replaceSubrange(macAt..<(macAt + 8), with: mac[0..<8])
        return frame
    }

    /// The frame with format-A or -B link-layer CRCs added (format B rewrites L to count them).
    public static func withLinkCRCs(_ frame: [UInt8], format: CRCState) -> [UInt8] {
        LinkCRC.add(frame, format: format)
    }

    // MARK: parts

    private static func dll(address: MeterAddress, control: UInt8) -> [UInt8] {
        var frame: [UInt8] = [0, control]
        appendLE(&frame, UInt32(address.manufacturer), bytes: 2)
        appendLE(&frame, address.id, bytes: 4)
        frame += [address.version, address.deviceType]
        return frame
    }

    private static func appendTPL(_ frame: inout [UInt8], accessNumber: UInt8, status: UInt8, configuration: UInt16,
                                  longHeader: MeterAddress?) {
        if let meter = longHeader {
            frame.append(0x72)
            appendLE(&frame, meter.id, bytes: 4)
            appendLE(&frame, UInt32(meter.manufacturer), bytes: 2)
            frame += [meter.version, meter.deviceType]
        } else {
            frame.append(0x7A)
        }
        frame += [accessNumber, status]
        appendLE(&frame, UInt32(configuration), bytes: 2)
    }

    /// `2F 2F` + records, padded with 2F so that the encrypted blocks are whole; N <= 15.
    private static func blockPayload(_ records: [UInt8], encryptedBlocks: Int?) throws(DecodeError) -> ([UInt8], Int) {
        var payload: [UInt8] = [0x2F, 0x2F] + records
        let blocks = encryptedBlocks ?? (payload.count + 15) / 16
        guard (1...15).contains(blocks) else { throw DecodeError(.invalidFrame, "\(blocks) encrypted blocks; the CFG field holds 1...15") }
        if payload.count < blocks * 16 { payload += [UInt8](repeating: 0x2F, count: blocks * 16 - payload.count) }
        return (payload, blocks)
    }

    private static func encryptCBC(_ frame: inout [UInt8], key: [UInt8], iv: [UInt8], range: Range<Int>) throws(DecodeError) {
        guard key.count == 16 else { throw DecodeError(.invalidFrame, "AES-128 keys have 16 bytes, got \(key.count)") }
        let cipher = PayloadCipher()
        try withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { buffer throws(DecodeError) in
            for index in 0..<16 { buffer[index] = iv[index] }
            try cipher.cbcEncrypt(key: key, iv: UnsafeRawBufferPointer(buffer), data: &frame, range: range)
        }
    }

    /// Sets L and checks that it fits its byte.
    private static func finish(_ frame: [UInt8]) throws(DecodeError) -> [UInt8] {
        guard frame.count - 1 <= 255 else { throw DecodeError(.invalidFrame, "frame of \(frame.count) bytes exceeds L = 255") }
        var out = frame
        out[0] = UInt8(frame.count - 1)
        return out
    }

    private static func appendLE(_ bytes: inout [UInt8], _ value: UInt32, bytes count: Int) {
        for index in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(8 * index))) }
    }
}
