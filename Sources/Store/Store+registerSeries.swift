internal import FoundationEssentials
public import Metering
internal import SQLite

/// One meter's readings of some registers over a range, read straight from both reading tiers.
public struct RegisterSeries: Sendable {
    /// Per asked register, in time order: the readings inside the range plus the nearest one on
    /// either side (so the consumption math can interpolate at the range's edges).
    public var samples: [[RegisterSample]]
    /// Info-code changes between consecutive readings inside the range, when asked for.
    public var infoChanges: [InfoCodeChange]
}

/// The normalised info codes (catalogue positions, as `ReadingCodec` stores them) that a
/// reading raised and cleared against the reading before it.
public struct InfoCodeChange: Sendable, Equatable {
    public var time: Int64
    public var raised: UInt64
    public var cleared: UInt64
}

extension Store {
    /// The readings of `registers` of one meter from `from` (inclusive) to `to` (exclusive),
    /// with the nearest reading before and after; a snapshot of blocks and log together.
    public func registerSeries(meter: Int64, registers: [Register], from: Int64, to: Int64,
                               infoCodes: Bool = false) async throws -> RegisterSeries {
        let index = readingIndex
        return try await pool.read { conn in
            try Store.registerSeries(meter: meter, registers: registers, from: from, to: to, infoCodes: infoCodes,
                                     index: index, conn)
        }
    }

    static func registerSeries(meter: Int64, registers: [Register], from: Int64, to: Int64, infoCodes: Bool,
                               index: ReadingLogIndex, _ conn: Connection) throws -> RegisterSeries {
        var collector = SeriesCollector(registers: registers, from: from, to: to, infoCodes: infoCodes)
        // Blocks do not overlap in time, so the block holding the last reading before `from`
        // starts at the greatest first_time below it, and the one after `to` at the least at or
        // above it: one primary-key range covers the range and both neighbours.
        let blocks = try conn.cachedStatement("""
            SELECT first_time, data FROM reading_blocks
            WHERE meter_id = ?1
              AND first_time >= coalesce((SELECT max(first_time) FROM reading_blocks WHERE meter_id = ?1 AND first_time < ?2), ?2)
              AND first_time <= coalesce((SELECT min(first_time) FROM reading_blocks WHERE meter_id = ?1 AND first_time >= ?3), ?3)
            ORDER BY first_time
            """)
        defer { blocks.reset() }
        try blocks.bind(meter, at: 1)
        try blocks.bind(from, at: 2)
        try blocks.bind(to, at: 3)
        while try blocks.step() {
            var scanner = BlockCodec.Scanner(blocks.blob(1), firstTime: blocks.int64(0), registers: registers)
            while try scanner.next() { collector.add(scanner) }
        }
        // The log holds what the compactor has not moved yet (recent readings, late ones):
        // usually nothing or a few rows.
        let logged = index.entries(meter: meter, from: .min, to: .max)
        if !logged.isEmpty {
            var log = SeriesCollector(registers: registers, from: from, to: to, infoCodes: false)
            let fetch = try conn.cachedStatement("SELECT data FROM reading_log WHERE id = ? AND meter_id = ?")
            // Only the rows in the range and the nearest one on either side can matter.
            let firstInside = logged.firstIndex { $0.time >= from } ?? logged.endIndex
            let firstAfter = logged.firstIndex { $0.time >= to } ?? logged.endIndex
            let wanted = logged[max(0, firstInside - 1)..<min(logged.count, firstAfter + 1)]
            for entry in wanted {
                try fetch.bind(entry.row, at: 1)
                try fetch.bind(meter, at: 2)
                if try fetch.step() {
                    let decoded = try ReadingCodec.decode(fetch.blob(0))
                    log.add(time: entry.time, values: decoded.values)
                    if infoCodes { collector.addLogged(time: entry.time, infoCodes: decoded.infoCodes) }
                }
                fetch.reset()
            }
            collector.merge(log)
        }
        return collector.result()
    }
}

