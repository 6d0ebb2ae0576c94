internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// The map as GeoJSON (RFC 7946): a group's meters and the visible collection units, as points.
struct MapHandlers: Sendable {
    let store: Store

    func map(_ input: Operations.GetMap.Input) async throws -> Operations.GetMap.Output {
        let group = try GroupHandlers.selector(query: input.query.group) ?? .all
        let box = try input.query.bbox.map(Self.boundingBox)
        let records = try await store.map(tenant: RequestContext.required.tenant, group: group, box: box)
        return .ok(MapGeoJSON.collection(records, now: Int64(Date().timeIntervalSince1970)))
    }

    /// `minLon,minLat,maxLon,maxLat`: four finite numbers within the coordinate ranges, each
    /// minimum at most its maximum (a box across the antimeridian is two requests).
    static func boundingBox(_ text: String) throws -> BoundingBox {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw invalid("must be four numbers: minLon,minLat,maxLon,maxLat") }
        var numbers: [Double] = []
        for (index, part) in parts.enumerated() {
            let name = ["minLon", "minLat", "maxLon", "maxLat"][index]
            guard let number = Double(part.trimmedSpaces()), number.isFinite else { throw invalid("\(name) is not a number") }
            let limit: Double = index % 2 == 0 ? 180 : 90
            guard abs(number) <= limit else { throw invalid("\(name) must be between -\(Int(limit)) and \(Int(limit))") }
            numbers.append(number)
        }
        guard numbers[0] <= numbers[2] else { throw invalid("minLon must not exceed maxLon") }
        guard numbers[1] <= numbers[3] else { throw invalid("minLat must not exceed maxLat") }
        return BoundingBox(minLongitude: numbers[0], minLatitude: numbers[1], maxLongitude: numbers[2], maxLatitude: numbers[3])
    }

    private static func invalid(_ detail: String) -> ProblemDetails {
        ProblemDetails(status: 400, detail: "The request does not match the API contract.",
                       errors: [.init(pointer: "#/query/bbox", detail: detail)])
    }
}

extension Substring {
    fileprivate func trimmedSpaces() -> String { String(self).trimmedSpaces() }
}
