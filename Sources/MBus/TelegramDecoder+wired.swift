// PLACEHOLDER of the base commit: replaced by the wired pipeline before anything merges.
extension TelegramDecoder {
    public func decodeWired(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(DecodeError) -> Telegram {
        throw DecodeError(.unsupported, "wired decoding not assembled yet")
    }
}
