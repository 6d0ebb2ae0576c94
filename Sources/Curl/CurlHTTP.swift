internal import CCurl

/// HTTP(S) requests over libcurl, off the cooperative pool (see `CurlEngine`).
public enum CurlHTTP {
    /// Sends `call` and returns the reply, whatever its status. Throws for what is not a reply:
    /// a refused or malformed request, no connection, a timeout, TLS failure, a body over the limit.
    public static func perform(_ call: HTTPCall) async throws(CurlError) -> HTTPReply {
        let transfer = try Transfer(protocols: "http,https", timeoutSeconds: call.timeoutSeconds,
                                    connectTimeoutSeconds: call.connectTimeoutSeconds, verifyPeer: call.verifyPeer,
                                    caFile: call.caFile, maxResponseBytes: call.maxResponseBytes)
        try configure(transfer, for: call)
        let result = try await CurlEngine.shared.perform(transfer)
        return HTTPReply(status: result.responseCode, headers: result.headers, body: result.body)
    }

    private static func configure(_ transfer: Transfer, for call: HTTPCall) throws(CurlError) {
        guard isToken(call.method) else {
            throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, "the method \"\(call.method)\" is not an HTTP token")
        }
        try transfer.set(CURLOPT_URL, call.url)
        try transfer.set(CURLOPT_USERAGENT, "fjern")
        try transfer.collectHeaders()
        switch call.method {
        case "GET" where call.body.isEmpty:
            try transfer.set(CURLOPT_HTTPGET, 1)
        case "HEAD" where call.body.isEmpty:
            try transfer.set(CURLOPT_NOBODY, 1)
        default:
            // POSTFIELDS sends the body with its length; CUSTOMREQUEST names any other verb.
            if call.method != "POST" { try transfer.set(CURLOPT_CUSTOMREQUEST, call.method) }
            if call.method == "POST" || !call.body.isEmpty { try transfer.setUpload(call.body, asPostFields: true) }
        }
        var lines: [String] = []
        lines.reserveCapacity(call.headers.count + 1)
        var expect = false
        for field in call.headers {
            guard isToken(field.name) else {
                throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, "the header name \"\(field.name)\" is not an HTTP token")
            }
            guard !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, "the value of the header \(field.name) contains CR, LF or NUL")
            }
            if field.name.lowercased() == "expect" { expect = true }
            // "Name:" would remove a header in libcurl; "Name;" sends it empty.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        // No "Expect: 100-continue" round trip before larger bodies unless the caller wants one.
        if !expect { lines.append("Expect:") }
        try transfer.set(CURLOPT_HTTPHEADER, list: lines)
        if let certificate = call.clientCertificate {
            try transfer.set(CURLOPT_SSLCERT, certificate.certificatePath)
            try transfer.set(CURLOPT_SSLKEY, certificate.keyPath)
        }
    }

    /// RFC 9110 token: what a method or header name may be.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
