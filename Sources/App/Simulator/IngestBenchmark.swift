internal import API
internal import FoundationEssentials
internal import Glibc
internal import Synchronization

/// `fjern simulate bench`: every request body is built before the clock starts (Kamstrup
/// ELL-CTR and OMS mode 5 telegrams of the provisioned network, a share sent again through a
/// second unit a moment later), then C threads post them over their own keep-alive connection
/// as fast as the server acknowledges. Prints `name=value` lines for scripts.
enum IngestBenchmark {
    struct Request: Sendable {
        var unit: Int
        var body: [UInt8]
        var telegrams: Int
    }

    static func run(_ flags: SimulateFlags, log: (String) -> Void) throws(SimulateFailure) {
        let statePath = flags["--state"] ?? "./simulation.json"
        var state = try SimulationState.load(statePath)
        let url = flags["--url"] ?? state.url
        let total = try flags.int("--telegrams", in: 1...100_000_000, default: 1_000_000)
        let connections = try flags.int("--connections", in: 1...256, default: 4)
        let batch = try flags.int("--batch", in: 1...10_000, default: 1000)
        let duplicates = try flags.double("--duplicates", in: 0...0.9, default: 0.1)
        guard state.units.count > 1 || duplicates == 0 else {
            throw SimulateFailure("--duplicates needs a network with two units or more", code: 2)
        }
        do { _ = try HTTPEndpoint(url: url) } catch { throw SimulateFailure(error.description, code: 2) }
        let network = SimulatedNetwork(try state.parameters)
        log("building \(total) telegrams in memory...")
        let building = Monotonic.now()
        let (requests, end) = try prepare(network, state: state, total: total, batch: batch, duplicates: duplicates)
        log("built \(requests.count) requests (\(requests.reduce(0) { $0 + $1.body.count } / 1_048_576) MiB) in \(String(format3: Monotonic.seconds(since: building))) s; posting over \(connections) connections")
        let tokens = state.units.map(\.token)
        let shared = Progress(requests: requests.count, threads: connections)
        let started = Monotonic.now()
        let threads = (0..<connections).map { thread in
            WorkerThread {
                post(thread: thread, url: url, tokens: tokens, requests: requests, shared: shared)
            }
        }
        for thread in threads { thread.join() }
        let elapsed = Monotonic.seconds(since: started)
        let (counts, latencies, failure) = shared.results()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> String {
            sorted.isEmpty ? "0" : String(format3: sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000)
        }
        print("""
            telegrams=\(counts.sent)
            requests=\(sorted.count)
            connections=\(connections)
            batch=\(batch)
            elapsed_s=\(String(format3: elapsed))
            telegrams_per_second=\(Int(Double(counts.sent) / max(elapsed, 1e-9)))
            requests_per_second=\(String(format3: Double(sorted.count) / max(elapsed, 1e-9)))
            latency_p50_ms=\(percentile(0.5))
            latency_p99_ms=\(percentile(0.99))
            latency_max_ms=\(sorted.last.map { String(format3: $0 * 1000) } ?? "0")
            accepted=\(counts.accepted)
            decoded=\(counts.decoded)
            duplicates=\(counts.duplicates)
            pending=\(counts.pending)
            rejected=\(counts.rejected)
            """)
        if !counts.reasons.isEmpty { log("reasons given: " + counts.reasons.joined(separator: "; ")) }
        if let failure { throw SimulateFailure("a request failed: \(failure)") }
        state.clock = end
        try state.save(statePath)
    }

