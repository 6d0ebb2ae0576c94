public import API

/// The server's implementation of the generated `APIProtocol`: each operation delegates to the
/// handler group that owns its resource.
public struct FjernAPI: APIProtocol {
    let operations: OperationsHandlers

    public init(operations: OperationsHandlers) {
        self.operations = operations
    }

    public func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        operations.health()
    }

    public func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        operations.ready()
    }

    public func getInfo(_ input: Operations.GetInfo.Input) async throws -> Operations.GetInfo.Output {
        operations.info()
    }

    public func getOpenAPISpec(_ input: Operations.GetOpenAPISpec.Input) async throws -> Operations.GetOpenAPISpec.Output {
        operations.spec()
    }
}
