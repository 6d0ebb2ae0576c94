import FoundationEssentials
import HTTPServer
import API

/// A handler for the fixture API (compiled from Tests/APITests/FixtureAPI) that echoes what it
/// decoded, so tests can see both validation failures and successful decoding.
struct FixtureHandler: APIProtocol {
    static let meter = Components.Schemas.Meter(
        id: UUID.parseCanonical("e621e1f8-c36c-495a-93fc-0c247a3e6e5f")!, serial: "A1", medium: .hotWater,
        installedAt: Date(timeIntervalSince1970: 1_700_000_000), removedOn: nil, tags: ["x"],
        location: nil, registers: [.init(name: "E1", value: 5, default: true)])

    func listMeters(_ input: Operations.ListMeters.Input) async throws -> Operations.ListMeters.Output {
        let q = input.query
        let echo = "\(q.limit as Any)|\(q.status?.map(\.rawValue) as Any)|\(q.installedAfter.map { TextEncode.text($0) } as Any)|\(q.day as Any)|\(q.ratio as Any)|\(q.verbose as Any)|\(input.headers.xTenant)"
        return .ok(.init(items: [Self.meter], nextCursor: echo), xTotalCount: 1)
    }

    func createMeter(_ input: Operations.CreateMeter.Input) async throws -> Operations.CreateMeter.Output {
        var meter = Self.meter
        meter.serial = input.body.serial
        meter.medium = input.body.medium
        return .created(meter, location: "/meters/\(meter.id.lowercaseString)")
    }

    func getMeter(_ input: Operations.GetMeter.Input) async throws -> Operations.GetMeter.Output {
        .ok(Self.meter)
    }

    func deleteMeter(_ input: Operations.DeleteMeter.Input) async throws -> Operations.DeleteMeter.Output {
        input.headers.ifMatch == "\"1\"" ? .noContent : .preconditionFailed(.init(type: "about:blank", title: "Precondition Failed", status: 412))
    }

    func getReading(_ input: Operations.GetReading.Input) async throws -> Operations.GetReading.Output {
        .ok(.init(seq: input.path.seq, values: ["id:" + input.path.id: 1.5]))
    }

    func importReadings(_ input: Operations.ImportReadings.Input) async throws -> Operations.ImportReadings.Output {
        .accepted(Array("\(input.body.count) bytes".utf8))
    }

    func exportCSV(_ input: Operations.ExportCSV.Input) async throws -> Operations.ExportCSV.Output {
        .ok(Array("a,b\n1,2\n".utf8))
    }

    func streamTicks(_ input: Operations.StreamTicks.Input) async throws -> Operations.StreamTicks.Output {
        .ok(Ticks())
    }

    func ping(_ input: Operations.Ping.Input) async throws -> Operations.Ping.Output {
        .ok(.object([JSONMember(key: "pong", value: .bool(true))]))
    }
}

/// Two chunks, then the end.
actor Ticks: HTTPBodyStream {
    private var left = ["data: 1\n\n", "data: 2\n\n"]

    func next() async -> [UInt8]? {
        left.isEmpty ? nil : Array(left.removeFirst().utf8)
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
