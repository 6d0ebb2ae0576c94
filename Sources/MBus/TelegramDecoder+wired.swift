extension TelegramDecoder {
    /// One wired M-Bus frame (EN 13757-2) carrying data: RSP_UD long frames with CI 0x72,
    /// 0x7A, 0x78 or the old fixed structure 0x73. An ACK, a short or control frame carries no
    /// records and is reported as such; bytes after the frame are an error, not ignored.
    public func decodeWired(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> Telegram {
        let (frame, length) = try WiredFrame.parse(bytes)
        guard length == bytes.count else {
            throw DecodeError(.invalidFrame, "\(bytes.count - length) bytes follow the frame's stop byte")
        }
        guard case .long = frame else {
            throw DecodeError(.unsupported, "a wired \(Self.name(of: frame)) carries no data records")
        }
        var payload = try frame.applicationPayload()
        let address = payload.meter ?? MeterAddress(manufacturer: 0, id: 0, version: 0, deviceType: 0)
        var security = SecurityMode.none
        if payload.needsDecryption {
            try decryptMode5(&payload, options: options)
            security = .mode5
        }
        let parsed: ParsedRecords
        if let fixed = payload.fixedRecords {
            parsed = ParsedRecords(records: fixed, manufacturerData: [], moreRecordsFollow: false)
        } else {
            parsed = try records(in: payload.data, from: payload.recordsStart, to: payload.data.count,
                                 compact: false, manufacturer: address.manufacturer)
        }
        return Telegram(kind: .mbus, address: address, control: payload.control, primaryAddress: payload.address,
                        accessNumber: payload.accessNumber, status: payload.status, configuration: payload.configuration,
                        security: security, applicationCI: payload.ci, records: parsed.records,
                        manufacturerData: parsed.manufacturerData, moreRecordsFollow: parsed.moreRecordsFollow,
                        infoCodes: InfoCodeMaps.decode(records: parsed.records, address: address),
                        registers: Registers(records: parsed.records, address: address))
    }

    /// Mode 5 on wired M-Bus: the same TPL long header as on radio follows the CI, so the
    /// wireless layer's CBC code decrypts it once the CI is put back in front.
    private func decryptMode5(_ payload: inout WiredPayload, options: DecodeOptions) throws(DecodeError) {
        guard payload.ci == 0x72 else {
            throw DecodeError(.unsupported, "mode 5 on wired M-Bus needs the long header (CI 0x72) for its IV; CI \(hex(payload.ci)) has none")
        }
        var buffer = [payload.ci] + payload.data
        let tpl = try TPLHeader.parse(buffer, at: 0)
        let recordsStart = try SecurityModes.openMode5(&buffer, tpl: tpl, options: options, cipher: cipher)
        payload.data = Array(buffer[1...])
        payload.recordsStart = recordsStart - 1
    }

    private static func name(of frame: WiredFrame) -> String {
        switch frame {
        case .ack: "single character (E5)"
        case .short: "short frame"
        case .control: "control frame"
        case .long: "long frame"
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return "0x" + String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
