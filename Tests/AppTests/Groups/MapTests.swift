import Foundation
import Testing
import API
@testable import App
@testable import Store
import TestSupport
import HTTPServer
import SQLite

@Suite("Groups: the map", .serialized, .blockingIO)
struct MapTests {
    static func point(_ lat: Double, _ lon: Double) -> String {
        #","meteringPoint":{"address":"x","latitude":\#(lat),"longitude":\#(lon)}"#
    }

    func features(_ r: RawClient.Response) -> [[String: Any]] { r.json["features"] as? [[String: Any]] ?? [] }

    func properties(_ r: RawClient.Response, id: String) -> [String: Any]? {
        features(r).first { $0["id"] as? String == id }?["properties"] as? [String: Any]
    }

    /// Marks the meter heard by `unit` `secondsAgo` seconds ago.
    func heard(_ f: AccessFixture, meter: String, unit: String, secondsAgo: Int64) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        try await f.store.pool.write { conn in
            try conn.execute("""
                INSERT INTO heard_meters (unit_id, meter_id, first_heard, last_heard, count)
                VALUES ((SELECT id FROM collection_units WHERE public_id = ?), (SELECT id FROM meters WHERE public_id = ?), ?, ?, 1)
                """, [unit, meter, now - secondsAgo, now - secondsAgo])
        }
    }

    @Test func meterAndUnitFeaturesWithKindsAndStatus() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA, name: "Mast", extra: #","latitude":56.1,"longitude":10.1"#)
        _ = try f.createUnit(f.adminA, name: "Nowhere")
        let shared = try f.createUnit(f.adminB, name: "B's mast", extra: #","latitude":55.6,"longitude":12.5"#)
        try f.share(shared, owner: f.adminB, with: f.adminA)
        let hiddenB = try f.createUnit(f.adminB, name: "B only", extra: #","latitude":55.0,"longitude":12.0"#)

        func meter(_ serial: String, manufacturer: String = "KAM", _ extra: String) throws -> String {
            try f.createMeter(#"{"manufacturer":"\#(manufacturer)","serial":"\#(serial)","medium":"water"\#(extra)}"#)["id"] as? String ?? ""
        }
        let ok = try meter("1", Self.point(56.15, 10.2))
        let alarm = try meter("2", Self.point(56.16, 10.21))
        let silent = try meter("3", Self.point(56.17, 10.22))
        let never = try meter("4", manufacturer: "ELV", Self.point(56.18, 10.23))
        _ = try meter("5", "")                                        // no metering point
        _ = try meter("6", #","meteringPoint":{"address":"Somewhere"}"#) // a point without coordinates
        let meterB = try f.createMeter(#"{"manufacturer":"KAM","serial":"7","medium":"heat"\#(Self.point(56.0, 10.0))}"#,
                                       token: f.adminB)["id"] as? String ?? ""
        try await heard(f, meter: ok, unit: unit, secondsAgo: 3600)
        try await heard(f, meter: alarm, unit: unit, secondsAgo: 60)
        try await heard(f, meter: silent, unit: unit, secondsAgo: 49 * 3600)
        try await f.store.pool.write { conn in
            try conn.execute("UPDATE meters SET active_info_codes = 'leak' WHERE public_id IN (?, ?)", [alarm, silent])
        }

        let map = try f.call("GET", "/v1/map", token: f.tokens["user"])
        #expect(map.status == 200, "\(map.text)")
        #expect(map.headers["Content-Type"] == "application/geo+json")
        #expect(map.json["type"] as? String == "FeatureCollection")
        #expect(map.json["omitted"] as? Int == 2 && map.json["omittedCollectionUnits"] as? Int == 1)
        let ids = features(map).compactMap { $0["id"] as? String }
        #expect(ids == [ok, alarm, silent, never, unit, shared])
        #expect(!map.text.contains(meterB) && !map.text.contains(hiddenB))
        let first = try #require(features(map).first)
        #expect(first["type"] as? String == "Feature")
        let geometry = try #require(first["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "Point" && geometry["coordinates"] as? [Double] == [10.2, 56.15])

        let okProps = try #require(properties(map, id: ok))
        #expect(okProps["kind"] as? String == "kamstrup-meter" && okProps["status"] as? String == "ok")
        #expect(okProps["meterId"] as? String == ok && okProps["serial"] as? String == "1" && okProps["medium"] as? String == "water")
        #expect(okProps["manufacturer"] as? String == "KAM" && okProps["lastReadAt"] is String)
        #expect(properties(map, id: alarm)?["status"] as? String == "active-info-code")
        // Silence outranks an old info code.
        #expect(properties(map, id: silent)?["status"] as? String == "not-read-recently")
        let neverProps = try #require(properties(map, id: never))
        #expect(neverProps["kind"] as? String == "other-meter" && neverProps["status"] as? String == "never-read")
        #expect(neverProps["lastReadAt"] == nil)
        let unitProps = try #require(properties(map, id: unit))
        #expect(unitProps["kind"] as? String == "collection-unit" && unitProps["unitId"] as? String == unit)
        #expect(unitProps["type"] as? String == "concentrator" && unitProps["name"] as? String == "Mast")
        #expect(unitProps["status"] == nil && unitProps["meterId"] == nil)
        #expect(properties(map, id: shared)?["name"] as? String == "B's mast")
    }

    @Test func groupAndBoundingBoxFilter() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let unit = try f.createUnit(f.adminA, name: "Mast", extra: #","latitude":55.7,"longitude":12.6"#)
        let aarhus = try f.createMeter(#"{"manufacturer":"KAM","serial":"1","medium":"heat"\#(Self.point(56.15, 10.2))}"#)["id"] as? String ?? ""
        let copenhagen = try f.createMeter(#"{"manufacturer":"KAM","serial":"2","medium":"heat"\#(Self.point(55.68, 12.57))}"#)["id"] as? String ?? ""
        let loose = try f.createMeter(#"{"manufacturer":"KAM","serial":"3","medium":"heat"}"#)["id"] as? String ?? ""
        let group = try f.createGroup("Jutland")
        _ = try f.members(group, [aarhus, loose])

        let grouped = try f.call("GET", "/v1/map?group=\(group)", token: f.adminA)
        #expect(features(grouped).compactMap { $0["id"] as? String } == [aarhus, unit])
        #expect(grouped.json["omitted"] as? Int == 1)
        let nonGrouped = try f.call("GET", "/v1/map?group=non-grouped", token: f.adminA)
        #expect(features(nonGrouped).compactMap { $0["id"] as? String } == [copenhagen, unit])
        #expect(nonGrouped.json["omitted"] as? Int == 0)

        let zealand = try f.call("GET", "/v1/map?bbox=11.5,55,13,56", token: f.adminA)
        #expect(zealand.status == 200 && features(zealand).compactMap { $0["id"] as? String } == [copenhagen, unit])
        // Edges are inside.
        let edge = try f.call("GET", "/v1/map?bbox=10.2,56.15,10.2,56.15", token: f.adminA)
        #expect(features(edge).compactMap { $0["id"] as? String } == [aarhus])
        let both = try f.call("GET", "/v1/map?group=\(group)&bbox=-180,-90,180,90", token: f.adminA)
        #expect(features(both).compactMap { $0["id"] as? String } == [aarhus, unit])
        #expect(try f.call("GET", "/v1/map?group=\(UUID().uuidString)", token: f.adminA).status == 404)
    }

    @Test func statusThresholdIsFortyEightHours() {
        let now: Int64 = 1_800_000_000
        let limit = MapGeoJSON.silentAfterSeconds
        #expect(limit == 48 * 3600)
        #expect(MapGeoJSON.status(lastHeard: now - limit, hasActiveInfoCodes: false, now: now) == .ok)
        #expect(MapGeoJSON.status(lastHeard: now - limit, hasActiveInfoCodes: true, now: now) == .activeInfoCode)
        #expect(MapGeoJSON.status(lastHeard: now - limit - 1, hasActiveInfoCodes: false, now: now) == .notReadRecently)
        #expect(MapGeoJSON.status(lastHeard: now - limit - 1, hasActiveInfoCodes: true, now: now) == .notReadRecently)
        #expect(MapGeoJSON.status(lastHeard: nil, hasActiveInfoCodes: true, now: now) == .neverRead)
        // A clock a little behind a unit's is still "ok".
        #expect(MapGeoJSON.status(lastHeard: now + 30, hasActiveInfoCodes: false, now: now) == .ok)
    }

    @Test func badBoundingBoxesAre400WithAPointer() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        for bbox in ["1,2,3", "1,2,3,4,5", "a,b,c,d", "10,56,,57", "200,0,201,1", "0,-91,1,0", "11,56,10,57", "10,57,11,56",
                     "nan,1,2,3", "1e400,0,1,1"] {
            let response = try f.call("GET", "/v1/map?bbox=\(bbox)", token: f.adminA)
            #expect(response.status == 400, "\(bbox): \(response.status)")
            #expect(response.pointers == ["#/query/bbox"], "\(bbox)")
            #expect(response.headers["Content-Type"] == "application/problem+json")
        }
        #expect(try f.call("GET", "/v1/map?group=somewhere", token: f.adminA).status == 400)
        #expect(try f.call("GET", "/v1/map?bbox=%20-1%2C-1%2C1%2C1", token: f.adminA).status == 200)
    }
}