/// Gathers one meter's samples during a scan: inside the range kept in order, outside only the
/// nearest neighbour per register.
struct SeriesCollector {
    let registers: [Register]
    let from: Int64
    let to: Int64
    let infoCodes: Bool
    var inside: [[RegisterSample]]
    var before: [RegisterSample?]
    var after: [RegisterSample?]
    /// Info codes of log readings, merged by time with the blocks' at the end.
    var loggedCodes: [(time: Int64, codes: UInt64)] = []
    var blockCodes: [(time: Int64, codes: UInt64)] = []

    init(registers: [Register], from: Int64, to: Int64, infoCodes: Bool) {
        self.registers = registers
        self.from = from
        self.to = to
        self.infoCodes = infoCodes
        inside = Array(repeating: [], count: registers.count)
        before = Array(repeating: nil, count: registers.count)
        after = Array(repeating: nil, count: registers.count)
        if to > from, let first = registers.first, first.isCumulative {
            // A year of hourly readings in one allocation.
            inside[0].reserveCapacity(Int(min((to - from) / 3600 + 2, 20_000)))
        }
    }

    mutating func add(_ scanner: BlockCodec.Scanner) {
        let time = scanner.time
        for (i, register) in registers.enumerated() {
            guard let value = scanner.value(register) else { continue }
            put(RegisterSample(time: time, value: value), at: i)
        }
        if infoCodes { blockCodes.append((time, scanner.infoCodes)) }
    }

    mutating func add(time: Int64, values: RegisterValues) {
        for (i, register) in registers.enumerated() {
            guard let value = values[register] else { continue }
            put(RegisterSample(time: time, value: value), at: i)
        }
    }

    mutating func addLogged(time: Int64, infoCodes codes: UInt64) { loggedCodes.append((time, codes)) }

    private mutating func put(_ sample: RegisterSample, at i: Int) {
        if sample.time < from {
            if before[i].map({ sample.time >= $0.time }) ?? true { before[i] = sample }
        } else if sample.time >= to {
            if after[i].map({ sample.time < $0.time }) ?? true { after[i] = sample }
        } else {
            inside[i].append(sample)
        }
    }

    /// Folds in the log's readings: their own order, merged with the blocks' by time.
    mutating func merge(_ other: SeriesCollector) {
        for i in registers.indices {
            if let b = other.before[i], before[i].map({ b.time >= $0.time }) ?? true { before[i] = b }
            if let a = other.after[i], after[i].map({ a.time < $0.time }) ?? true { after[i] = a }
            if !other.inside[i].isEmpty {
                inside[i] += other.inside[i]
                inside[i].sort { $0.time < $1.time }
            }
        }
    }

    func result() -> RegisterSeries {
        var samples: [[RegisterSample]] = []
        samples.reserveCapacity(registers.count)
        for i in registers.indices {
            var list: [RegisterSample] = []
            list.reserveCapacity(inside[i].count + 2)
            if let b = before[i] { list.append(b) }
            list += inside[i]
            if let a = after[i] { list.append(a) }
            samples.append(list)
        }
        return RegisterSeries(samples: samples, infoChanges: infoCodes ? codeChanges() : [])
    }

    /// Changes between consecutive readings, reported for readings inside the range; the
    /// reading before the range (when there is one) is the baseline.
    private func codeChanges() -> [InfoCodeChange] {
        var all = blockCodes
        if !loggedCodes.isEmpty {
            all += loggedCodes
            all.sort { $0.time < $1.time }
        }
        var out: [InfoCodeChange] = []
        var previous: UInt64?
        for (time, codes) in all {
            if let p = previous, p != codes, time >= from, time < to {
                out.append(InfoCodeChange(time: time, raised: codes & ~p, cleared: p & ~codes))
            } else if previous == nil, codes != 0, time >= from, time < to {
                out.append(InfoCodeChange(time: time, raised: codes, cleared: 0))
            }
            previous = codes
        }
        return out
    }
}
