// PLACEHOLDER of the base commit: replaced by the wireless pipeline before anything merges.
extension TelegramDecoder {
    public func decodeWireless(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> Telegram {
        throw DecodeError(.unsupported, "wireless decoding not assembled yet")
    }
}
