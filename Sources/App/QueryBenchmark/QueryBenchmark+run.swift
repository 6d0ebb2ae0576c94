internal import API
internal import FoundationEssentials
internal import Glibc

/// `fjern admin bench-query-run`: read figures over HTTP against a server on the benchmark's
/// database, one keep-alive connection (the simulator's client), `name=value` lines out.
extension QueryBenchmark {
    struct Point {
        var id: String
        var register: String
    }

    static func run(_ flags: AdminCommands.Flags) throws -> String {
        let url = try flags.required("--url")
        let token = try flags.required("--token")
        let requests = Int(flags["--requests"] ?? "") ?? 500
        guard let from = Int64(try flags.required("--from")), let to = Int64(try flags.required("--to")) else {
            throw AdminCommands.Failure(message: "--from and --to are Unix seconds", code: 2)
        }
        let client = try HTTPClient(url: url, timeoutSeconds: 120)
        let auth = [("Authorization", "Bearer \(token)")]
        func get(_ path: String) throws -> HTTPClient.Response {
            let response = try client.request("GET", path, headers: auth)
            guard response.status == 200 else {
                throw AdminCommands.Failure(message: "GET \(path): \(response.status) \(response.text.prefix(300))", code: 1)
            }
            return response
        }
        func post(_ path: String, _ body: String) throws -> HTTPClient.Response {
            try client.request("POST", path, headers: auth + [("Content-Type", "application/json"),
                                                            ("Idempotency-Key", UUID().uuidString)], body: Array(body.utf8))
        }

        // The metering points and meters, through the meter list.
        var points: [Point] = []
        var meterIDs: [String] = []
        var cursor: String?
        repeat {
            let page = try JSONParser.parse(get("/v1/meters?limit=500" + (cursor.map { "&cursor=\($0)" } ?? "")).body)
            for meter in page["items"]?.benchArray ?? [] {
                guard let id = meter["id"]?.benchString else { continue }
                meterIDs.append(id)
                if let point = meter["meteringPoint"]?["id"]?.benchString {
                    let register = switch meter["medium"]?.benchString {
                    case "water": "volumeM3"
                    case "electricity": "activeEnergyImportKWh"
                    default: "heatEnergyKWh"
                    }
                    points.append(Point(id: point, register: register))
                }
            }
            cursor = page["nextCursor"]?.benchString
        } while cursor != nil
        guard !points.isEmpty else { throw AdminCommands.Failure(message: "no metering points", code: 1) }

        var random = SimRandom(seed: 11, stream: 1)
        let range = "&from=\(rfc3339(from))&to=\(rfc3339(to))"
        func series(_ resolution: String) throws -> [Double] {
            try (0..<requests).map { _ in
                let point = points[random.int(0...(points.count - 1))]
                return try timed { _ = try get("/v1/metering-points/\(point.id)/consumption?resolution=\(resolution)&register=\(point.register)\(range)") }
            }
        }
        _ = try series("hour").prefix(20)  // warm-up: connections, caches, page cache
        // The server's CPU time per request (with --server-pid): on a shared machine the
        // latencies include waiting for a core, this does not.
        let server = flags["--server-pid"].flatMap(Int32.init)
        var cpu = serverCPU(server)
        let hourly = try series("hour")
        let hourlyCPU = serverCPU(server) - cpu
        cpu = serverCPU(server)
        let daily = try series("day")
        let dailyCPU = serverCPU(server) - cpu

        // Billing readings of every metering point at a target date, the whole paged walk.
        let at = rfc3339((from + to) / 2 / 86_400 * 86_400)
        var billed = 0
        cpu = serverCPU(server)
        let billing = try timed {
            var next: String?
            repeat {
                let page = try JSONParser.parse(get("/v1/billing-readings?at=\(at)&register=volumeM3&limit=10000"
                                                   + (next.map { "&cursor=\($0)" } ?? "")).body)
                billed += page["items"]?.benchArray?.count ?? 0
                next = page["nextCursor"]?.benchString
            } while next != nil
        }
        let billingCPU = serverCPU(server) - cpu

        var lines = [
            "points=\(points.count)",
            "requests=\(requests)",
            "hourly_consumption_p50_ms=\(percentile(hourly, 0.5))",
            "hourly_consumption_p99_ms=\(percentile(hourly, 0.99))",
            "daily_consumption_p50_ms=\(percentile(daily, 0.5))",
            "daily_consumption_p99_ms=\(percentile(daily, 0.99))",
            "billing_readings=\(billed)",
            "billing_all_ms=\(String(format3: billing * 1000))",
        ]
        if server != nil {
            lines += ["hourly_consumption_server_cpu_ms_per_request=\(String(format3: hourlyCPU * 1000 / Double(requests)))",
                      "daily_consumption_server_cpu_ms_per_request=\(String(format3: dailyCPU * 1000 / Double(requests)))",
                      "billing_all_server_cpu_ms=\(String(format3: billingCPU * 1000))"]
        }

        // A meter list page of 100 with a group filter, over a group of half the meters (the
        // groups API: POST /v1/groups, POST /v1/groups/{id}/members).
        let created = try post("/v1/groups", #"{"name":"bench \#(UUID().uuidString.prefix(8))"}"#)
        if created.status == 201, let group = (try? JSONParser.parse(created.body))?["id"]?.benchString {
            let members = stride(from: 0, to: meterIDs.count, by: 2).map { meterIDs[$0] }
            for chunk in stride(from: 0, to: members.count, by: 1000) {
                let ids = members[chunk..<min(members.count, chunk + 1000)].map { "\"\($0)\"" }.joined(separator: ",")
                let added = try post("/v1/groups/\(group)/members", #"{"meterIds":[\#(ids)]}"#)
                guard (200..<300).contains(added.status) else {
                    throw AdminCommands.Failure(message: "adding group members: \(added.status) \(added.text.prefix(300))", code: 1)
                }
            }
            var listCursor: String?
            let list = try (0..<requests).map { _ in
                try timed {
                    let page = try JSONParser.parse(get("/v1/meters?group=\(group)&limit=100" + (listCursor.map { "&cursor=\($0)" } ?? "")).body)
                    listCursor = page["nextCursor"]?.benchString
                }
            }
            lines += ["meter_list_group_p50_ms=\(percentile(list, 0.5))", "meter_list_group_p99_ms=\(percentile(list, 0.99))"]
        } else {
            lines.append("meter_list_group=skipped (POST /v1/groups answered \(created.status): the groups API is not here)")
        }
        return lines.joined(separator: "\n")
    }

    /// User plus system seconds the process has used (`/proc/PID/stat`), 0 without a pid.
    static func serverCPU(_ pid: Int32?) -> Double {
        guard let pid, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3 of the whole line, utime 14 and stime 15.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func timed(_ body: () throws -> Void) rethrows -> Double {
        let started = Monotonic.now()
        try body()
        return Monotonic.seconds(since: started)
    }

    static func percentile(_ samples: [Double], _ p: Double) -> String {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return "0" }
        return String(format3: sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000)
    }

    static func rfc3339(_ time: Int64) -> String { RFC3339.formatDateTime(Date(timeIntervalSince1970: Double(time))) }
}

extension JSONValue {
    fileprivate var benchString: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    fileprivate var benchArray: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}
