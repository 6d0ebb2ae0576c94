internal import API
internal import Store

/// Store records → API schemas for meter exchanges.
extension Components.Schemas.MeterExchange {
    init(_ r: MeterExchangeRecord) {
        self.init(id: r.id, meteringPointId: r.meteringPointID, oldMeterId: r.oldMeterID, newMeterId: r.newMeterID,
                  exchangedAt: r.exchangedAt, oldFinalReading: r.oldFinal.map(Components.Schemas.ExchangeRegisters.init),
                  newStartReading: r.newStart.map(Components.Schemas.ExchangeRegisters.init), createdAt: r.createdAt)
    }
}
