import Foundation
import HTTPServer
import Testing
@testable import App
import Metering
@testable import Store
import TestSupport

/// The consumption series over a real server: a metering point whose heat meter is exchanged
/// after 60 hours (final and start values given), a gap in the new meter's readings across a
/// day boundary, an info code raised and cleared, a rollover on another point, DST days.
@Suite("Consumption: series", .serialized, .blockingIO)
struct ConsumptionTests {
    static let t0 = AccessFixture.t0
    static let h: Int64 = 3600

    /// Old meter: 1000 + 2/h from t0 to t0+60h (final 1120); new meter from t0+60h, start 5,
    /// +3/h, readings hourly to t0+120h except none strictly between t0+92h and t0+100h; the
    /// last two readings still in the log. A leak is raised at 10h and cleared at 11h.
    struct Exchange {
        var point: AccessFixture.PointMeter
        var newMeter: String
    }

    static func exchange(_ f: AccessFixture) async throws -> Exchange {
        let old = try await f.meterOnPoint("1001")
        let new = try await f.meter("1002")
        let tx = t0 + 60 * h
        var finalValues = RegisterValues()
        finalValues[.heatEnergyKWh] = 1120
        var startValues = RegisterValues()
        startValues[.heatEnergyKWh] = 5
        try await f.install(point: old.pointRow, meter: old.meterRow, at: t0, removed: tx, final: finalValues)
        try await f.install(point: old.pointRow, meter: new.row, at: tx, start: startValues)
        var oldReadings: [BlockCodec.Entry] = []
        for i in 0...60 {
            let energy = Double(1000 + 2 * i), flow = Double(60 + i % 3)
            oldReadings.append(AccessFixture.reading(t0 + Int64(i) * h, [(.heatEnergyKWh, energy), (.flowTemperatureC, flow)],
                                                     infoCodes: i == 10 ? 1 : 0))
        }
        try await f.storeBlocks(meter: old.meterRow, oldReadings)
        var newReadings: [BlockCodec.Entry] = []
        for i in 61...120 where i <= 92 || i >= 100 {
            let energy = Double(5 + 3 * (i - 60))
            newReadings.append(AccessFixture.reading(t0 + Int64(i) * h, [(.heatEnergyKWh, energy)]))
        }
        try await f.storeBlocks(meter: new.row, Array(newReadings.dropLast(2)))
        try await f.storeLogged(meter: new.row, Array(newReadings.suffix(2)))
        return Exchange(point: old, newMeter: new.id)
    }

    static func path(_ point: String, _ query: String) -> String { "/v1/metering-points/\(point)/consumption?\(query)" }

