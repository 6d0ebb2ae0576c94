import Foundation
import Testing
@testable import App
import MBus
import SQLite
import Store
import TestSupport

@Suite("Ingest", .serialized, .blockingIO)
struct IngestTests {
    static let keyA: [UInt8] = Array(0..<16)
    static let keyB: [UInt8] = Array(16..<32)

    @Test func decodesStoresAndAnswersPerTelegram() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "76348799", key: Self.keyA)
        let telegram = try IngestFixture.multical21(id: 76_348_799, key: Self.keyA, litres: 6408, info: 0x0008)
        let out = try await f.post("north", [telegram])
        #expect(out["decoded"] as? Int == 1 && out["accepted"] as? Int == 1)
        let result = (out["results"] as? [[String: Any]])?.first
        #expect(result?["status"] as? String == "decoded")
        #expect(result?["meterId"] as? String == meter.uuidString.lowercased())
        let readings = try await f.readings(meter, token: f.adminA)
        #expect(readings.count == 1)
        let registers = readings.first?["registers"] as? [String: Any]
        #expect(registers?["volumeM3"] as? Double == 6.408)
        #expect(readings.first?["source"] as? String == "fixed-network")
        let latest = try await f.call("GET", "/v1/meters/\(meter.uuidString.lowercased())", token: f.adminA).json["latestReading"] as? [String: Any]
        #expect((latest?["registers"] as? [String: Any])?["volumeM3"] as? Double == 6.408)
        #expect((readings.first?["time"] as? String)?.hasPrefix("2026-11-21T10:00:00") == true)
        // Another tenant cannot read them; the meter is simply not there.
        #expect(try await f.call("GET", "/v1/meters/\(meter.uuidString.lowercased())/readings", token: f.adminB).status == 404)
    }

    @Test func theSameTransmissionHeardTwiceIsOneReadingWithTwoReceptions() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "11112222", key: Self.keyA)
        let telegram = try IngestFixture.multical21(id: 11_112_222, key: Self.keyA, litres: 100)
        #expect(try await f.post("north", [telegram], rssi: -60)["decoded"] as? Int == 1)
        #expect(try await f.post("south", [telegram], receivedAt: "2026-11-21T10:00:02Z", rssi: -90)["duplicates"] as? Int == 1)
        // A retried batch is a duplicate too, not a second reading.
        #expect(try await f.post("north", [telegram], rssi: -61)["duplicates"] as? Int == 1)
        let readings = try await f.readings(meter, token: f.adminA)
        #expect(readings.count == 1)
        #expect(readings.first?["receptions"] as? Int == 3)
        let heard: [(Int64, Int64, Int64?)] = try await f.store.pool.read { conn in
            var rows: [(Int64, Int64, Int64?)] = []
            try conn.query("SELECT unit_id, count, last_rssi FROM heard_meters ORDER BY unit_id") { rows.append(($0.int64(0), $0.int64(1), $0[2])) }
            return rows
        }
        #expect(heard.map(\.1) == [2, 1])
        #expect(heard.map(\.2) == [-61, -90])
        // A new transmission with other values an hour later is a new reading.
        let later = try IngestFixture.multical21(id: 11_112_222, key: Self.keyA, litres: 180, access: 2)
        #expect(try await f.post("north", [later], receivedAt: "2026-11-21T11:00:00Z")["decoded"] as? Int == 1)
        #expect(try await f.readings(meter, token: f.adminA).count == 2)
    }

    @Test func unknownMetersAndMissingKeysWaitAndDecodeWhenTheyArrive() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let unknown = try IngestFixture.multical21(id: 33_334_444, key: Self.keyA, litres: 42)
        let out = try await f.post("north", [unknown])
        #expect(out["pending"] as? Int == 1)
        #expect((out["results"] as? [[String: Any]])?.first?["reason"] as? String == "unknown-meter")
        let pending = try await f.call("GET", "/v1/ingest/pending", token: f.adminA).json["items"] as? [[String: Any]]
        #expect(pending?.count == 1 && pending?.first?["serial"] as? String == "33334444")
        // Tenant B does not use this unit: it sees nothing.
        #expect((try await f.call("GET", "/v1/ingest/pending", token: f.adminB).json["items"] as? [[String: Any]])?.isEmpty == true)

        // The meter arrives without its key: still pending, now as no-key.
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "33334444", key: nil)
        #expect(try await f.eventually {
            (try await f.call("GET", "/v1/ingest/pending?reason=no-key", token: f.adminA).json["items"] as? [[String: Any]])?.count == 1
        })
        // Then the key: the telegram is decoded and leaves the pending list.
        try await f.setKey(meter: meter, key: Self.keyA, tenant: f.tenantA.rowID)
        #expect(try await f.eventually { try await f.readings(meter, token: f.adminA).count == 1 })
        #expect((try await f.call("GET", "/v1/ingest/pending", token: f.adminA).json["items"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func aWrongKeyKeepsTheTelegramAndPlaintextSpoofsAreRejected() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "55556666", key: Self.keyB)
        let wrong = try IngestFixture.multical21(id: 55_556_666, key: Self.keyA, litres: 7)
        let out = try await f.post("north", [wrong])
        #expect((out["results"] as? [[String: Any]])?.first?["reason"] as? String == "decryption-failed")
        // The right key arrives (a key file was wrong): the kept telegram decodes.
        try await f.setKey(meter: meter, key: Self.keyA, tenant: f.tenantA.rowID)
        #expect(try await f.eventually { try await f.readings(meter, token: f.adminA).count == 1 })

        let plain = try WirelessEncoder.plain(address: MeterAddress(manufacturer: IngestFixture.kamstrup, id: IngestFixture.bcd(55_556_666),
                                                                version: 0x1B, deviceType: 0x16),
                                          accessNumber: 9, records: [0x04, 0x13, 0xFF, 0xFF, 0x00, 0x00])
        let spoof = try await f.post("north", [plain], receivedAt: "2026-11-21T12:00:00Z")
        #expect(spoof["rejected"] as? Int == 1)
        #expect((spoof["results"] as? [[String: Any]])?.first?["reason"] as? String == "spoofed-plaintext")
        #expect(try await f.readings(meter, token: f.adminA).count == 1)
    }

    @Test func malformedTelegramsAreRejectedWithReasonsAndHarmNothingElse() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "77778888", key: Self.keyA)
        let good = try IngestFixture.multical21(id: 77_778_888, key: Self.keyA, litres: 5)
        var badCRC = WirelessEncoder.withLinkCRCs(good, format: .formatA)
        badCRC[10] ^= 0xFF
        let body = """
            {"telegrams":[{"hex":"ZZ"},{"hex":"123"},{"hex":"\(IngestFixture.hex(badCRC))"},{"hex":"\(IngestFixture.hex(Array(good.prefix(8))))"},\
            {"hex":"\(IngestFixture.hex(good))"}]}
            """
        let response = try await f.call("POST", "/v1/ingest/telegrams", token: f.units["north"]!.token, body: body)
        #expect(response.status == 200)
        let results = response.json["results"] as? [[String: Any]] ?? []
        #expect(results.map { $0["status"] as? String } == ["rejected", "rejected", "rejected", "rejected", "decoded"])
        #expect(results.map { $0["reason"] as? String } == ["bad-hex", "odd-length", "crc-mismatch", "truncated", nil])
        #expect(try await f.readings(meter, token: f.adminA).count == 1)

        let tooMany = "{\"telegrams\":[" + Array(repeating: "{\"hex\":\"00\"}", count: 10_001).joined(separator: ",") + "]}"
        #expect(try await f.call("POST", "/v1/ingest/telegrams", token: f.units["north"]!.token, body: tooMany).status == 400)
        let unknownField = "{\"telegrams\":[{\"hex\":\"\(IngestFixture.hex(good))\",\"colour\":\"red\"}]}"
        #expect(try await f.call("POST", "/v1/ingest/telegrams", token: f.units["north"]!.token, body: unknownField).status == 400)
        // A wired frame on the wireless endpoint is refused, and the other way round.
        let wired = WiredFrame.rspUD(address: 1, meter: MeterAddress(manufacturer: IngestFixture.kamstrup, id: 0x77778888, version: 1, deviceType: 4),
                                     accessNumber: 1, records: [0x04, 0x13, 1, 0, 0, 0]).encoded
        #expect((try await f.post("north", [wired])["results"] as? [[String: Any]])?.first?["reason"] as? String == "invalid-frame")
    }

    @Test func onlyTokensBoundToAUnitMayIngest() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let body = "{\"telegrams\":[{\"hex\":\"00\"}]}"
        #expect(try await f.call("POST", "/v1/ingest/telegrams", token: f.adminA, body: body).status == 403)
        let unbound = try await TokenSecret.issue(f.store, tenant: f.tenantA.rowID, name: "loose", user: nil, role: "collector",
                                                  expiresAt: nil, audit: IngestFixture.setup).secret
        let response = try await f.call("POST", "/v1/ingest/telegrams", token: unbound, body: body)
        #expect(response.status == 403)
        #expect(String(decoding: response.body, as: UTF8.self).contains("not bound to a collection unit"))
    }

    @Test func aSharedUnitServesEachTenantWithoutRevealingTheOther() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        try await f.share("north", with: f.tenantB.rowID)
        let meterB = try await f.addMeter(tenant: f.tenantB.rowID, serial: "12121212", key: Self.keyB)
        let meterA = try await f.addMeter(tenant: f.tenantA.rowID, serial: "34343434", key: Self.keyA)
        let telegramB = try IngestFixture.multical21(id: 12_121_212, key: Self.keyB, litres: 900)
        let telegramA = try IngestFixture.multical21(id: 34_343_434, key: Self.keyA, litres: 300)
        let out = try await f.post("north", [telegramB, telegramA])
        let results = out["results"] as? [[String: Any]] ?? []
        #expect(out["decoded"] as? Int == 2)
        // The owner's collector is not told the other tenant's meter id.
        #expect(results.first?["meterId"] == nil)
        #expect(results.last?["meterId"] as? String == meterA.uuidString.lowercased())
        #expect(try await f.readings(meterB, token: f.adminB).count == 1)
        #expect(try await f.call("GET", "/v1/meters/\(meterB.uuidString.lowercased())/readings", token: f.adminA).status == 404)
        // A telegram of B's meter through B's unit that A does not use never shows up at A.
        let unknownToB = try IngestFixture.multical21(id: 99_990_000, key: Self.keyB, litres: 1)
        _ = try await f.post("b-own", [unknownToB])
        #expect((try await f.call("GET", "/v1/ingest/pending", token: f.adminA).json["items"] as? [[String: Any]])?.isEmpty == true)
        #expect((try await f.call("GET", "/v1/ingest/pending", token: f.adminB).json["items"] as? [[String: Any]])?.count == 1)
    }

    @Test func compactFramesWaitForTheirFormatAndDecodeOnceAFullFrameTeachesIt() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "13571357", key: Self.keyA)
        let compact = try IngestFixture.multical21Compact(id: 13_571_357, key: Self.keyA, litres: 2500, access: 5)
        let first = try await f.post("north", [compact], receivedAt: "2026-11-21T09:00:00Z")
        #expect((first["results"] as? [[String: Any]])?.first?["reason"] as? String == "unknown-compact-format")
        // The meter's next full frame teaches the format; the waiting compact frame follows.
        let full = try IngestFixture.multical21(id: 13_571_357, key: Self.keyA, litres: 2600, access: 6)
        #expect(try await f.post("north", [full], receivedAt: "2026-11-21T10:00:00Z")["decoded"] as? Int == 1)
        #expect(try await f.eventually { try await f.readings(meter, token: f.adminA).count == 2 })
        let volumes = try await f.readings(meter, token: f.adminA).compactMap { ($0["registers"] as? [String: Any])?["volumeM3"] as? Double }
        #expect(volumes == [2.5, 2.6])
        #expect((try await f.call("GET", "/v1/ingest/pending", token: f.adminA).json["items"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func wiredFramesFromAnMBusMasterBecomeWiredReadings() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "24242424", key: nil)
        // RSP_UD with the long header naming the meter; heat energy 12,345 kWh (04 06), volume 6.789 m3 (04 13).
        let frame = WiredFrame.rspUD(address: 7, meter: MeterAddress(manufacturer: IngestFixture.kamstrup, id: 0x2424_2424, version: 1, deviceType: 4),
                                     accessNumber: 3, records: [0x04, 0x06, 0x39, 0x30, 0x00, 0x00, 0x04, 0x13, 0x85, 0x1A, 0x00, 0x00]).encoded
        let body = "{\"frames\":[{\"hex\":\"\(IngestFixture.hex(frame))\",\"receivedAt\":\"2026-11-21T08:00:00Z\"},{\"hex\":\"E5\"}]}"
        let response = try await f.call("POST", "/v1/ingest/mbus-frames", token: f.units["north"]!.token, body: body)
        #expect(response.status == 200)
        let results = response.json["results"] as? [[String: Any]] ?? []
        #expect(results.map { $0["status"] as? String } == ["decoded", "rejected"])
        let reading = try await f.readings(meter, token: f.adminA).first
        #expect(reading?["source"] as? String == "wired")
        let registers = reading?["registers"] as? [String: Any]
        #expect(registers?["heatEnergyKWh"] as? Double == 12_345)
        #expect(registers?["volumeM3"] as? Double == 6.789)
    }

    @Test func aDriveByUploadIsDriveByEvenWhenItWaitedForItsKey() async throws {
        let f = try await IngestFixture.start()
        defer { Task { await f.stop() } }
        try await f.addUnit("van", tenant: f.tenantA.rowID, type: "field-device")
        let meter = try await f.addMeter(tenant: f.tenantA.rowID, serial: "86868686", key: nil)
        let telegram = try IngestFixture.multical21(id: 86_868_686, key: Self.keyA, litres: 77)
        #expect(try await f.post("van", [telegram])["pending"] as? Int == 1)
        try await f.setKey(meter: meter, key: Self.keyA, tenant: f.tenantA.rowID)
        #expect(try await f.eventually { try await f.readings(meter, token: f.adminA).count == 1 })
        #expect(try await f.readings(meter, token: f.adminA).first?["source"] as? String == "drive-by")
    }
}
