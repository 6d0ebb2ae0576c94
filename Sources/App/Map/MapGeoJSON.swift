internal import API
internal import FoundationEssentials
internal import Store

/// Map records → GeoJSON features, and what a meter's status on the map means.
enum MapGeoJSON {
    /// Nothing heard from a meter for longer than this is "not read recently": two days covers a
    /// fixed network's daily readings with a missed day to spare, and drive-by rounds are
    /// monthly, so their meters show as such between rounds (which is what a reading map wants).
    static let silentAfterSeconds: Int64 = 48 * 3600

    typealias Status = Components.Schemas.MapFeatureProperties.Status

    /// In order of what needs attention first: a meter never heard, one that went silent, one
    /// whose latest reading raised an info code.
    static func status(lastHeard: Int64?, hasActiveInfoCodes: Bool, now: Int64) -> Status {
        guard let lastHeard else { return .neverRead }
        if now - lastHeard > silentAfterSeconds { return .notReadRecently }
        return hasActiveInfoCodes ? .activeInfoCode : .ok
    }

    static func collection(_ records: MapRecords, now: Int64) -> Components.Schemas.MapFeatureCollection {
        var features: [Components.Schemas.MapFeature] = []
        features.reserveCapacity(records.meters.count + records.units.count)
        for m in records.meters {
            let properties = Components.Schemas.MapFeatureProperties(
                kind: m.manufacturer == "KAM" ? .kamstrupMeter : .otherMeter, meterId: m.id, manufacturer: m.manufacturer,
                serial: m.serial, medium: Components.Schemas.Medium(rawValue: m.medium),
                status: status(lastHeard: m.lastHeard, hasActiveInfoCodes: m.hasActiveInfoCodes, now: now),
                lastReadAt: m.lastHeard.map { Date(timeIntervalSince1970: Double($0)) })
            features.append(.init(type: .feature, id: m.id, geometry: .init(type: .point, coordinates: [m.longitude, m.latitude]),
                                  properties: properties))
        }
        for u in records.units {
            let properties = Components.Schemas.MapFeatureProperties(
                kind: .collectionUnit, unitId: u.id, type: Components.Schemas.CollectionUnitType(rawValue: u.type), name: u.name)
            features.append(.init(type: .feature, id: u.id, geometry: .init(type: .point, coordinates: [u.longitude, u.latitude]),
                                  properties: properties))
        }
        return .init(type: .featureCollection, features: features, omitted: records.omittedMeters,
                     omittedCollectionUnits: records.omittedUnits)
    }
}
