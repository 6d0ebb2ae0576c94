internal import API
internal import Crypto
internal import FoundationEssentials
internal import Store

extension KeyVault: MeterKeySealing {}

/// Store records → API schemas, and API inputs → store fields.
extension Components.Schemas.Meter {
    init(_ r: MeterRecord) {
        self.init(id: r.id, manufacturer: r.manufacturer, serial: r.serial, version: r.version, deviceType: r.deviceType,
                  model: r.model, medium: .init(rawValue: r.medium) ?? .heat,
                  paths: r.paths.compactMap(Components.Schemas.CommunicationPath.init(rawValue:)),
                  primaryAddress: r.primaryAddress, secondaryAddress: r.secondaryAddress,
                  lifecycle: .init(rawValue: r.lifecycle) ?? .inStock, meteringPoint: r.meteringPoint.map(MeteringPoint.init),
                  label: r.label, hasKey: r.hasKey, activeInfoCodes: r.activeInfoCodes, priority: r.priority, createdAt: r.createdAt,
                  updatedAt: r.updatedAt)
    }
}

extension Components.Schemas.Meter.MeteringPoint {
    init(_ r: MeteringPointRecord) {
        self.init(id: r.id, address: r.address, postalCode: r.postalCode, city: r.city, latitude: r.latitude,
                  longitude: r.longitude, customerNumber: r.customerNumber)
    }
}

extension MeteringPointFields {
    init(_ p: Components.Schemas.MeteringPointInput) {
        self.init()
        address = p.address
        postalCode = p.postalCode
        city = p.city
        latitude = p.latitude
        longitude = p.longitude
        customerNumber = p.customerNumber
    }
}

extension MeterFields {
    /// The contract's pattern has checked the key (32 hex digits), so decoding cannot fail.
    init(_ c: Components.Schemas.MeterCreate) {
        self.init()
        manufacturer = c.manufacturer
        serial = c.serial
        version = c.version
        deviceType = c.deviceType
        model = c.model
        medium = c.medium.rawValue
        paths = c.paths.map(Self.paths)
        primaryAddress = c.primaryAddress
        secondaryAddress = c.secondaryAddress
        lifecycle = c.lifecycle?.rawValue
        meteringPoint = c.meteringPoint.map(MeteringPointFields.init)
        meteringPointID = c.meteringPointId
        label = c.label
        key = c.key.flatMap { try? Hex.decode($0) }
    }

    init(_ u: Components.Schemas.MeterUpdate) {
        self.init()
        manufacturer = u.manufacturer
        serial = u.serial
        version = u.version
        deviceType = u.deviceType
        model = u.model
        medium = u.medium?.rawValue
        paths = u.paths.map(Self.paths)
        primaryAddress = u.primaryAddress
        secondaryAddress = u.secondaryAddress
        lifecycle = u.lifecycle?.rawValue
        meteringPoint = u.meteringPoint.map(MeteringPointFields.init)
        meteringPointID = u.meteringPointId
        label = u.label
        key = u.key.flatMap { try? Hex.decode($0) }
    }

    /// Each path once, in the contract's order.
    static func paths(_ given: [Components.Schemas.CommunicationPath]) -> [String] {
        Components.Schemas.CommunicationPath.allCases.filter(given.contains).map(\.rawValue)
    }
}
