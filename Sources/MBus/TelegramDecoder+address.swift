extension TelegramDecoder {
    /// The meter a telegram or frame comes from, read without decrypting: what ingest needs to
    /// find the meter and its key before decoding. Wired frames name the meter only in the
    /// long header (CI 0x72 and kin); a frame without one has no address to go by.
    public static func meterAddress(of bytes: [UInt8]) throws(DecodeError) -> (kind: Telegram.Kind, address: MeterAddress) {
        if looksWired(bytes) {
            let (frame, length) = try WiredFrame.parse(bytes)
            guard length == bytes.count else {
                throw DecodeError(.invalidFrame, "\(bytes.count - length) bytes follow the frame's stop byte")
            }
            guard let meter = try frame.applicationPayload().meter else {
                throw DecodeError(.unsupported, "the wired frame has no long header, so it does not name its meter")
            }
            return (.mbus, meter)
        }
        return (.wmbus, try WirelessFrame.parse(bytes).meterAddress())
    }
}
