internal import API
internal import FoundationEssentials

/// The few Fjern calls the simulator makes, over one keep-alive `HTTPClient`: JSON in, JSON
/// out, and an RFC 9457 problem turned into a message that names the call.
struct SimulatorAPI {
    let client: HTTPClient

    init(client: HTTPClient) { self.client = client }

    init(url: String, timeoutSeconds: Double = 120) throws(SimulateFailure) {
        do { client = try HTTPClient(url: url, timeoutSeconds: timeoutSeconds) } catch { throw SimulateFailure(error.description, code: 2) }
    }

    /// Sends `body` with the bearer `token` (and an `Idempotency-Key` when `idempotent`) and
    /// returns the parsed JSON of a 2xx answer.
    func call(_ method: String, _ path: String, token: String, body: [UInt8]?, idempotent: Bool = false,
              expect: Set<Int> = [200, 201]) throws(SimulateFailure) -> JSONValue {
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if idempotent { headers.append(("Idempotency-Key", UUID().uuidString.lowercased())) }
        let response: HTTPClient.Response
        do { response = try client.request(method, path, headers: headers, body: body) } catch {
            throw SimulateFailure("\(method) \(path): \(error)")
        }
        guard expect.contains(response.status) else { throw SimulateFailure(Self.problem(method, path, response)) }
        do { return try JSONParser.parse(response.body) } catch {
            throw SimulateFailure("\(method) \(path): the answer is not JSON (\(error))")
        }
    }

    /// `POST /v1/ingest/telegrams ... -> 404 Not Found: detail (pointer: reason; ...)`.
    static func problem(_ method: String, _ path: String, _ response: HTTPClient.Response) -> String {
        var message = "\(method) \(path) -> \(response.status)"
        guard let json = try? JSONParser.parse(response.body) else {
            return response.body.isEmpty ? message : message + ": " + String(response.text.prefix(300))
        }
        if case .string(let title)? = json["title"] { message += " \(title)" }
        if case .string(let detail)? = json["detail"] { message += ": \(detail)" }
        if case .array(let errors)? = json["errors"] {
            let parts = errors.prefix(5).compactMap { error -> String? in
                guard case .string(let pointer)? = error["pointer"] else { return nil }
                if case .string(let detail)? = error["detail"] { return "\(pointer): \(detail)" }
                return pointer
            }
            if !parts.isEmpty { message += " (" + parts.joined(separator: "; ") + ")" }
        }
        return message
    }
}

extension SimulatorAPI {
    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func int(_ value: JSONValue?) -> Int? {
        switch value {
        case .int(let number)?: return number
        case .double(let number)? where number.isFinite && number.rounded() == number: return Int(number)
        default: return nil
        }
    }
}
