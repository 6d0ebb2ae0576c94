internal import Crypto
internal import FoundationEssentials
internal import Store

/// `fjern admin …` and `fjern backup`: work on the data directory directly, for a fresh install
/// and for scripts. Safe while the server runs (SQLite locks; WAL lets both proceed).
enum AdminCommands {
    struct Failure: Error {
        var message: String
        var code: Int32
    }

    static func run(_ command: String, _ args: [String], environment: [String: String]) async -> Int32 {
        do {
            switch (command, args.first, args.dropFirst().first) {
            case ("admin", "bootstrap", _):
                print(try await bootstrap(try Flags(Array(args.dropFirst()), environment: environment)))
            case ("admin", "token", "create"):
                print(try await createToken(try Flags(Array(args.dropFirst(2)), environment: environment)))
            case ("admin", "bench-store", _):
                print(try await StoreBenchmark.run(try Flags(Array(args.dropFirst()), environment: [:])))
            case ("admin", "bench-query-load", _):
                print(try await QueryBenchmark.load(try Flags(Array(args.dropFirst()), environment: [:])))
            case ("admin", "bench-query-run", _):
                print(try QueryBenchmark.run(try Flags(Array(args.dropFirst()), environment: [:])))
            case ("backup", _, _):
                try await backup(try Flags(args, environment: environment))
            default:
                throw Failure(message: "unknown command 'fjern \(command) \(args.joined(separator: " "))'", code: 2)
            }
            return 0
        } catch let failure as Failure {
            CommandLineInterface.printError("fjern \(command): \(failure.message)")
            return failure.code
        } catch {
            CommandLineInterface.printError("fjern \(command): \(error)")
            return 1
        }
    }

    /// A tenant, its administrator, and the administrator's token: the only line on stdout.
    static func bootstrap(_ flags: Flags) async throws -> String {
        let tenantName = try flags.required("--tenant")
        let zone = flags["--time-zone"] ?? "Europe/Copenhagen"
        guard TimeZoneName.isValid(zone) else { throw Failure(message: "'\(zone)' is not an IANA time zone", code: 2) }
        let store = try await open(flags)
        defer { Task { await store.close() } }
        if try await store.tenant(named: tenantName) != nil {
            throw Failure(message: "tenant '\(tenantName)' exists; bootstrap runs once per tenant", code: 1)
        }
        let audit = AuditEntry(type: "tenant.created", principal: "fjern admin bootstrap", client: "command line")
        let tenant = try await store.createTenant(name: tenantName, timeZone: zone, audit: audit)
        var userAudit = audit
        userAudit.type = "user.created"
        let user = try await store.createUser(tenant: tenant.rowID, name: flags["--admin-name"] ?? "Administrator",
                                              email: flags["--admin-email"] ?? "admin@\(tenantName.lowercased().filter { $0.isLetter || $0.isNumber }).invalid",
                                              role: "administrator", audit: userAudit)
        var tokenAudit = audit
        tokenAudit.type = "token.created"
        return try await TokenSecret.issue(store, tenant: tenant.rowID, name: "bootstrap", user: user.id, role: nil,
                                           expiresAt: nil, audit: tokenAudit).secret
    }

    static func createToken(_ flags: Flags) async throws -> String {
        let tenantName = try flags.required("--tenant")
        let role = try flags.required("--role")
        guard AccessModel.roles.contains(role) else {
            throw Failure(message: "--role must be one of \(AccessModel.roles.joined(separator: ", "))", code: 2)
        }
        let name = try flags.required("--name")
        var expires: Date?
        if let days = flags["--expires-in-days"] {
            guard let n = Int(days), n > 0, n <= 36_500 else { throw Failure(message: "--expires-in-days must be 1 to 36500", code: 2) }
            expires = Date().addingTimeInterval(Double(n) * 86_400)
        }
        let store = try await open(flags)
        defer { Task { await store.close() } }
        guard let tenant = try await store.tenant(named: tenantName) else {
            throw Failure(message: "no tenant named '\(tenantName)'", code: 1)
        }
        return try await TokenSecret.issue(store, tenant: tenant.rowID, name: name, user: nil, role: role, expiresAt: expires,
                                           audit: AuditEntry(type: "token.created", principal: "fjern admin token create",
                                                             client: "command line")).secret
    }

    static func backup(_ flags: Flags) async throws {
        let target = try flags.required("--to")
        guard !FileManager.default.fileExists(atPath: target) else {
            throw Failure(message: "\(target) exists; choose a new file", code: 1)
        }
        let store = try await open(flags)
        defer { Task { await store.close() } }
        try await store.backup(to: target)
        CommandLineInterface.printError("fjern backup: wrote \(target)")
    }

    static func open(_ flags: Flags) async throws -> Store {
        let directory = flags["--data-dir"] ?? "./data"
        try DataDirectory.prepare(directory)
        return try await Store(directory: directory, readers: 1)
    }

    /// `--name value` and `--name=value` pairs; `--data-dir` falls back to FJERN_DATA_DIR.
    struct Flags {
        var values: [String: String] = [:]

        init(_ args: [String], environment: [String: String]) throws {
            if let dir = environment["FJERN_DATA_DIR"], !dir.isEmpty { values["--data-dir"] = dir }
            var rest = args[...]
            while let arg = rest.popFirst() {
                guard arg.hasPrefix("--") else { throw Failure(message: "unexpected argument '\(arg)'", code: 2) }
                if let eq = arg.firstIndex(of: "=") {
                    values[String(arg[..<eq])] = String(arg[arg.index(after: eq)...])
                } else if let value = rest.popFirst() {
                    values[arg] = value
                } else {
                    throw Failure(message: "\(arg) needs a value", code: 2)
                }
            }
        }

        subscript(name: String) -> String? { values[name] }

        func required(_ name: String) throws -> String {
            guard let value = values[name], !value.isEmpty else { throw Failure(message: "\(name) is required", code: 2) }
            return value
        }
    }
}
