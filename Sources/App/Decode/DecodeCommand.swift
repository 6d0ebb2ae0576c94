internal import API
internal import MBus

/// `fjern decode`: one telegram from the command line, or a stream of JSON lines on stdin
/// (`--jsonl`) for conformance tools. Every answer is one JSON line on stdout (TelegramJSON).
enum DecodeCommand {
    static let usage = """
        Usage:
          fjern decode [--key HEX] [--assume-decrypted] [--prior HEX ...] HEX
          fjern decode --jsonl     < lines {"hex":"…","key":"…"|null,"assumeDecrypted":false,"prior":["…"]}

          --key HEX             the meter's AES-128 key (32 hex digits)
          --assume-decrypted    the bytes after the security header are already plaintext
          --prior HEX           a telegram decoded first with the same options, unprinted (repeatable):
                                Kamstrup compact frames need the full frame of their format first
          --jsonl               one JSON request per input line, one JSON answer per line; each line
                                is decoded on its own (formats learnt on one line are not kept)
        Hex may contain spaces. Exit status: 0 decoded, 1 decode error, 2 bad arguments.
        """

    /// One decode request, from the arguments or from one JSON line.
    struct Request: Equatable {
        var telegram: [UInt8]
        var key: [UInt8]?
        var assumeDecrypted = false
        var prior: [[UInt8]] = []
    }

    struct BadInput: Error, Equatable {
        var message: String
    }

    /// Runs the command. `readLine` yields stdin's lines (nil at the end); `write` gets whole
    /// output lines. Returns the exit status.
    static func run(_ args: [String], readLine: () -> String?, write: ([UInt8]) -> Void,
                    writeError: (String) -> Void) -> Int32 {
        if args.contains("--help") || args.contains("-h") {
            write(Array((usage + "\n").utf8))
            return 0
        }
        if args == ["--jsonl"] {
            // One decoder for the stream, as a head-end has one format registry: a compact
            // frame decodes once any earlier line carried a full frame of its format.
            let decoder = TelegramDecoder()
            while let line = readLine() {
                if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
                switch parseLine(line) {
                case .success(let request): write(decode(request, with: decoder).line)
                case .failure(let bad): write(TelegramJSON.errorLine(code: "bad-input", detail: bad.message))
                }
            }
            return 0
        }
        let request: Request
        switch parseArguments(args) {
        case .success(let parsed): request = parsed
        case .failure(let bad):
            writeError("fjern decode: \(bad.message)\n\n\(usage)")
            return 2
        }
        let answer = decode(request)
        write(answer.line)
        return answer.ok ? 0 : 1
    }

    /// Decodes the prior telegrams (answers and errors dropped), then the telegram.
    static func decode(_ request: Request, with decoder: TelegramDecoder = TelegramDecoder()) -> (ok: Bool, line: [UInt8]) {
        let options = DecodeOptions(key: request.key, assumeDecrypted: request.assumeDecrypted)
        for prior in request.prior { _ = try? decoder.decode(prior, options: options) }
        do {
            return (true, TelegramJSON.line(try decoder.decode(request.telegram, options: options)))
        } catch {
            return (false, TelegramJSON.errorLine(error))
        }
    }

    static func parseArguments(_ args: [String]) -> Result<Request, BadInput> {
        var key: [UInt8]?
        var assumeDecrypted = false
        var prior: [[UInt8]] = []
        var telegram: [UInt8]?
        var index = 0
        func value(_ flag: String) -> Result<String, BadInput> {
            index += 1
            guard index < args.count else { return .failure(BadInput(message: "\(flag) needs a value")) }
            return .success(args[index])
        }
        while index < args.count {
            let arg = args[index]
            switch arg {
            case "--key":
                switch value(arg).flatMap({ parseKey($0) }) {
                case .success(let parsed): key = parsed
                case .failure(let bad): return .failure(bad)
                }
            case "--prior":
                switch value(arg).flatMap({ parseHex($0, what: "--prior") }) {
                case .success(let parsed): prior.append(parsed)
                case .failure(let bad): return .failure(bad)
                }
            case "--assume-decrypted":
                assumeDecrypted = true
            case "--jsonl":
                return .failure(BadInput(message: "--jsonl takes no other arguments (requests come on stdin)"))
            default:
                if arg.hasPrefix("-") { return .failure(BadInput(message: "unknown option '\(arg)'")) }
                guard telegram == nil else { return .failure(BadInput(message: "one telegram per call (got a second: '\(arg)')")) }
                switch parseHex(arg, what: "the telegram") {
                case .success(let parsed): telegram = parsed
                case .failure(let bad): return .failure(bad)
                }
            }
            index += 1
        }
        guard let telegram else { return .failure(BadInput(message: "no telegram given (HEX)")) }
        return .success(Request(telegram: telegram, key: key, assumeDecrypted: assumeDecrypted, prior: prior))
    }

    /// `{"hex": "...", "key": "..."|null, "assumeDecrypted": bool, "prior": ["..."]}`; only
    /// `hex` is required, unknown members are refused (a typo must not silently drop a key).
    static func parseLine(_ line: String) -> Result<Request, BadInput> {
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(line.utf8))
        } catch {
            return .failure(BadInput(message: error.description))
        }
        guard case .object(let members) = json else { return .failure(BadInput(message: "a line must be a JSON object")) }
        var request = Request(telegram: [])
        var sawHex = false
        for member in members {
            switch (member.key, member.value) {
            case ("hex", .string(let text)):
                switch parseHex(text, what: "hex") {
                case .success(let bytes): request.telegram = bytes
                case .failure(let bad): return .failure(bad)
                }
                sawHex = true
            case ("key", .null):
                request.key = nil
            case ("key", .string(let text)):
                switch parseKey(text) {
                case .success(let key): request.key = key
                case .failure(let bad): return .failure(bad)
                }
            case ("assumeDecrypted", .bool(let flag)):
                request.assumeDecrypted = flag
            case ("prior", .null):
                request.prior = []
            case ("prior", .array(let items)):
                for item in items {
                    guard case .string(let text) = item else { return .failure(BadInput(message: "prior must hold hex strings")) }
                    switch parseHex(text, what: "prior") {
                    case .success(let bytes): request.prior.append(bytes)
                    case .failure(let bad): return .failure(bad)
                    }
                }
            case ("hex", _), ("key", _), ("assumeDecrypted", _), ("prior", _):
                return .failure(BadInput(message: "\(member.key): unexpected \(member.value.kindName)"))
            default:
                return .failure(BadInput(message: "unknown member '\(member.key)'"))
            }
        }
        guard sawHex else { return .failure(BadInput(message: "hex is required")) }
        return .success(request)
    }

    static func parseKey(_ text: String) -> Result<[UInt8], BadInput> {
        parseHex(text, what: "key").flatMap { bytes in
            bytes.count == 16 ? .success(bytes)
                : .failure(BadInput(message: "key must be 16 bytes (32 hex digits), got \(bytes.count) bytes"))
        }
    }

    /// Hex digits, with spaces and tabs between them ignored (libmbus files space their bytes).
    static func parseHex(_ text: String, what: String) -> Result<[UInt8], BadInput> {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for (offset, c) in text.utf8.enumerated() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { continue }
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            default: return .failure(BadInput(message: "\(what): not a hex digit at offset \(offset)"))
            }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        guard high == nil else { return .failure(BadInput(message: "\(what): odd number of hex digits")) }
        guard !bytes.isEmpty else { return .failure(BadInput(message: "\(what): empty")) }
        return .success(bytes)
    }
}
