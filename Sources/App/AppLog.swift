internal import HTTPServer

/// Application events as JSON lines on standard error, in the server's log line shape.
enum AppLog {
    static func write(_ level: String, _ message: String, _ fields: [(String, String)] = []) {
        StandardErrorLog().write(LogLine.make(level: level, message: message, fields: fields))
    }

    static func info(_ message: String, _ fields: [(String, String)] = []) { write("info", message, fields) }
    static func error(_ message: String, _ fields: [(String, String)] = []) { write("error", message, fields) }
}
