internal import CCurl

/// One message to submit: the envelope and the finished RFC 5322 bytes (CRLF line ends;
/// libcurl dot-stuffs them).
public struct MailSubmission: Sendable, Equatable {
    /// MAIL FROM: a bare address, e.g. `alarms@utility.example`.
    public var from: String
    /// RCPT TO, bare addresses.
    public var recipients: [String]
    public var message: [UInt8]

    public init(from: String, recipients: [String], message: [UInt8]) {
        self.from = from
        self.recipients = recipients
        self.message = message
    }
}

/// Where and how to submit mail.
public struct SMTPServer: Sendable, Equatable {
    /// `smtp://host:port` or `smtps://host:port` (implicit TLS).
    public var url: String
    public var username: String?
    public var password: String?
    /// For `smtp://`: STARTTLS is required (CURLUSESSL_ALL), else the server is refused.
    /// False sends in the clear: only for a trusted relay on loopback.
    public var requireTLS: Bool
    public var verifyPeer: Bool
    public var caFile: String?
    public var timeoutSeconds: Int
    public var connectTimeoutSeconds: Int

    public init(url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = true,
                verifyPeer: Bool = true, caFile: String? = nil, timeoutSeconds: Int = 30, connectTimeoutSeconds: Int = 10) {
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.verifyPeer = verifyPeer
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }
}

/// The server accepted the message: its final reply code (250 after DATA).
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public init(code: Int) { self.code = code }
}

/// SMTP(S) submission over libcurl, off the cooperative pool (see `CurlEngine`).
public enum CurlSMTP {
    /// Submits `mail`. A refusal throws with the server's reply code in `CurlError.responseCode`:
    /// 4xx is worth retrying, 5xx is not; no reply code means the connection, TLS or a timeout
    /// failed (see `CurlError.isConnectionFailure`, `isTimeout`, `isTLSFailure`).
    public static func send(_ mail: MailSubmission, via server: SMTPServer) async throws(CurlError) -> SMTPReply {
        guard !mail.recipients.isEmpty else { throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, "no recipients") }
        for address in [mail.from] + mail.recipients where !isBareAddress(address) {
            throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, "\"\(address)\" is not a bare e-mail address")
        }
        let transfer = try Transfer(protocols: "smtp,smtps", timeoutSeconds: server.timeoutSeconds,
                                    connectTimeoutSeconds: server.connectTimeoutSeconds, verifyPeer: server.verifyPeer,
                                    caFile: server.caFile, maxResponseBytes: 1 << 16)
        try transfer.set(CURLOPT_URL, server.url)
        try transfer.set(CURLOPT_USE_SSL, Int(server.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        if let username = server.username { try transfer.set(CURLOPT_USERNAME, username) }
        if let password = server.password { try transfer.set(CURLOPT_PASSWORD, password) }
        try transfer.set(CURLOPT_MAIL_FROM, "<\(mail.from)>")
        try transfer.set(CURLOPT_MAIL_RCPT, list: mail.recipients.map { "<\($0)>" })
        try transfer.setUpload(mail.message, asPostFields: false)
        let result = try await CurlEngine.shared.perform(transfer)
        return SMTPReply(code: result.responseCode)
    }

    /// Printable ASCII without spaces, angle brackets or commas, one `@` with text either side:
    /// what can go between `<` and `>` without changing the command.
    static func isBareAddress(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: ",") }
    }
}
