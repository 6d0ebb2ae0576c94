import Crypto
import Dispatch
import Foundation
@testable import App
@testable import Store
import TestSupport

extension IngestFixture {
    /// Any request, with a raw body and extra headers, on a Dispatch thread.
    func send(_ method: String, _ path: String, token: String?, body: [UInt8]? = nil, contentType: String = "application/json",
              headers: [(String, String)] = []) async throws -> RawClient.Response {
        let port = app.port
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try RawClient.exchange(port: port, method, path, token: token, body: body, contentType: contentType,
                                           headers: headers, timeoutSeconds: 30)
                })
            }
        }
    }

    func importKEM(_ file: [UInt8], password: String?, token: String?) async throws -> RawClient.Response {
        try await send("POST", "/v1/meters/import-kem", token: token, body: file, contentType: "application/octet-stream",
                       headers: password.map { [("X-KEM-Password", $0)] } ?? [])
    }

    /// A token of a person with the `user` role in `tenant`.
    func userToken(_ tenant: Int64) async throws -> String {
        let u = try await store.createUser(tenant: tenant, name: "Ursula", email: "u\(tenant)@x.example", role: "user", audit: Self.setup)
        return try await TokenSecret.issue(store, tenant: tenant, name: "ursula", user: u.id, role: nil, expiresAt: nil,
                                           audit: Self.setup).secret
    }

    func meter(serial: String, token: String) async throws -> [String: Any]? {
        let items = try await call("GET", "/v1/meters?q=\(serial)", token: token).json["items"] as? [[String: Any]]
        return items?.first { $0["serial"] as? String == serial }
    }
}

/// Key files built the way PROTOCOLS.md §3.5 describes (password zero-padded to the AES key,
/// IV = key), around meter lists written here.
enum KEMTestFile {
    static func envelope(_ plain: String, password: String) throws -> [UInt8] {
        var data = Array(plain.utf8)
        data += [UInt8](repeating: 0, count: (16 - data.count % 16) % 16)
        let key = Array(password.utf8) + [UInt8](repeating: 0, count: 16 - password.utf8.count)
        let cipher = try AES.CBC.encrypt(data, key: key, iv: key, padding: .none)
        return Array("""
            <?xml version="1.0" encoding="utf-8"?><EncryptedData xmlns="http://www.w3.org/2001/04/xmlenc#"><CipherData>\
            <CipherValue>\(Data(cipher).base64EncodedString(options: .lineLength76Characters))</CipherValue></CipherData></EncryptedData>
            """.utf8)
    }

    static func kem(_ meters: [(serial: String, name: String, type: String, dek: String)]) -> String {
        "<?xml version=\"1.0\"?><MetersInOrder>" + meters.map { m in
            "<Meter><MeterName>\(m.name)</MeterName><ConsumptionType>\(m.type)</ConsumptionType><SerialNo>\(m.serial)</SerialNo>"
                + "<VendorId>KAM</VendorId><DEK>\(m.dek)</DEK></Meter>"
        }.joined() + "</MetersInOrder>"
    }
}
