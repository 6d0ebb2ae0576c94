internal import FoundationEssentials
internal import Glibc

/// `fjern simulate run`: the telegrams of H hours of the network, posted per unit with that
/// unit's token, in time order, batch by batch; the state file remembers where simulated time
/// stopped so the next run continues from there.
enum SimulateRun {
    static func run(_ flags: SimulateFlags, log: (String) -> Void) throws(SimulateFailure) {
        let statePath = flags["--state"] ?? "./simulation.json"
        var state = try SimulationState.load(statePath)
        let url = flags["--url"] ?? state.url
        let hours = try flags.double("--hours", in: 0.001...(24 * 3 * 365))
        let batchSize = try flags.int("--batch", in: 1...10_000, default: 1000)
        if flags.has("--speedup"), flags.has("--as-fast-as-possible") {
            throw SimulateFailure("--speedup and --as-fast-as-possible exclude each other", code: 2)
        }
        let speedup: Double? = flags.has("--speedup") ? try flags.double("--speedup", in: 0.001...1_000_000) : nil
        let network = SimulatedNetwork(try state.parameters)
        let interval = state.intervalSeconds
        let now = Int64(Date().timeIntervalSince1970)
        let span = Int64(hours * 3600)
        // Live pacing starts now; a catch-up run ends now.
        let from = state.clock ?? (speedup == nil ? now - span : now)
        let to = from + span
        if state.clock == nil, from < network.model.epoch { throw SimulateFailure("--hours reaches back before the network's first year") }
        let api = try SimulatorAPI(url: url)
        var batches = [IngestBatch](repeating: IngestBatch(capacity: batchSize), count: state.units.count)
        var counts = IngestCounts()
        let started = Monotonic.now()
        var lastReport = started
        var posted = from
        func post(_ unit: Int) throws(SimulateFailure) {
            let batch = batches[unit]
            guard batch.count > 0 else { return }
            batches[unit] = IngestBatch(capacity: batchSize)
            let answer = try api.call("POST", "/v1/ingest/telegrams", token: state.units[unit].token, body: batch.finished())
            counts.add(sent: batch.count, answer: answer)
        }
        do throws(SimulateFailure) {
            try network.forEachInterval(from: from, to: to) { (receptions) throws(SimulateFailure) in
                for reception in receptions {
                    if let speedup {
                        let due = Double(reception.sentAt - from) / speedup
                        let wait = due - Monotonic.seconds(since: started)
                        if wait > 0.2 {
                            for unit in batches.indices { try post(unit) }
                            usleep(UInt32(min(wait, 60) * 1_000_000))
                        }
                    }
                    let telegram: [UInt8]
                    do { telegram = try network.telegram(reception) } catch {
                        throw SimulateFailure("cannot encode meter \(network.meters[reception.meter].serial)'s telegram: \(error)")
                    }
                    batches[reception.unit].append(telegram: telegram, receivedAtMilliseconds: reception.receivedAtMilliseconds,
                                                   rssi: reception.rssi)
                    if batches[reception.unit].count >= batchSize { try post(reception.unit) }
                }
                if speedup != nil { for unit in batches.indices { try post(unit) } }
                if let last = receptions.last { posted = last.sentAt / interval * interval }
                if Monotonic.seconds(since: lastReport) >= 5 {
                    lastReport = Monotonic.now()
                    log("\(RFC3339Text.format(posted)) \(counts.line)")
                }
            }
            for unit in batches.indices { try post(unit) }
        } catch {
            // Everything before the interval that failed is in; posting it again is harmless
            // (the server counts repeats as duplicates), so the next run starts there.
            state.clock = posted
            try? state.save(statePath)
            throw SimulateFailure("\(error.message) (\(counts.line); the next run continues at \(RFC3339Text.format(posted)))")
        }
        state.clock = to
        try state.save(statePath)
        let elapsed = Monotonic.seconds(since: started)
        print("\(counts.line) elapsed_s=\(String(format3: elapsed)) simulated_from=\(RFC3339Text.format(from)) simulated_to=\(RFC3339Text.format(to))")
        if !counts.reasons.isEmpty { log("reasons given: " + counts.reasons.joined(separator: "; ")) }
    }
}

/// Monotonic seconds for pacing and timing.
enum Monotonic {
    static func now() -> timespec {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return t
    }

    static func seconds(since start: timespec) -> Double {
        let t = now()
        return Double(t.tv_sec - start.tv_sec) + Double(t.tv_nsec - start.tv_nsec) / 1e9
    }
}

enum RFC3339Text {
    static func format(_ unixSeconds: Int64) -> String {
        let (year, month, day) = SimulatedMeter.civil(unixSeconds)
        let second = Int((unixSeconds % 86_400 + 86_400) % 86_400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))Z"
    }
}

extension String {
    /// Three decimals, without Foundation's `String(format:)`.
    init(format3 value: Double) {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(abs(thousandths) % 1000)
        self = "\(thousandths / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
