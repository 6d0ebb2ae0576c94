extension TelegramDecoder {
    /// A wireless M-Bus telegram as a receiver hands it over (with or without link-layer CRCs,
    /// trailing receiver bytes cut): link layer, ELL/AFL/TPL, decryption, records.
    public func decodeWireless(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> Telegram {
        let frame = try WirelessFrame.parse(bytes)
        do {
            return try decode(frame, options: options)
        } catch {
            // One CRC-free frame in 65,536 ends in two bytes that verify as a format-B CRC;
            // when that reading fails further in, the frame is read again as CRC-free.
            guard frame.crcState == .formatB, let plain = try? WirelessFrame.parseWithoutCRCs(bytes),
                  let telegram = try? decode(plain, options: options) else { throw error }
            return telegram
        }
    }

    private func decode(_ frame: WirelessFrame, options: DecodeOptions) throws(DecodeError) -> Telegram {
        let opened = try frame.open(options: options, cipher: cipher)
        let parsed = try records(in: opened.plaintext, from: opened.recordsStart, to: opened.plaintext.count,
                                 compact: opened.isCompact, manufacturer: opened.address.manufacturer)
        return Telegram(kind: .wmbus, address: opened.address, linkAddress: opened.linkAddress, control: opened.control,
                        accessNumber: opened.accessNumber, status: opened.status, configuration: opened.configuration,
                        security: opened.security, applicationCI: opened.applicationCI, records: parsed.records,
                        manufacturerData: parsed.manufacturerData, moreRecordsFollow: parsed.moreRecordsFollow,
                        infoCodes: InfoCodeMaps.decode(records: parsed.records, address: opened.address),
                        registers: Registers(records: parsed.records, address: opened.address))
    }

    /// Records of a full or compact application layer. Every full frame teaches the registry
    /// its format, so the compact frames of the same meter model decode from then on.
    func records(in bytes: [UInt8], from start: Int, to end: Int, compact: Bool,
                 manufacturer: UInt16) throws(DecodeError) -> ParsedRecords {
        if compact {
            let full = try CompactFrame.expand(bytes, from: start, to: end, registry: formats)
            return try RecordParser.parse(full, from: 0, to: full.count, manufacturer: manufacturer)
        }
        let parsed = try RecordParser.parse(bytes, from: start, to: end, manufacturer: manufacturer)
        formats.learn(recordBytes: bytes, from: start, to: end)
        return parsed
    }
}
