import Metering
import Testing

@Suite struct RegisterTests {
    @Test func namesAreUniqueAndRoundTrip() {
        let names = Register.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        for register in Register.allCases { #expect(Register(name: register.name) == register) }
        #expect(Register(name: "heatEnergy") == nil)
    }

    @Test func rawValuesAreDenseFromZero() {
        // Stored readings index registers by raw value in a bitmap; a gap would waste a bit forever.
        #expect(Register.allCases.map(\.rawValue) == Array(0..<UInt8(Register.allCases.count)))
    }
}
