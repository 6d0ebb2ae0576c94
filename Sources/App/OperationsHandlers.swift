internal import API
public import FoundationEssentials
internal import Synchronization

/// Liveness, readiness, version and the contract: the operations every deployment probes.
public struct OperationsHandlers: Sendable {
    let readiness: Readiness
    let startedAt: Date

    public init(readiness: Readiness, startedAt: Date = Date()) {
        self.readiness = readiness
        self.startedAt = startedAt
    }

    func health() -> Operations.GetHealth.Output {
        .ok(.init(status: .ok))
    }

    func ready() -> Operations.GetReadiness.Output {
        if readiness.isReady { return .ok(.init(status: .ready)) }
        return .serviceUnavailable(
            .init(type: "about:blank", title: "Service Unavailable", status: 503,
                  detail: "The server is starting or shutting down."),
            retryAfter: 1)
    }

    func info() -> Operations.GetInfo.Output {
        .ok(.init(name: BuildInfo.name, version: BuildInfo.version,
                  build: .init(configuration: BuildInfo.configuration == "debug" ? .debug : .release,
                               compiler: BuildInfo.compiler, startedAt: startedAt)))
    }

    func spec() -> Operations.GetOpenAPISpec.Output {
        .ok(OpenAPISpec.bytes)
    }
}

/// Ready from start-up until shutdown begins; load balancers stop sending work when it flips.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(false)
    public init() {}
    public var isReady: Bool { ready.load(ordering: .relaxed) }
    public func set(_ value: Bool) { ready.store(value, ordering: .relaxed) }
}
