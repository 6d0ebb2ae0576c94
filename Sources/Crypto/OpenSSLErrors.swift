internal import COpenSSL

/// OpenSSL reports failures on a per-thread error queue. Every failing call drains it, so a
/// stale entry never leaks into the message of a later, unrelated failure on the same thread.
enum OpenSSLErrors {
    /// The queued errors as text (or just the call's name if the queue is empty), queue emptied.
    static func drain(after call: String) -> CryptoError {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return .openssl(messages.isEmpty ? "\(call) failed" : "\(call) failed: " + messages.joined(separator: "; "))
    }

    /// For failures that have a meaning of their own (bad padding, wrong GCM tag): the queue
    /// holds nothing useful, only clear it.
    static func clear() {
        ERR_clear_error()
    }
}
