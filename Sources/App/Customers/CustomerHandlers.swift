internal import API
internal import FoundationEssentials
internal import HTTPServer
internal import Store

/// Customers: CRUD, bulk import from CSV and the export of everything held about one of them.
/// Every change is written with its audit event in one transaction by the store.
struct CustomerHandlers: Sendable {
    let store: Store

    func list(_ input: Operations.ListCustomers.Input) async throws -> Operations.ListCustomers.Output {
        let q = input.query
        let page = try await store.customers(tenant: RequestContext.required.tenant, query: q.q, limit: pageLimit(q.limit),
                                             cursor: q.cursor)
        return .ok(.init(items: page.items.map(Components.Schemas.Customer.init), nextCursor: page.nextCursor))
    }

    func create(_ input: Operations.CreateCustomer.Input) async throws -> Operations.CreateCustomer.Output {
        let c = RequestContext.required
        let customer = try await store.createCustomer(tenant: c.tenant, fields: CustomerFields(input.body),
                                                      audit: c.audit("customer.created"))
        return .created(.init(customer), eTag: ETag.format(customer.revision), location: Store.customerTarget(customer.id))
    }

    func customer(_ input: Operations.GetCustomer.Input) async throws -> Operations.GetCustomer.Output {
        let customer = try await store.customer(tenant: RequestContext.required.tenant, id: input.path.customerId)
        return .ok(.init(customer), eTag: ETag.format(customer.revision))
    }

    func update(_ input: Operations.UpdateCustomer.Input) async throws -> Operations.UpdateCustomer.Output {
        let c = RequestContext.required
        let id = input.path.customerId
        let customer = try await store.updateCustomer(tenant: c.tenant, id: id, fields: CustomerFields(input.body),
                                                      ifVersion: ETag.required(input.headers.ifMatch),
                                                      audit: c.audit("customer.updated", target: Store.customerTarget(id)))
        return .ok(.init(customer), eTag: ETag.format(customer.revision))
    }

    func delete(_ input: Operations.DeleteCustomer.Input) async throws -> Operations.DeleteCustomer.Output {
        let c = RequestContext.required
        let id = input.path.customerId
        try await store.deleteCustomer(tenant: c.tenant, id: id, ifVersion: ETag.required(input.headers.ifMatch),
                                       audit: c.audit("customer.deleted", target: Store.customerTarget(id)))
        return .noContent
    }
}
