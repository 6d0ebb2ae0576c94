import Foundation
import HTTPServer
import Testing
@testable import App
import Metering
@testable import Store
import TestSupport

@Suite("Consumption: billing readings and comparison", .serialized, .blockingIO)
struct BillingAndComparisonTests {
    static let t0 = AccessFixture.t0
    static let h: Int64 = 3600

    static func billing(_ point: String, at: Int64, register: String = "heatEnergyKWh") -> String {
        "/v1/metering-points/\(point)/billing-reading?register=\(register)&at=\(AccessFixture.iso(at))"
    }

    @Test func measuredInterpolatedMissingAndNeverAcrossTheExchange() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await ConsumptionTests.exchange(f)
        let measured = try f.get(Self.billing(x.point.point, at: Self.t0 + 30 * Self.h + 300))
        #expect(measured.status == 200, "\(measured.text)")
        #expect(measured.json["quality"] as? String == "measured" && measured.json["value"] as? Double == 1060)
        #expect(measured.json["readingTime"] as? String == "2026-03-02T06:00:00.000Z" && measured.json["meterId"] as? String == x.point.meter)
        #expect(measured.json["unit"] as? String == "kWh" && measured.json["meteringPointId"] as? String == x.point.point)

        let interpolated = try f.get(Self.billing(x.point.point, at: Self.t0 + 95 * Self.h))
        #expect(interpolated.json["quality"] as? String == "interpolated" && interpolated.json["value"] as? Double == 110)
        #expect(interpolated.json["meterId"] as? String == x.newMeter)

        // Just after the exchange the new meter's start value is the reading (not the old meter's).
        let afterExchange = try f.get(Self.billing(x.point.point, at: Self.t0 + 60 * Self.h + 120))
        #expect(afterExchange.json["meterId"] as? String == x.newMeter)
        #expect(afterExchange.json["value"] as? Double == 5)

