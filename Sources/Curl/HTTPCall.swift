/// One header line. Names are sent as given; the peer's are kept as received.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A client certificate for mutual TLS: PEM files.
public struct ClientCertificate: Sendable, Equatable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }
}

/// One HTTP(S) request. Redirects are never followed: a 3xx is the reply.
public struct HTTPCall: Sendable {
    /// GET, POST, PUT, ...: an HTTP token.
    public var method: String
    /// `http://` or `https://`; any other scheme is refused.
    public var url: String
    public var headers: [HTTPField]
    public var body: [UInt8]
    /// The whole transfer, connect included. At least one second.
    public var timeoutSeconds: Int
    public var connectTimeoutSeconds: Int
    /// TLS peer and host name verification. Off only for a peer the operator chose to trust blindly.
    public var verifyPeer: Bool
    /// A PEM CA bundle to verify the peer with instead of the default bundle file.
    public var caFile: String?
    public var clientCertificate: ClientCertificate?
    /// A larger response body fails the call (`CurlError.isResponseTooLarge`) instead of growing memory.
    public var maxResponseBytes: Int

    public init(method: String = "GET", url: String, headers: [HTTPField] = [], body: [UInt8] = [], timeoutSeconds: Int = 30,
                connectTimeoutSeconds: Int = 10, verifyPeer: Bool = true, caFile: String? = nil,
                clientCertificate: ClientCertificate? = nil, maxResponseBytes: Int = 16 << 20) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.verifyPeer = verifyPeer
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.maxResponseBytes = maxResponseBytes
    }
}

/// The peer's answer: any status, 4xx and 5xx included (they are replies, not errors).
public struct HTTPReply: Sendable {
    public var status: Int
    /// The final response's header fields, in order, values without surrounding whitespace.
    public var headers: [HTTPField]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPField], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first field of that name, case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
