/// `--name value`, `--name=value` and the few bare switches of `fjern simulate`; a flag the
/// subcommand does not know is a usage error rather than silently ignored.
struct SimulateFlags {
    static let switches: Set<String> = ["--as-fast-as-possible", "--force"]
    private var values: [String: String] = [:]
    private var present: Set<String> = []

    init(_ args: [String], allowed: Set<String>, environment: [String: String] = [:]) throws(SimulateFailure) {
        if let token = environment["FJERN_TOKEN"], !token.isEmpty, allowed.contains("--token") { values["--token"] = token }
        var rest = args[...]
        while let arg = rest.popFirst() {
            guard arg.hasPrefix("--") else { throw SimulateFailure("unexpected argument '\(arg)'", code: 2) }
            var name = arg, value: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                value = String(arg[arg.index(after: eq)...])
            }
            guard allowed.contains(name) else { throw SimulateFailure("unknown option \(name)", code: 2) }
            present.insert(name)
            if Self.switches.contains(name) {
                guard value == nil else { throw SimulateFailure("\(name) takes no value", code: 2) }
                continue
            }
            guard let given = value ?? rest.popFirst() else { throw SimulateFailure("\(name) needs a value", code: 2) }
            values[name] = given
        }
    }

    subscript(name: String) -> String? { values[name] }

    func has(_ name: String) -> Bool { present.contains(name) }

    func required(_ name: String) throws(SimulateFailure) -> String {
        guard let value = values[name], !value.isEmpty else { throw SimulateFailure("\(name) is required", code: 2) }
        return value
    }

    func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int? = nil) throws(SimulateFailure) -> Int {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw SimulateFailure("\(name) is required", code: 2)
        }
        guard let value = Int(text.filter { $0 != "_" && $0 != "," }), range.contains(value) else {
            throw SimulateFailure("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'", code: 2)
        }
        return value
    }

    func double(_ name: String, in range: ClosedRange<Double>, default fallback: Double? = nil) throws(SimulateFailure) -> Double {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw SimulateFailure("\(name) is required", code: 2)
        }
        guard let value = Double(text), range.contains(value) else {
            throw SimulateFailure("\(name) must be a number from \(range.lowerBound) to \(range.upperBound), got '\(text)'", code: 2)
        }
        return value
    }

    func uint64(_ name: String) throws(SimulateFailure) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let value = UInt64(text) else { throw SimulateFailure("\(name) must be a non-negative whole number, got '\(text)'", code: 2) }
        return value
    }
}