    /// The request bodies, per unit in time order, and where simulated time ended. The window
    /// ends now on a first use (so no reading lies in the future) and continues the state's
    /// clock otherwise.
    static func prepare(_ network: SimulatedNetwork, state: SimulationState, total: Int, batch: Int,
                        duplicates: Double) throws(SimulateFailure) -> ([Request], Int64) {
        let interval = network.parameters.interval
        let originals = Double(total) * (1 - duplicates)
        let intervals = Int64((originals / (Double(network.meters.count) * 0.98)).rounded(.up)) + 1
        var time = state.clock ?? (Int64(Date().timeIntervalSince1970) - intervals * interval) / interval * interval
        var random = SimRandom(seed: network.parameters.seed, stream: 0xBE_4C4)
        let repeatChance = duplicates / (1 - duplicates)
        var batches = [IngestBatch](repeating: IngestBatch(capacity: batch), count: network.units.count)
        var requests: [Request] = []
        requests.reserveCapacity(total / batch + network.units.count)
        var produced = 0
        func add(_ unit: Int, _ telegram: [UInt8], at milliseconds: Int64, rssi: Int) {
            batches[unit].append(telegram: telegram, receivedAtMilliseconds: milliseconds, rssi: rssi)
            produced += 1
            if batches[unit].count == batch {
                requests.append(Request(unit: unit, body: batches[unit].finished(), telegrams: batch))
                batches[unit] = IngestBatch(capacity: batch)
            }
        }
        while produced < total {
            try network.forEachInterval(from: time, to: time + interval) { (receptions) throws(SimulateFailure) in
                for reception in receptions where produced < total {
                    let meter = network.meters[reception.meter]
                    // The bench decides the duplicates itself: only first receptions here.
                    guard reception.unit == meter.primaryUnit else { continue }
                    let telegram: [UInt8]
                    do { telegram = try network.telegram(reception) } catch { throw SimulateFailure("encoding failed: \(error)") }
                    add(reception.unit, telegram, at: reception.receivedAtMilliseconds, rssi: reception.rssi)
                    if produced < total, random.chance(repeatChance) {
                        let second = meter.secondaryUnit ?? (meter.primaryUnit + 1) % network.units.count
                        add(second, telegram, at: reception.receivedAtMilliseconds + Int64(random.int(150...2_000)),
                            rssi: random.int(-106...(-86)))
                    }
                }
            }
            time += interval
        }
        for (unit, rest) in batches.enumerated() where rest.count > 0 {
            requests.append(Request(unit: unit, body: rest.finished(), telegrams: rest.count))
        }
        return (requests, time)
    }

    private static func post(thread: Int, url: String, tokens: [String], requests: [Request], shared: Progress) {
        let client: HTTPClient
        do { client = try HTTPClient(url: url, timeoutSeconds: 300) } catch {
            shared.fail(error.description)
            return
        }
        var counts = IngestCounts()
        var latencies: [Double] = []
        while let index = shared.take() {
            let request = requests[index]
            let headers = [("Authorization", "Bearer \(tokens[request.unit])"), ("Content-Type", "application/json")]
            let start = Monotonic.now()
            do {
                let response = try client.request("POST", "/v1/ingest/telegrams", headers: headers, body: request.body)
                latencies.append(Monotonic.seconds(since: start))
                guard response.status == 200 else {
                    shared.fail(SimulatorAPI.problem("POST", "/v1/ingest/telegrams", response))
                    break
                }
                counts.add(sent: request.telegrams, answer: try IngestCounts.summary(response.body))
            } catch {
                shared.fail("POST /v1/ingest/telegrams: \(error)")
                break
            }
        }
        shared.finish(thread: thread, counts: counts, latencies: latencies)
    }

    /// Hands out request indices and collects each thread's figures; the first failure stops all.
    final class Progress: Sendable {
        private let next = Atomic<Int>(0)
        private let stopped = Atomic<Bool>(false)
        private let count: Int
        private let collected: Mutex<(counts: IngestCounts, latencies: [Double], failure: String?)>

        init(requests: Int, threads: Int) {
            count = requests
            collected = Mutex((IngestCounts(), [], nil))
        }

        func take() -> Int? {
            guard !stopped.load(ordering: .relaxed) else { return nil }
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            return index < count ? index : nil
        }

        func fail(_ message: String) {
            stopped.store(true, ordering: .relaxed)
            collected.withLock { if $0.failure == nil { $0.failure = message } }
        }

        func finish(thread: Int, counts: IngestCounts, latencies: [Double]) {
            collected.withLock {
                $0.counts.merge(counts)
                $0.latencies += latencies
            }
        }

        func results() -> (IngestCounts, [Double], String?) { collected.withLock { ($0.counts, $0.latencies, $0.failure) } }
    }
}

/// A plain thread: the benchmark's connections block in `recv`, so they must not share the
/// few threads of a cooperative pool.
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping () -> Void) {
        self.body = body
        let box = Unmanaged.passRetained(self).toOpaque()
        pthread_create(&thread, nil, { raw in
            let me = Unmanaged<WorkerThread>.fromOpaque(raw!).takeRetainedValue()
            me.body()
            return nil
        }, box)
    }

    func join() { pthread_join(thread, nil) }
}
