internal import Glibc

/// Where the server's JSON log lines go. The event loop batches the lines of one iteration
/// into a single call.
public protocol LogSink: Sendable {
    func write(_ bytes: [UInt8])
}

/// Standard error, one write per batch.
public struct StandardErrorLog: LogSink {
    public init() {}
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { if errno == EINTR { continue } else { return } }
                offset += n
            }
        }
    }
}

/// One application log line, `{"time":…,"level":…,"msg":…,<fields>}`: the shape every
/// JSON line of the server shares.
public enum LogLine {
    public static func append(level: String, message: String, fields: [(String, String)] = [],
                              to out: inout [UInt8]) {
        out.append(contentsOf: "{\"time\":".utf8)
        appendJSONString(RFC3339.format(time(nil)), to: &out)
        out.append(contentsOf: ",\"level\":".utf8)
        appendJSONString(level, to: &out)
        out.append(contentsOf: ",\"msg\":".utf8)
        appendJSONString(message, to: &out)
        for (key, value) in fields {
            out.append(UInt8(ascii: ","))
            appendJSONString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendJSONString(value, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
    }

    public static func make(level: String, message: String, fields: [(String, String)] = []) -> [UInt8] {
        var out: [UInt8] = []
        append(level: level, message: message, fields: fields, to: &out)
        return out
    }
}

/// One access-log line: `{"time":...,"level":"info","msg":"request",...}`.
enum RequestLogLine {
    static func append(method: HTTPMethod, route: String?, path: String, status: Int, durationNanos: UInt64,
                       requestID: String, remote: String, wallSeconds: Int, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"time\":".utf8)
        appendJSONString(RFC3339.format(wallSeconds), to: &out)
        out.append(contentsOf: ",\"level\":\"info\",\"msg\":\"request\",\"method\":".utf8)
        appendJSONString(method.rawValue, to: &out)
        out.append(contentsOf: ",\"route\":".utf8)
        // Unmatched requests log a fixed word, never the raw path: paths can carry ids and junk.
        appendJSONString(route ?? "(unmatched)", to: &out)
        out.append(contentsOf: ",\"status\":".utf8)
        ResponseSerializer.appendDecimal(status, to: &out)
        out.append(contentsOf: ",\"durationMs\":".utf8)
        let micros = Int(durationNanos / 1000)
        ResponseSerializer.appendDecimal(micros / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        let frac = micros % 1000
        if frac < 100 { out.append(UInt8(ascii: "0")) }
        if frac < 10 { out.append(UInt8(ascii: "0")) }
        ResponseSerializer.appendDecimal(frac, to: &out)
        out.append(contentsOf: ",\"requestId\":".utf8)
        appendJSONString(requestID, to: &out)
        out.append(contentsOf: ",\"remote\":".utf8)
        appendJSONString(remote, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }
}

/// UTC timestamps for log lines, without Foundation's formatters.
public enum RFC3339 {
    public static func format(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
