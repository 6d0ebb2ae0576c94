internal import Glibc
internal import HTTPServer

/// Application events as JSON lines on standard error, in the same shape as the request log.
enum AppLog {
    static func write(_ level: String, _ message: String, _ fields: [(String, String)] = []) {
        var out: [UInt8] = []
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
        StandardErrorLog().write(out)
    }

    static func info(_ message: String, _ fields: [(String, String)] = []) { write("info", message, fields) }
    static func error(_ message: String, _ fields: [(String, String)] = []) { write("error", message, fields) }
}
