import Foundation
import Glibc
import Testing
import TestSupport
@testable import App
import API
import MBus

@Suite("Simulator: state, flags and request bodies", .blockingIO)
struct SimulateToolsTests {
    @Test func stateFileIsPrivateAndRoundTrips() throws {
        let path = NSTemporaryDirectory() + "fjern-sim-\(UUID().uuidString).json"
        defer { unlink(path) }
        let state = SimulationState(url: "http://127.0.0.1:1", seed: String(UInt64.max), meters: 12, createdAt: 1_794_000_000,
                                    intervalSeconds: 900, units: [.init(id: "u1", name: "one", token: "fj_secret")], clock: nil)
        try state.save(path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        var loaded = try SimulationState.load(path)
        #expect(loaded == state)
        #expect(try loaded.parameters.seed == UInt64.max)
        loaded.clock = 1_794_003_600
        try loaded.save(path)
        #expect(try SimulationState.load(path).clock == 1_794_003_600)
        let missing = #expect(throws: SimulateFailure.self) { _ = try SimulationState.load(path + ".none") }
        #expect(missing?.message.contains("provision") == true)
        try Data("{\"format\":1}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SimulateFailure.self) { _ = try SimulationState.load(path) }
    }

    @Test func flagsRejectWhatTheyDoNotKnow() throws {
        let flags = try SimulateFlags(["--meters", "2,000", "--url=http://x", "--force"], allowed: ["--meters", "--url", "--force", "--token"],
                                      environment: ["FJERN_TOKEN": "fj_env"])
        #expect(throws: SimulateFailure.self) { _ = try flags.int("--meters", in: 1...10) }
        #expect(try flags.int("--meters", in: 1...5_000) == 2000)
        #expect(flags["--url"] == "http://x" && flags.has("--force") && flags["--token"] == "fj_env")
        for bad in [["--nope", "1"], ["--meters"], ["stray"], ["--force=yes"]] {
            let failure = #expect(throws: SimulateFailure.self) { _ = try SimulateFlags(bad, allowed: ["--meters", "--force"]) }
            #expect(failure?.code == 2)
        }
        let parsed = try SimulateFlags(["--meters", "abc"], allowed: ["--meters"])
        #expect(throws: SimulateFailure.self) { _ = try parsed.int("--meters", in: 1...10) }
        #expect(SimulateCommand.run(["simulate-what"], environment: [:]) == 2)
        #expect(SimulateCommand.run(["run", "--state", "/nonexistent/state.json", "--hours", "1"], environment: [:]) == 1)
    }

    /// The ingest body is the documented JSON, and its hex is the telegram.
    @Test func ingestBodyCarriesTheTelegrams() throws {
        let network = SimulatedNetworkTests.network(meters: 40)
        var batch = IngestBatch(capacity: 100)
        var sent: [(SimulatedNetwork.Reception, [UInt8])] = []
        try network.forEachInterval(from: SimulatedNetworkTests.createdAt, to: SimulatedNetworkTests.createdAt + 900) { receptions in
            for reception in receptions {
                let telegram = try network.telegram(reception)
                batch.append(telegram: telegram, receivedAtMilliseconds: reception.receivedAtMilliseconds, rssi: reception.rssi)
                sent.append((reception, telegram))
            }
        }
        let json = try JSONParser.parse(batch.finished())
        guard case .array(let items)? = json["telegrams"] else { Issue.record("no telegrams array"); return }
        #expect(items.count == sent.count && batch.count == sent.count && !sent.isEmpty)
        for (item, (reception, telegram)) in zip(items, sent) {
            let hex = try #require(SimulatorAPI.string(item["hex"]))
            #expect(hex == telegram.map { String(format: "%02X", $0) }.joined())
            let receivedText = try #require(SimulatorAPI.string(item["receivedAt"]))
            let received = try #require(RFC3339.parseDateTime(receivedText))
            #expect(Int64((received.timeIntervalSince1970 * 1000).rounded()) == reception.receivedAtMilliseconds)
            #expect(SimulatorAPI.int(item["rssi"]) == reception.rssi)
        }
        var counts = IngestCounts()
        counts.add(sent: 3, answer: try JSONParser.parse(Array(#"{"accepted":3,"decoded":1,"duplicates":1,"pending":1,"rejected":0,"results":[{"index":2,"status":"pending","reason":"no key"}]}"#.utf8)))
        #expect(counts.line == "sent=3 accepted=3 decoded=1 duplicates=1 pending=1 rejected=0" && counts.reasons == ["no key"])
    }

    /// The import body is `{"meters":[MeterCreate...]}` with each meter's key and metering point.
    @Test func importBodyDescribesEveryMeter() throws {
        let network = SimulatedNetworkTests.network(meters: 30)
        let json = try JSONParser.parse(SimulateProvision.importBody(network.meters[...]))
        guard case .array(let items)? = json["meters"] else { Issue.record("no meters array"); return }
        #expect(items.count == 30)
        for (item, meter) in zip(items, network.meters) {
            #expect(SimulatorAPI.string(item["serial"]) == meter.serial)
            #expect(SimulatorAPI.string(item["manufacturer"]) == meter.address.manufacturerCode)
            #expect(SimulatorAPI.int(item["deviceType"]) == Int(meter.address.deviceType))
            #expect(SimulatorAPI.string(item["key"]) == meter.key.map { String(format: "%02x", $0) }.joined())
            #expect(SimulatorAPI.string(item["lifecycle"]) == "installed")
            #expect(SimulatorAPI.string(item["meteringPoint"]?["city"]) == meter.location.city)
        }
    }

    /// The bench's bodies: the asked number of telegrams, the asked share sent twice by another unit.
    @Test func benchPreparesDuplicatesThroughASecondUnit() throws {
        let network = SimulatedNetworkTests.network(meters: 500)
        let state = SimulationState(url: "http://x", seed: "42", meters: 500, createdAt: SimulatedNetworkTests.createdAt,
                                    intervalSeconds: 900, units: [.init(id: "a", name: "a", token: "t"), .init(id: "b", name: "b", token: "u")],
                                    clock: SimulatedNetworkTests.createdAt)
        let (requests, end) = try IngestBenchmark.prepare(network, state: state, total: 5_000, batch: 300, duplicates: 0.1)
        #expect(requests.reduce(0) { $0 + $1.telegrams } == 5_000 && end > SimulatedNetworkTests.createdAt)
        var byHex: [String: Set<Int>] = [:]
        var total = 0
        for request in requests {
            guard case .array(let items)? = try JSONParser.parse(request.body)["telegrams"] else { Issue.record("bad body"); return }
            #expect(items.count == request.telegrams && request.telegrams <= 300)
            for item in items {
                byHex[SimulatorAPI.string(item["hex"])!, default: []].insert(request.unit)
                total += 1
            }
        }
        let twice = byHex.values.filter { $0.count == 2 }.count
        #expect(byHex.values.allSatisfy { $0.count <= 2 })
        let share = Double(twice) / Double(total)
        #expect(share > 0.08 && share < 0.12, "\(share)")
    }
}
