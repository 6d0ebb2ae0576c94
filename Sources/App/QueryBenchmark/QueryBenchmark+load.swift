internal import FoundationEssentials
internal import MBus
internal import Metering
internal import Store

/// `fjern admin bench-query-load`: the query benchmark's database. N simulated meters (the
/// simulator's network and consumption model), each on its own metering point, with `--days`
/// of hourly readings written straight into reading blocks. Prints the tenant's administrator
/// token and figures as `name=value` lines.
enum QueryBenchmark {
    static func load(_ flags: AdminCommands.Flags) async throws -> String {
        let meterCount = Int(flags["--meters"] ?? "") ?? 10_000
        let days = Int(flags["--days"] ?? "") ?? 365
        guard (1...200_000).contains(meterCount), (1...1000).contains(days) else {
            throw AdminCommands.Failure(message: "--meters must be 1 to 200000 and --days 1 to 1000", code: 2)
        }
        let token = try await AdminCommands.bootstrap(flags)
        let store = try await AdminCommands.open(flags)
        guard let tenant = try await store.tenant(named: try flags.required("--tenant")) else {
            throw AdminCommands.Failure(message: "bootstrap made no tenant", code: 1)
        }
        let now = Int64(Date().timeIntervalSince1970) / 3600 * 3600
        let network = SimulatedNetwork(.init(seed: 7, meterCount: meterCount,
                                             unitCount: SimulatedNetwork.defaultUnitCount(meters: meterCount), createdAt: now))
        let start = now - Int64(days) * 86_400
        let hours = days * 24
        let started = Monotonic.now()
        var readings = 0
        var bytes = 0
        let batch = 200
        for first in stride(from: 0, to: meterCount, by: batch) {
            let indices = Array(first..<min(meterCount, first + batch))
            // Both cores encode; the writer takes one batch at a time.
            let halves = [Array(indices.prefix(indices.count / 2)), Array(indices.dropFirst(indices.count / 2))]
            let meters = await withTaskGroup(of: [BulkMeter].self) { group in
                for half in halves { group.addTask { half.map { bulkMeter(network.meters[$0], network.model, start: start, hours: hours) } } }
                var out: [BulkMeter] = []
                for await part in group { out += part }
                return out
            }
            for m in meters {
                readings += m.blocks.reduce(0) { $0 + $1.count }
                bytes += m.blocks.reduce(0) { $0 + $1.bytes.count }
            }
            try await store.bulkLoad(tenant: tenant.rowID, meters)
        }
        let seconds = Monotonic.seconds(since: started)
        await store.close()
        return """
            token=\(token)
            meters=\(meterCount)
            readings=\(readings)
            block_bytes_per_reading=\(String(format3: Double(bytes) / Double(max(readings, 1))))
            load_seconds=\(String(format3: seconds))
            readings_per_second=\(Int(Double(readings) / max(seconds, 1e-9)))
            from=\(start)
            to=\(start + Int64(hours) * 3600)
            """
    }

    /// One meter's hourly readings from the consumption model, a few minutes past each hour as
    /// its radio phase has it, encoded into blocks.
    static func bulkMeter(_ meter: SimulatedMeter, _ model: ConsumptionModel, start: Int64, hours: Int) -> BulkMeter {
        var entries: [BlockCodec.Entry] = []
        entries.reserveCapacity(hours)
        let offset = meter.phase % 600
        for hour in 0..<hours {
            let time = start + Int64(hour) * 3600 + offset
            let registers = meter.registers(at: time, model: model)
            var values = RegisterValues()
            for register in Register.allCases { values[register] = TelegramReading.value(register, registers) }
            entries.append(BlockCodec.Entry(time: time, source: 0, receptions: 1,
                                            reading: ReadingCodec.Decoded(values: values, infoBits: registers.infoCodeBits)))
        }
        let a = meter.address
        return BulkMeter(manufacturer: a.manufacturerCode, serial: meter.serial, version: Int(a.version),
                         deviceType: Int(a.deviceType), model: meter.kind.model, medium: meter.kind.medium,
                         address: meter.location.address, postalCode: meter.location.postalCode, city: meter.location.city,
                         latitude: meter.location.latitude, longitude: meter.location.longitude, installedAt: start,
                         blocks: Store.encodeBlocks(entries))
    }
}
