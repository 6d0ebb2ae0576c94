extension RawClient {
    /// One request on a fresh connection: an optional bearer token, extra headers, and a body
    /// with its media type. A HEAD request's answer is read without a body.
    public static func exchange(port: Int, _ method: String, _ path: String, token: String?, body: [UInt8]? = nil,
                                contentType: String = "application/json", headers: [(String, String)] = [],
                                timeoutSeconds: Int = 10) throws -> Response {
        let client = try RawClient(port: port, timeoutSeconds: timeoutSeconds)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: test\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\r\n"
            try client.send(Array(head.utf8) + body)
        } else {
            try client.send(head + "\r\n")
        }
        return try client.readResponse(head: method == "HEAD")
    }
}
