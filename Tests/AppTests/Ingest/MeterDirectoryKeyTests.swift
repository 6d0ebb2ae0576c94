import Testing
@testable import App
import MBus

@Suite struct MeterDirectoryKeyTests {
    @Test func serialsAsPrintedMatchTheRadioId() {
        let kam = MeterAddress.manufacturerValue("KAM")!
        #expect(MeterDirectory.key(manufacturer: "KAM", serial: "76348799") == .init(manufacturer: kam, id: 0x7634_8799))
        // A printed serial without its leading zero is the same radio id.
        #expect(MeterDirectory.key(manufacturer: "kam", serial: "6348799") == .init(manufacturer: kam, id: 0x0634_8799))
        #expect(MeterDirectory.key(manufacturer: "KAM", serial: "123456789") == nil)
        #expect(MeterDirectory.key(manufacturer: "KAM", serial: "12XY") == nil)
        #expect(MeterDirectory.key(manufacturer: "K4M", serial: "12345678") == nil)
    }

    @Test func hexTextNamesWhatIsWrong() throws {
        #expect(try HexText.decode("0aFf").get() == [0x0A, 0xFF])
        guard case .failure(let bad) = HexText.decode("0g") else { Issue.record("accepted"); return }
        #expect(bad.reason == "bad-hex")
        guard case .failure(let odd) = HexText.decode("abc") else { Issue.record("accepted"); return }
        #expect(odd.reason == "odd-length")
    }
}
