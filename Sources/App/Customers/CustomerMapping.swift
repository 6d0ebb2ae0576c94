internal import API
internal import FoundationEssentials
internal import Store

/// Store records → API schemas, and API inputs → store fields.
extension Components.Schemas.Customer {
    init(_ r: CustomerRecord) {
        self.init(id: r.id, customerNumber: r.customerNumber, name: r.name, phone: r.phone, email: r.email, address: r.address,
                  postalCode: r.postalCode, city: r.city, createdAt: r.createdAt, updatedAt: r.updatedAt)
    }
}

extension CustomerFields {
    init(_ c: Components.Schemas.CustomerCreate) {
        self.init(customerNumber: c.customerNumber, name: c.name, phone: c.phone, email: c.email, address: c.address,
                  postalCode: c.postalCode, city: c.city)
    }

    init(_ u: Components.Schemas.CustomerUpdate) {
        self.init(customerNumber: u.customerNumber, name: u.name, phone: u.phone, email: u.email, address: u.address,
                  postalCode: u.postalCode, city: u.city)
    }
}

extension CustomerFields {
    /// The field of a `CustomerCreate` property name (an import column).
    subscript(name: String) -> String? {
        switch name {
        case "customerNumber": customerNumber
        case "name": self.name
        case "phone": phone
        case "email": email
        case "address": address
        case "postalCode": postalCode
        case "city": city
        default: nil
        }
    }

    mutating func set(_ name: String, _ value: String) {
        switch name {
        case "customerNumber": customerNumber = value
        case "name": self.name = value
        case "phone": phone = value
        case "email": email = value
        case "address": address = value
        case "postalCode": postalCode = value
        case "city": city = value
        default: preconditionFailure("no customer field \(name)")
        }
    }
}
