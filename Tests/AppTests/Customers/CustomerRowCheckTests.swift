import Testing
import API
@testable import App
import HTTPServer
import Store

/// The import's quick check may only accept what the contract accepts.
@Suite struct CustomerRowCheckTests {
    func contractAccepts(_ f: CustomerFields) -> Bool {
        let members = CustomerHandlers.importFields.compactMap { name in f[name].map { JSONMember(key: name, value: .string($0)) } }
        var errors: [ProblemDetails.FieldError] = []
        return Components.Schemas.CustomerCreate(json: .object(members), at: "", errors: &errors) != nil
    }

    static let numbers = ["1", "C-1", "a.b_c/d-e", "-1", ".x", "C 1", "Ø1", "C1Ø", String(repeating: "9", count: 64),
                          String(repeating: "9", count: 65), "x\n"]
    static let phones = ["12345678", "+45 12 34 56 78", "+4512345678", "1234", "123", "+123", "1 2 3 4", "12  34", " 1234",
                         "1234 ", "+ 1234", "++1234", "123456789012345", "1234567890123456", "1-234", "١٢٣٤", "+45 1234 5678 9012 345"]
    static let emails = ["a@b.c", "ab@example.dk", "a@b", "@b.c", "a@.b.c", "a@b.", "a@@b.c", "a@b@c.d", "a b@c.d", "a@b.c.",
                         "a@b..c", "a.@b.c", "a@b.c\u{85}", "a@b.c\u{a0}", "ø@b.c", "a@b\u{1c}.c", "a@b\t.c",
                         String(repeating: "a", count: 250) + "@b.c", String(repeating: "a", count: 251) + "@b.c"]
    static let texts = [String(repeating: "n", count: 200), String(repeating: "n", count: 201), String(repeating: "ø", count: 150),
                        String(repeating: "ø", count: 101), "Ib", "1"]

    @Test func quickAcceptanceImpliesTheContracts() {
        var candidates: [CustomerFields] = []
        for n in Self.numbers { candidates.append(CustomerFields(customerNumber: n)) }
        for p in Self.phones { candidates.append(CustomerFields(customerNumber: "C", phone: p)) }
        for e in Self.emails { candidates.append(CustomerFields(customerNumber: "C", email: e)) }
        for t in Self.texts {
            candidates.append(CustomerFields(customerNumber: "C", name: t, address: t))
            candidates.append(CustomerFields(customerNumber: "C", postalCode: t))
            candidates.append(CustomerFields(customerNumber: "C", city: t))
        }
        candidates.append(CustomerFields(name: "no number"))
        var quick = 0
        for f in candidates where CustomerRowCheck.accepts(f) {
            quick += 1
            #expect(contractAccepts(f), "\(f)")
        }
        // The quick check is not vacuous: the plain valid shapes pass it.
        #expect(CustomerRowCheck.accepts(CustomerFields(customerNumber: "C-1", name: "Ida", phone: "+45 12 34 56 78",
                                                        email: "ida@example.dk", address: "Vej 1", postalCode: "8000", city: "Aarhus")))
        #expect(quick > 20)
        // And what it refuses that the contract takes still imports (through the decoder).
        #expect(contractAccepts(CustomerFields(customerNumber: "C", name: String(repeating: "ø", count: 150))))
        #expect(!CustomerRowCheck.accepts(CustomerFields(customerNumber: "C", name: String(repeating: "ø", count: 150))))
    }

    @Test func patternsByHand() {
        #expect(CustomerRowCheck.isPhone("+45 12 34 56 78") && !CustomerRowCheck.isPhone("12  34") && !CustomerRowCheck.isPhone("1234 "))
        #expect(!CustomerRowCheck.isPhone(" 1234") && !CustomerRowCheck.isPhone("123") && !CustomerRowCheck.isPhone("1234567890123456"))
        #expect(CustomerRowCheck.isEmail("a@b.c") && !CustomerRowCheck.isEmail("a@b.") && !CustomerRowCheck.isEmail("a@.b"))
        #expect(!CustomerRowCheck.isEmail("a@b") && !CustomerRowCheck.isEmail("a@b@c.d") && CustomerRowCheck.isEmail("a.b@c.d.e"))
        #expect(CustomerRowCheck.isCustomerNumber("C-1") && !CustomerRowCheck.isCustomerNumber("-1") && !CustomerRowCheck.isCustomerNumber(""))
    }
}