        let missing = try f.get(Self.billing(x.point.point, at: Self.t0 + 200 * Self.h))
        #expect(missing.json["quality"] as? String == "missing" && missing.json["value"] is NSNull)
        let before = try f.get(Self.billing(x.point.point, at: Self.t0 - 100 * Self.h))
        #expect(before.json["quality"] as? String == "missing" && before.json["meterId"] == nil)
    }

    @Test func theMetersTargetDateRegisterWins() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let p = try await f.meterOnPoint("4001", medium: "water")
        try await f.install(point: p.pointRow, meter: p.meterRow, at: Self.t0)
        let target = Self.t0 + 10 * 86_400
        // Daily drive-by readings; the meter latched 12.345 m³ at the target date.
        try await f.storeBlocks(meter: p.meterRow, [
            AccessFixture.reading(target - 5 * 86_400, [(.volumeM3, 11.0), (.targetVolumeM3, 10.0)]),
            AccessFixture.reading(target - 86_400, [(.volumeM3, 12.0), (.targetVolumeM3, 10.0)]),
            AccessFixture.reading(target + 86_400 + 5 * Self.h, [(.volumeM3, 12.9), (.targetVolumeM3, 12.345)]),
        ])
        let r = try f.get(Self.billing(p.point, at: target, register: "volumeM3"))
        #expect(r.status == 200, "\(r.text)")
        #expect(r.json["quality"] as? String == "target-register" && r.json["value"] as? Double == 12.345)
        #expect(r.json["meterId"] as? String == p.meter)
        // Where the target register did not change around the date, the readings are interpolated.
        let earlier = try f.get(Self.billing(p.point, at: target - 3 * 86_400, register: "volumeM3"))
        #expect(earlier.json["quality"] as? String == "interpolated" && earlier.json["value"] as? Double == 11.5)
    }

    @Test func aGroupsBillingReadingsArePagedOverItsMeteringPoints() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        _ = try await ConsumptionTests.exchange(f)
        for serial in ["5001", "5002"] {
            let p = try await f.meterOnPoint(serial)
            try await f.install(point: p.pointRow, meter: p.meterRow, at: Self.t0)
            try await f.storeBlocks(meter: p.meterRow, (0...48).map { AccessFixture.reading(Self.t0 + Int64($0) * Self.h, [(.heatEnergyKWh, Double($0))]) })
        }
        var seen: [String] = []
        var cursor: String?
        repeat {
            let r = try f.get("/v1/billing-readings?group=all&register=heatEnergyKWh&limit=2&at=\(AccessFixture.iso(Self.t0 + 24 * Self.h))"
                              + (cursor.map { "&cursor=\($0)" } ?? ""), token: f.tokens["user"])
            #expect(r.status == 200, "\(r.text)")
            let items = r.json["items"] as? [[String: Any]] ?? []
            #expect(items.allSatisfy { $0["quality"] as? String == "measured" })
            seen += items.compactMap { $0["meteringPointId"] as? String }
            cursor = r.json["nextCursor"] as? String
        } while cursor != nil && seen.count < 10
        #expect(seen.count == 3 && Set(seen).count == 3)
        // Tenant B sees none of them; a group it does not have is not found; a bad one is 400.
        let b = try f.get("/v1/billing-readings?register=heatEnergyKWh&at=\(AccessFixture.iso(Self.t0))", token: f.adminB)
        #expect(b.status == 200 && (b.json["items"] as? [Any])?.isEmpty == true)
        #expect(try f.get("/v1/billing-readings?register=heatEnergyKWh&at=\(AccessFixture.iso(Self.t0))&group=\(UUID().uuidString)").status == 404)
        let bad = try f.get("/v1/billing-readings?register=heatEnergyKWh&at=\(AccessFixture.iso(Self.t0))&group=everyone")
        #expect(bad.status == 400 && bad.pointers == ["#/query/group"])
        #expect(try f.get("/v1/billing-readings?register=heatEnergyKWh&at=\(AccessFixture.iso(Self.t0))", token: f.tokens["collector"]).status == 403)
    }

    @Test func billingOfAnotherTenantsPointIsNotFound() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await ConsumptionTests.exchange(f)
        #expect(try f.get(Self.billing(x.point.point, at: Self.t0), token: f.adminB).status == 404)
        let bad = try f.get(Self.billing(x.point.point, at: Self.t0, register: "powerKW"))
        #expect(bad.status == 400 && bad.pointers == ["#/query/register"])
    }

    static func comparison(_ series: String, from: Int64, to: Int64, resolution: String = "hour", extra: String = "") -> String {
        "/v1/comparison?series=\(series)&resolution=\(resolution)&tz=UTC&from=\(AccessFixture.iso(from))&to=\(AccessFixture.iso(to))\(extra)"
    }

    @Test func seriesAreAlignedOnOneGrid() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await ConsumptionTests.exchange(f)
        let m = x.point.meter
        let r = try f.get(Self.comparison("\(m):flowTemperatureC,\(m):heatEnergyKWh", from: Self.t0, to: Self.t0 + 3 * Self.h))
        #expect(r.status == 200, "\(r.text)")
        let series = r.json["series"] as? [[String: Any]] ?? []
        #expect(series.count == 2)
        #expect(series.first?["register"] as? String == "flowTemperatureC" && series.first?["meterId"] as? String == m)
        let values = series.map { ($0["values"] as? [[String: Any]] ?? []).map { $0["value"] as? Double } }
        #expect(values == [[60, 61, 62], [1000, 1002, 1004]])
        #expect((series.first?["values"] as? [[String: Any]])?.first?["start"] as? String == "2026-03-01T00:00:00.000Z")
        #expect(r.json["aggregate"] as? String == "mean" && r.json["resolution"] as? String == "hour")

        // Quarter hours: one reading an hour leaves three of four buckets empty.
        let quarter = try f.get(Self.comparison("\(m):flowTemperatureC", from: Self.t0, to: Self.t0 + Self.h, resolution: "15min",
                                                extra: "&aggregate=max"))
        let quarterValues = ((quarter.json["series"] as? [[String: Any]])?.first?["values"] as? [[String: Any]] ?? []).map { $0["value"] }
        #expect(quarterValues.count == 4 && quarterValues[0] as? Double == 60 && quarterValues[1...].allSatisfy { $0 is NSNull })
    }

    @Test func comparisonRejectsTooManySeriesUnknownRegistersAndOtherTenantsMeters() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await ConsumptionTests.exchange(f)
        let m = x.point.meter
        let eleven = Array(repeating: "\(m):flowTemperatureC", count: 11).joined(separator: ",")
        let tooMany = try f.get(Self.comparison(eleven, from: Self.t0, to: Self.t0 + Self.h))
        #expect(tooMany.status == 400 && tooMany.pointers == ["#/query/series"])
        let unknown = try f.get(Self.comparison("\(m):colour", from: Self.t0, to: Self.t0 + Self.h))
        #expect(unknown.status == 400 && unknown.pointers == ["#/query/series"])
        let garbage = try f.get(Self.comparison("nonsense", from: Self.t0, to: Self.t0 + Self.h))
        #expect(garbage.status == 400 && garbage.pointers == ["#/query/series"])
        let long = try f.get(Self.comparison("\(m):flowTemperatureC", from: Self.t0, to: Self.t0 + 400 * 86_400, resolution: "5min"))
        #expect(long.status == 400 && long.pointers == ["#/query/to"])
        #expect(try f.get(Self.comparison("\(m):flowTemperatureC", from: Self.t0, to: Self.t0 + Self.h), token: f.adminB).status == 404)
    }
}
