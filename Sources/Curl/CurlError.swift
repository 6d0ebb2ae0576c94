internal import CCurl

/// A libcurl failure: the CURLcode and libcurl's own words for it (its detailed message when
/// it gave one, e.g. "Failed to connect to 127.0.0.1 port 1: Connection refused").
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    /// The peer's last reply code when it sent one: an SMTP server's 4xx/5xx refusal, the HTTP
    /// status of a reply that was cut off. Decides transient against permanent for SMTP.
    public var responseCode: Int?

    public init(code: Int32, message: String, responseCode: Int? = nil) {
        self.code = code
        self.message = message
        self.responseCode = responseCode
    }

    init(_ code: CURLcode) {
        self.code = Int32(code.rawValue)
        self.message = String(cString: curl_easy_strerror(code))
    }

    init(_ code: CURLcode, _ message: String) {
        self.code = Int32(code.rawValue)
        self.message = message
    }

    public var description: String {
        if let responseCode { return "curl error \(code): \(message) (reply \(responseCode))" }
        return "curl error \(code): \(message)"
    }

    private func `is`(_ codes: CURLcode...) -> Bool { codes.contains { Int32($0.rawValue) == code } }

    /// The transfer ran out of time (`timeoutSeconds` or `connectTimeoutSeconds`).
    public var isTimeout: Bool { self.is(CURLE_OPERATION_TIMEDOUT) }

    /// No usable connection: name not resolved, refused, reset, closed before or during the reply.
    public var isConnectionFailure: Bool {
        self.is(CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING,
                CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM)
    }

    /// The peer's certificate (or its host name) did not verify against the trusted CAs.
    public var isCertificateVerificationFailure: Bool { self.is(CURLE_PEER_FAILED_VERIFICATION) }

    /// TLS failed in any way: verification, handshake, our CA file or client certificate.
    public var isTLSFailure: Bool {
        self.is(CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
                CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
                CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED)
    }

    /// The response body was larger than the call's `maxResponseBytes`.
    public var isResponseTooLarge: Bool { self.is(CURLE_FILESIZE_EXCEEDED) }

    /// The server refused the credentials (SMTP AUTH).
    public var isLoginDenied: Bool { self.is(CURLE_LOGIN_DENIED) }

    /// The calling task was cancelled; the transfer was stopped.
    public var isCancelled: Bool { self.is(CURLE_ABORTED_BY_CALLBACK) }

    /// Refused before any transfer: a malformed URL, method or header, a scheme not allowed.
    public var isInvalidRequest: Bool {
        self.is(CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT)
    }
}
