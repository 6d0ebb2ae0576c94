internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Metering
internal import Store

/// Billing readings at a target date, for one metering point or a whole group.
extension ConsumptionHandlers {
    /// A real reading this close to the target counts as the reading at the target.
    static let billingTolerance: Int64 = 900

    func billingReading(_ input: Operations.GetBillingReading.Input) async throws -> Operations.GetBillingReading.Output {
        let c = RequestContext.required
        let register = try Self.cumulative(input.query.register.rawValue)
        let at = ConsumptionRequest.seconds(input.query.at)
        let billing = try await store.billingInput(tenant: c.tenant, meteringPoint: input.path.meteringPointId,
                                                   registers: Self.registers(register), at: at)
        return .ok(Self.reading(billing, register: register, at: at))
    }

    func billingReadings(_ input: Operations.ListBillingReadings.Input) async throws -> Operations.ListBillingReadings.Output {
        let c = RequestContext.required
        let q = input.query
        let register = try Self.cumulative(q.register.rawValue)
        let at = ConsumptionRequest.seconds(q.at)
        let group = try Self.group(q.group)
        let page = try await store.billingInputs(tenant: c.tenant, group: group, registers: Self.registers(register), at: at,
                                                 limit: q.limit ?? 1000, cursor: q.cursor)
        return .ok(.init(items: page.items.map { Self.reading($0, register: register, at: at) }, nextCursor: page.nextCursor))
    }

    static func group(_ parameter: String?) throws(ProblemDetails) -> GroupSelector {
        guard let parameter else { return .all }
        guard let selector = GroupSelector(parameter: parameter) else {
            throw ConsumptionRequest.invalid("group", "must be a group id or all, non-grouped, last-imported, priority")
        }
        return selector
    }

    static func cumulative(_ name: String) throws(ProblemDetails) -> Register {
        guard let register = Register(name: name), register.isCumulative else {
            throw ConsumptionRequest.invalid("register", "must be a cumulative register")
        }
        return register
    }

    /// The register, and the meter's target-date register for it when meters have one.
    static func registers(_ register: Register) -> [Register] {
        [register] + (TargetRegister.of(register).map { [$0] } ?? [])
    }

    static func reading(_ input: BillingInput, register: Register, at: Int64) -> Components.Schemas.BillingReading {
        let meters = input.stays.map { stay in
            InstalledMeter(meter: stay.installation.meter, installedAt: stay.installation.installedAt,
                           removedAt: stay.installation.removedAt, startValue: stay.installation.startValues?[register],
                           finalValue: stay.installation.finalValues?[register], samples: stay.series.samples[0])
        }
        // The meter installed at `at` (the new one at an exchange instant), as the math picks it.
        let current = input.stays.last { $0.installation.installedAt <= at && ($0.installation.removedAt ?? .max) >= at }
        let target = current.flatMap { TargetRegister.value(at: at, $0.series) }
        let result = Consumption.billingReading(at: at, meters, tolerance: billingTolerance, targetValue: target)
        let meterID = result.meter.flatMap { row in input.stays.first { $0.installation.meter == row }?.installation.meterID }
        return .init(meteringPointId: input.meteringPoint, register: .init(rawValue: register.name) ?? .heatEnergyKWh,
                     unit: ConsumptionRequest.unit(register), at: ConsumptionMapping.date(at),
                     value: result.value.map(ConsumptionRequest.rounded), quality: .init(rawValue: result.quality.rawValue) ?? .missing,
                     readingTime: result.time.map(ConsumptionMapping.date), meterId: meterID)
    }
}
