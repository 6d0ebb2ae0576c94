internal import API
internal import MBus
internal import Glibc
internal import FoundationEssentials

/// `fjern simulate provision`: the network's concentrators (each with its own collector
/// token) and meters with keys and metering points, created through the public API, then the
/// state file `run` and `bench` read.
enum SimulateProvision {
    static let importChunk = 10_000

    static func run(_ flags: SimulateFlags, log: (String) -> Void) throws(SimulateFailure) {
        let url = try flags.required("--url")
        let token = try flags.required("--token")
        let meters = try flags.int("--meters", in: 1...1_000_000)
        let seed = try flags.uint64("--seed") ?? 1
        let units = try flags.int("--units", in: 1...1_000, default: SimulatedNetwork.defaultUnitCount(meters: meters))
        let interval = Int64(try flags.int("--interval", in: 1...1_440, default: 15)) * 60
        let statePath = flags["--state"] ?? "./simulation.json"
        if access(statePath, F_OK) == 0, !flags.has("--force") {
            throw SimulateFailure("\(statePath) exists (it holds the tokens of an earlier provision); pass --force to replace it", code: 2)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let parameters = SimulatedNetwork.Parameters(seed: seed, meterCount: meters, unitCount: units,
                                                     createdAt: now / 3600 * 3600, interval: interval)
        let network = SimulatedNetwork(parameters)
        let api = try SimulatorAPI(url: url)
        var state = SimulationState(url: url, seed: String(seed), meters: meters, createdAt: parameters.createdAt,
                                    intervalSeconds: interval, units: [])
        for unit in network.units {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key(#""type":"#); writer.string("concentrator")
            writer.key(#""name":"#); writer.string(unit.name)
            writer.key(#""address":"#); writer.string(unit.city)
            writer.key(#""latitude":"#); writer.double(unit.latitude)
            writer.key(#""longitude":"#); writer.double(unit.longitude)
            writer.key(#""description":"#); writer.string("fjern simulate, seed \(seed)")
            writer.endObject()
            let created = try api.call("POST", "/v1/collection-units", token: token, body: writer.bytes, idempotent: true)
            guard let id = SimulatorAPI.string(created["id"]) else { throw SimulateFailure("POST /v1/collection-units: no id in the answer") }
            let body = Array(#"{"name":"fjern simulate uplink"}"#.utf8)
            let issued = try api.call("POST", "/v1/collection-units/\(id)/tokens", token: token, body: body)
            // The created-token shape: the secret under `secret` (like POST /v1/tokens), or `token`.
            guard let secret = SimulatorAPI.string(issued["secret"]) ?? SimulatorAPI.string(issued["token"]) else {
                throw SimulateFailure("POST /v1/collection-units/\(id)/tokens: no token secret in the answer")
            }
            state.units.append(.init(id: id, name: unit.name, token: secret))
            log("unit \(state.units.count)/\(units): \(unit.name) \(id)")
        }
        // Saved before the meters: the tokens exist now, and a failed import can be re-run.
        try state.save(statePath)
        var created = 0, updated = 0, rejected = 0
        var start = 0
        while start < meters {
            let end = min(meters, start + importChunk)
            let answer = try api.call("POST", "/v1/meters/import", token: token,
                                      body: importBody(network.meters[start..<end]), idempotent: true)
            created += SimulatorAPI.int(answer["created"]) ?? 0
            updated += SimulatorAPI.int(answer["updated"]) ?? 0
            let chunkRejected = SimulatorAPI.int(answer["rejected"]) ?? 0
            rejected += chunkRejected
            if chunkRejected > 0, case .array(let rows)? = answer["rows"], let first = rows.first {
                log("rejected rows, e.g. row \(SimulatorAPI.int(first["row"]).map { $0 + start } ?? 0): \(SimulatorAPI.string(first["reason"]) ?? "?")")
            }
            log("meters \(end)/\(meters) imported")
            start = end
        }
        print("provisioned units=\(units) meters=\(meters) created=\(created) updated=\(updated) rejected=\(rejected) seed=\(seed) state=\(statePath)")
        if rejected > 0 { throw SimulateFailure("\(rejected) meters were rejected by the import") }
    }

    /// `{"meters":[...]}` in the `MeterCreate` shape, keys included.
    static func importBody(_ meters: ArraySlice<SimulatedMeter>) -> [UInt8] {
        var writer = JSONWriter(capacity: meters.count * 400 + 16)
        writer.beginObject()
        writer.key(#""meters":"#)
        writer.beginArray()
        for meter in meters {
            writer.elementSeparator()
            writer.beginObject()
            writer.key(#""manufacturer":"#); writer.string(meter.manufacturerCode)
            writer.key(#""serial":"#); writer.string(meter.serial)
            writer.key(#""version":"#); writer.int(Int(meter.address.version))
            writer.key(#""deviceType":"#); writer.int(Int(meter.address.deviceType))
            writer.key(#""medium":"#); writer.string(meter.kind.medium)
            writer.key(#""model":"#); writer.string(meter.kind.model)
            writer.key(#""lifecycle":"#); writer.string("installed")
            writer.key(#""paths":"#); writer.beginArray(); writer.string("fixed-network"); writer.endArray()
            writer.key(#""key":"#); writer.string(meter.key.map { Self.hex($0) }.joined())
            writer.key(#""meteringPoint":"#)
            writer.beginObject()
            writer.key(#""address":"#); writer.string(meter.location.address)
            writer.key(#""postalCode":"#); writer.string(meter.location.postalCode)
            writer.key(#""city":"#); writer.string(meter.location.city)
            writer.key(#""latitude":"#); writer.double((meter.location.latitude * 1e6).rounded() / 1e6)
            writer.key(#""longitude":"#); writer.double((meter.location.longitude * 1e6).rounded() / 1e6)
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
