internal import FoundationEssentials

/// Where a webhook may call: `https://` anywhere, plain `http://` only to this machine
/// (`localhost`, 127.0.0.0/8, `[::1]`), so events never cross a network unencrypted.
enum WebhookURL {
    /// Nil when acceptable, else why not (for the problem's pointer detail).
    static func problem(_ text: String) -> String? {
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return "must be a URL of printable ASCII without spaces"
        }
        let lower = text.lowercased()
        let secure = lower.hasPrefix("https://")
        guard secure || lower.hasPrefix("http://") else { return "must be an https:// URL (http:// only to a loopback host)" }
        guard let url = URL(string: text), let host = url.host, !host.isEmpty else { return "is not a URL with a host" }
        guard url.user == nil, url.password == nil else { return "must not carry credentials; the calls are signed" }
        if !secure && !isLoopback(host.lowercased()) { return "http:// is allowed only to a loopback host; use https://" }
        return nil
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }
}
