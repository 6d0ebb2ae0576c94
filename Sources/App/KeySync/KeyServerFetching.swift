/// How a run reaches the key server: one GET, answered with a status and a body. The Curl-backed
/// implementation is `CurlKeyServer`; tests may substitute their own.
protocol KeyServerFetching: Sendable {
    func get(_ request: KeyServerRequest) async throws(KeyServerFailure) -> (status: Int, body: [UInt8])
}

struct KeyServerRequest: Sendable, Equatable {
    var url: String
    var bearerToken: String?
    var clientCertificatePath: String?
    var clientKeyPath: String?
    var verifyPeer: Bool
    var caFile: String?
    var timeoutSeconds: Int = 60
    /// One page of 100,000 meters is about 15 MB of JSON.
    var maxResponseBytes: Int = 32 << 20
}

/// The transfer failed (no answer): the reason is written on the run.
struct KeyServerFailure: Error, Equatable {
    var detail: String
}
