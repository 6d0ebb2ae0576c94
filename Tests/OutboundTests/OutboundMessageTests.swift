import Testing
import Outbound

@Suite("Outbound: messages")
struct OutboundMessageTests {
    @Test func everyKindSurvivesTheOutbox() throws {
        let messages: [OutboundMessage] = [
            .email(.init(to: "drift@forsyning.dk", subject: "Lækage på måler 76348799", body: "Linje 1\nLinje 2 ✓")),
            .sms(.init(to: "+4512345678", text: "Leak at Søndergade 1")),
            .webhook(.init(url: "https://hooks.example/fjern", messageID: "msg_1", timestamp: 1_763_000_000, payload: Array("{\"a\":1}".utf8))),
        ]
        for message in messages {
            #expect(try OutboundMessage(encoded: message.encoded()) == message)
        }
    }

    @Test func garbageIsAnError() {
        #expect(throws: (any Error).self) { try OutboundMessage(encoded: Array("{\"fax\":{}}".utf8)) }
    }
}