    @Test func dailyConsumptionAcrossAnExchangeAGapAndTheEnd() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await Self.exchange(f)
        let r = try f.get(Self.path(x.point.point, "resolution=day&register=heatEnergyKWh&tz=UTC&from=\(AccessFixture.iso(Self.t0))&to=\(AccessFixture.iso(Self.t0 + 144 * Self.h))"))
        #expect(r.status == 200, "\(r.text)")
        let buckets = try #require(r.json["buckets"] as? [[String: Any]])
        #expect(buckets.count == 6)
        #expect(buckets.map { $0["consumption"] as? Double } == [48, 48, 60, 72, 72, nil])
        #expect(buckets.map { $0["quality"] as? String } == ["measured", "measured", "measured", "interpolated", "interpolated", "missing"])
        #expect(buckets.first?["start"] as? String == "2026-03-01T00:00:00.000Z" && buckets.first?["end"] as? String == "2026-03-02T00:00:00.000Z")
        #expect(r.json["total"] as? Double == 300)
        #expect(r.json["unit"] as? String == "kWh" && r.json["timeZone"] as? String == "UTC" && r.json["register"] as? String == "heatEnergyKWh")
        #expect(r.json["meteringPointId"] as? String == x.point.point)
        let notes = try #require(r.json["annotations"] as? [[String: Any]])
        let exchange = try #require(notes.first { $0["kind"] as? String == "exchange" })
        #expect(exchange["time"] as? String == "2026-03-03T12:00:00.000Z" && exchange["meterId"] as? String == x.newMeter)
        let codes = notes.filter { $0["kind"] as? String == "info-code" }
        #expect(codes.map { $0["detail"] as? String } == ["raised leak", "cleared leak"])
        #expect(codes.first?["time"] as? String == "2026-03-01T10:00:00.000Z" && codes.first?["meterId"] as? String == x.point.meter)
    }

    @Test func hourlyBucketsAroundTheExchangeUseFinalAndStartValues() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await Self.exchange(f)
        let r = try f.get(Self.path(x.point.point, "resolution=hour&register=heatEnergyKWh&from=\(AccessFixture.iso(Self.t0 + 58 * Self.h))&to=\(AccessFixture.iso(Self.t0 + 63 * Self.h))"))
        #expect(r.status == 200, "\(r.text)")
        // The tenant's zone (Europe/Copenhagen) when tz is absent: hours are hours either way.
        #expect(r.json["timeZone"] as? String == "Europe/Copenhagen")
        let values = (r.json["buckets"] as? [[String: Any]] ?? []).map { $0["consumption"] as? Double }
        #expect(values == [2, 2, 3, 3, 3])
    }

    @Test func aRolloverCountsWhatWrappedAndIsAnnotated() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let p = try await f.meterOnPoint("2001")
        try await f.install(point: p.pointRow, meter: p.meterRow, at: Self.t0)
        try await f.storeBlocks(meter: p.meterRow, [99_990, 99_995, 2, 7].enumerated().map { i, v in
            AccessFixture.reading(Self.t0 + Int64(i) * Self.h, [(.heatEnergyKWh, Double(v))])
        })
        let r = try f.get(Self.path(p.point, "resolution=hour&register=heatEnergyKWh&tz=UTC&from=\(AccessFixture.iso(Self.t0))&to=\(AccessFixture.iso(Self.t0 + 3 * Self.h))"))
        #expect(r.status == 200, "\(r.text)")
        #expect((r.json["buckets"] as? [[String: Any]] ?? []).map { $0["consumption"] as? Double } == [5, 7, 5])
        #expect((r.json["annotations"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "rollover" })
    }

    @Test func copenhagenDaysAcrossTheSpringSwitchHave24_23_24Hours() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let p = try await f.meterOnPoint("3001")
        let start: Int64 = 1_774_483_200  // 2026-03-26T00:00:00.000Z
        try await f.install(point: p.pointRow, meter: p.meterRow, at: start)
        try await f.storeBlocks(meter: p.meterRow, (0...(6 * 24)).map { i in
            AccessFixture.reading(start + Int64(i) * Self.h, [(.volumeM3, Double(i))])
        })
        let r = try f.get(Self.path(p.point, "resolution=day&register=volumeM3&tz=Europe/Copenhagen&from=2026-03-28T00:00:00%2B01:00&to=2026-03-31T00:00:00%2B02:00"))
        #expect(r.status == 200, "\(r.text)")
        let buckets = r.json["buckets"] as? [[String: Any]] ?? []
        #expect(buckets.map { $0["consumption"] as? Double } == [24, 23, 24])
        #expect(buckets.map { $0["start"] as? String } == ["2026-03-27T23:00:00.000Z", "2026-03-28T23:00:00.000Z", "2026-03-29T22:00:00.000Z"])
        #expect(r.json["unit"] as? String == "m3")
    }

    @Test func badRequestsNameTheParameter() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await Self.exchange(f)
        let range = "from=\(AccessFixture.iso(Self.t0))&to=\(AccessFixture.iso(Self.t0 + 24 * Self.h))"
        let cases: [(String, String)] = [
            ("resolution=day&register=flowTemperatureC&\(range)", "#/query/register"),
            ("resolution=day&register=heatEnergyKWh&tz=Mars/Olympus&\(range)", "#/query/tz"),
            ("resolution=day&register=heatEnergyKWh&from=\(AccessFixture.iso(Self.t0))&to=\(AccessFixture.iso(Self.t0 - 86_400))", "#/query/to"),
            ("resolution=hour&register=heatEnergyKWh&from=2020-01-01T00:00:00.000Z&to=2026-01-01T00:00:00.000Z", "#/query/to"),
            ("resolution=week&register=heatEnergyKWh&\(range)", "#/query/resolution"),
            ("resolution=day&register=heatEnergyKWh&\(range)&colour=red", "#/query/colour"),
            ("resolution=day&register=heatEnergyKWh", "#/query/from"),
        ]
        for (query, pointer) in cases {
            let r = try f.get(Self.path(x.point.point, query))
            #expect(r.status == 400, "\(query): \(r.status) \(r.text)")
            #expect(r.headers["Content-Type"] == "application/problem+json")
            #expect(r.pointers.contains(pointer), "\(query): \(r.text)")
        }
    }

    @Test func anotherTenantsPointIsNotFoundAndViewIsNeeded() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await Self.exchange(f)
        let query = "resolution=day&register=heatEnergyKWh&from=\(AccessFixture.iso(Self.t0))&to=\(AccessFixture.iso(Self.t0 + 86_400))"
        #expect(try f.get(Self.path(x.point.point, query), token: f.adminB).status == 404)
        #expect(try f.get(Self.path(UUID().uuidString.lowercased(), query)).status == 404)
        #expect(try f.get(Self.path(x.point.point, query), token: f.tokens["user"]).status == 200)
        #expect(try f.get(Self.path(x.point.point, query), token: f.tokens["collector"]).status == 403)
        #expect(try f.call("GET", Self.path(x.point.point, query), token: nil).status == 401)
    }
}
