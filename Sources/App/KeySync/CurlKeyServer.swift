internal import Curl

/// The key server over libcurl (`CurlHTTP.perform`): bearer token and/or client certificate,
/// TLS verification as configured.
struct CurlKeyServer: KeyServerFetching {
    func get(_ request: KeyServerRequest) async throws(KeyServerFailure) -> (status: Int, body: [UInt8]) {
        var headers = [HTTPField(name: "Accept", value: "application/json")]
        if let token = request.bearerToken { headers.append(HTTPField(name: "Authorization", value: "Bearer \(token)")) }
        var certificate: ClientCertificate?
        if let cert = request.clientCertificatePath, let key = request.clientKeyPath {
            certificate = ClientCertificate(certificatePath: cert, keyPath: key)
        }
        let call = HTTPCall(method: "GET", url: request.url, headers: headers, timeoutSeconds: request.timeoutSeconds,
                            verifyPeer: request.verifyPeer, caFile: request.caFile, clientCertificate: certificate,
                            maxResponseBytes: request.maxResponseBytes)
        do {
            let reply = try await CurlHTTP.perform(call)
            return (reply.status, reply.body)
        } catch {
            throw KeyServerFailure(detail: "the key server could not be reached (GET \(request.url)): \(error.message)")
        }
    }
}
