public import HTTPServer

/// `fjern serve` settings: flags first, then `FJERN_*` environment variables, then defaults.
public struct ServeOptions: Equatable, Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./data"
    public var logRequests = true
    /// Where handlers run (`auto`, `pool` or `loop`); see `HandlerPlacement`.
    public var handlerPlacement = HandlerPlacement.automatic
    /// epoll threads; nil means one per core.
    public var eventLoops: Int?
    /// HTTP limits and timeouts; nil keeps the server's default.
    public var maxConnections: Int?
    public var maxInFlightRequests: Int?
    public var maxBodyBytes: Int?
    public var requestHeadTimeoutSeconds: Int?
    public var idleTimeoutSeconds: Int?
    /// Event streams (`GET /v1/events/stream`) open at once; nil keeps the server's default.
    public var maxStreams: Int?
    /// Days the event feed keeps its events.
    public var eventRetentionDays = 7
    /// How long in-flight requests may take to finish after SIGTERM.
    public var shutdownGraceSeconds = 10
    /// `FJERN_MASTER_KEY` (64 hex digits), never a flag: command lines are visible to every user.
    public var masterKey: String?
    /// Failed authentications per address and minute before answers slow down, and before they
    /// are refused with 429 (`AuthThrottle`). A contract fuzzer that sends bad tokens on purpose
    /// raises them; production keeps the defaults.
    public var authSlowAfter = 5
    public var authBlockAfter = 20
    /// Attempts per outbound message before a transient failure becomes final.
    public var outboxMaxAttempts = 8

    public init() {}

    public struct UsageError: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Parses the arguments after `serve`.
    public static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> ServeOptions {
        var options = ServeOptions()
        if let addr = environment["FJERN_ADDR"], !addr.isEmpty { try options.setAddress(addr, from: "FJERN_ADDR") }
        if let dir = environment["FJERN_DATA_DIR"], !dir.isEmpty { options.dataDirectory = dir }
        options.masterKey = environment["FJERN_MASTER_KEY"]
        if let log = environment["FJERN_LOG_REQUESTS"], !log.isEmpty {
            options.logRequests = try parseSwitch(log, from: "FJERN_LOG_REQUESTS")
        }
        if let loops = environment["FJERN_EVENT_LOOPS"], !loops.isEmpty {
            options.eventLoops = try parseEventLoops(loops, from: "FJERN_EVENT_LOOPS")
        }
        if let placement = environment["FJERN_HANDLERS"], !placement.isEmpty {
            options.handlerPlacement = try parsePlacement(placement, from: "FJERN_HANDLERS")
        }
        for setting in numericSettings {
            if let text = environment[setting.environment], !text.isEmpty {
                setting.apply(&options, try parseNumber(text, from: setting.environment, in: setting.range))
            }
        }
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            func value() throws(UsageError) -> String {
                if let inline { return inline }
                guard let next = rest.popFirst() else { throw UsageError("\(name) needs a value") }
                return next
            }
            switch name {
            case "--addr": try options.setAddress(try value(), from: "--addr")
            case "--data-dir":
                options.dataDirectory = try value()
                guard !options.dataDirectory.isEmpty else { throw UsageError("--data-dir must not be empty") }
            case "--log-requests": options.logRequests = try parseSwitch(try value(), from: "--log-requests")
            case "--handlers": options.handlerPlacement = try parsePlacement(try value(), from: "--handlers")
            case "--event-loops": options.eventLoops = try parseEventLoops(try value(), from: "--event-loops")
            case "--shutdown-grace":
                let text = try value()
                guard let seconds = Int(text), (0...3600).contains(seconds) else {
                    throw UsageError("--shutdown-grace must be whole seconds between 0 and 3600, got '\(text)'")
                }
                options.shutdownGraceSeconds = seconds
            default:
                guard let setting = numericSettings.first(where: { $0.flag == name }) else {
                    throw UsageError("unknown option '\(argument)' for 'fjern serve'")
                }
                setting.apply(&options, try parseNumber(try value(), from: name, in: setting.range))
            }
        }
        return options
    }

    /// HOST:PORT, with IPv6 hosts in brackets ("[::1]:8080").
    mutating func setAddress(_ text: String, from source: String) throws(UsageError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw UsageError("\(source): expected [IPv6]:PORT, got '\(text)'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw UsageError("\(source): expected HOST:PORT, got '\(text)'") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw UsageError("\(source): the host is empty in '\(text)'") }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw UsageError("\(source): the port must be 0-65535, got '\(portText)'")
        }
        self.host = String(host)
        self.port = port
    }

    /// Whole-number settings that only pass a value through to the server configuration.
    struct NumericSetting: Sendable {
        var flag: String
        var environment: String
        var range: ClosedRange<Int>
        var apply: @Sendable (inout ServeOptions, Int) -> Void
    }

    static let numericSettings: [NumericSetting] = [
        .init(flag: "--max-connections", environment: "FJERN_MAX_CONNECTIONS", range: 1...1_000_000) { $0.maxConnections = $1 },
        .init(flag: "--max-in-flight", environment: "FJERN_MAX_IN_FLIGHT", range: 1...1_000_000) { $0.maxInFlightRequests = $1 },
        .init(flag: "--max-body-bytes", environment: "FJERN_MAX_BODY_BYTES", range: 1...(1 << 34)) { $0.maxBodyBytes = $1 },
        .init(flag: "--request-head-timeout", environment: "FJERN_REQUEST_HEAD_TIMEOUT", range: 1...3600) {
            $0.requestHeadTimeoutSeconds = $1
        },
        .init(flag: "--idle-timeout", environment: "FJERN_IDLE_TIMEOUT", range: 1...86_400) { $0.idleTimeoutSeconds = $1 },
        .init(flag: "--auth-slow-after", environment: "FJERN_AUTH_SLOW_AFTER", range: 1...1_000_000) { $0.authSlowAfter = $1 },
        .init(flag: "--auth-block-after", environment: "FJERN_AUTH_BLOCK_AFTER", range: 1...1_000_000) { $0.authBlockAfter = $1 },
        .init(flag: "--max-streams", environment: "FJERN_MAX_STREAMS", range: 1...100_000) { $0.maxStreams = $1 },
        .init(flag: "--event-retention-days", environment: "FJERN_EVENT_RETENTION_DAYS", range: 1...3650) {
            $0.eventRetentionDays = $1
        },
        .init(flag: "--outbox-max-attempts", environment: "FJERN_OUTBOX_MAX_ATTEMPTS", range: 1...100) {
            $0.outboxMaxAttempts = $1
        },
    ]

    private static func parseNumber(_ text: String, from source: String, in range: ClosedRange<Int>) throws(UsageError) -> Int {
        guard let n = Int(text), range.contains(n) else {
            throw UsageError("\(source) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return n
    }

    private static func parsePlacement(_ text: String, from source: String) throws(UsageError) -> HandlerPlacement {
        guard let placement = HandlerPlacement(name: text) else {
            throw UsageError("\(source) must be auto, pool or loop, got '\(text)'")
        }
        return placement
    }

    private static func parseEventLoops(_ text: String, from source: String) throws(UsageError) -> Int {
        guard let n = Int(text), (1...256).contains(n) else {
            throw UsageError("\(source) must be a number of threads between 1 and 256, got '\(text)'")
        }
        return n
    }

    private static func parseSwitch(_ text: String, from source: String) throws(UsageError) -> Bool {
        switch text.lowercased() {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw UsageError("\(source) must be on or off, got '\(text)'")
        }
    }
}
