import Foundation
import Outbound
import Testing

@Suite("Outbound: RFC 5322 messages")
struct MailComposerTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func anASCIIMessageIsExactlyThis() throws {
        let bytes = try MailComposer.compose(from: "alarms@fjern.test", to: "drift@forsyning.test", subject: "Leak at meter 76348799",
                                             body: "Line 1\nLine 2\n", date: 1_763_000_000, messageID: "<abc@fjern.test>")
        #expect(Self.text(bytes) == """
            Date: Thu, 13 Nov 2025 02:13:20 +0000\r
            From: alarms@fjern.test\r
            To: drift@forsyning.test\r
            Subject: Leak at meter 76348799\r
            Message-ID: <abc@fjern.test>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=UTF-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Line 1\r
            Line 2\r

            """)
    }

    @Test(arguments: [(Int64(0), "Thu, 01 Jan 1970 00:00:00 +0000"), (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"),
                      (1_795_321_425, "Sun, 22 Nov 2026 04:23:45 +0000"), (-1, "Wed, 31 Dec 1969 23:59:59 +0000")])
    func dates(unix: Int64, expected: String) throws {
        let bytes = try MailComposer.compose(from: "a@b.test", to: "c@d.test", subject: "s", body: "", date: unix, messageID: "<x@b.test>")
        #expect(Self.text(bytes).hasPrefix("Date: \(expected)\r\n"))
    }

    @Test(arguments: ["Lækage på måler 76348799", String(repeating: "Varmeforbrug ✓ ", count: 12), "ASCII but = ?= looks encoded =?x?",
                      String(repeating: "long ascii subject ", count: 8), "🙂"])
    func subjectsAreEncodedInWholeCharactersWithinTheLineLimits(subject: String) throws {
        let text = Self.text(try MailComposer.compose(from: "a@b.test", to: "c@d.test", subject: subject, body: "x",
                                                      date: 0, messageID: "<x@b.test>"))
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        let lines = head.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 && $0.unicodeScalars.allSatisfy(\.isASCII) })
        // Unfold Subject and decode its words independently of the encoder.
        let start = lines.firstIndex { $0.hasPrefix("Subject: ") }!
        var folded = [String(lines[start].dropFirst("Subject: ".count))]
        for line in lines[(start + 1)...] where line.hasPrefix(" ") { folded.append(String(line.dropFirst())) }
        if folded.count == 1 && !folded[0].hasPrefix("=?") {
            #expect(folded[0] == subject)
            return
        }
        var decoded: [UInt8] = []
        for word in folded.joined(separator: " ").split(separator: " ") {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!
            #expect(String(data: payload, encoding: .utf8) != nil, "a word splits a character")
            decoded.append(contentsOf: payload)
        }
        #expect(Self.text(decoded) == subject)
    }

    @Test(arguments: ["Linje 1\nLinje 2 ✓\r\nLinje 3\rtab\tend \n", String(repeating: "Lang linje uden ombrydning æøå ", count: 10),
                      "=3D is not an escape\n.\n.leading dot\nFrom the start\n", "trailing space  \ntrailing tab\t"])
    func bodiesAreQuotedPrintableThatDecodesBack(body: String) throws {
        let text = Self.text(try MailComposer.compose(from: "a@b.test", to: "c@d.test", subject: "s", body: body, date: 0,
                                                      messageID: "<x@b.test>"))
        let encoded = String(text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n"))
        let lines = encoded.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 && $0.unicodeScalars.allSatisfy { $0.isASCII && $0 != "\r" && $0 != "\n" } })
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        #expect(lines.allSatisfy { !$0.hasPrefix(".") })
        // Decode (RFC 2045 §6.7) independently and compare with the body, line ends as CRLF.
        var decoded: [UInt8] = []
        let bytes = Array(encoded.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "=") {
                if bytes[i + 1] == 0x0D { i += 3; continue } // soft line break
                decoded.append(UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)!)
                i += 3
            } else {
                decoded.append(bytes[i])
                i += 1
            }
        }
        var expected = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
        if !expected.hasSuffix("\r\n") { expected += "\r\n" }
        #expect(Self.text(decoded) == expected)
    }

    @Test(arguments: [("a@b.test", "c@d.test", "Subject\r\nBcc: victim@x.test"), ("a@b.test", "c@d.test", "line\nbreak"),
                      ("a@b.test", "c@d.test\r\nBcc: v@x.test", "s"), ("a@b.test\n", "c@d.test", "s"), ("a@b.test", "Name <c@d.test>", "s"),
                      ("a@b.test", "c@d@e.test", "s"), ("a@b.test", "", "s"), ("a@b.test", "æ@d.test", "s")])
    func headerInjectionAndBadAddressesAreRefused(from: String, to: String, subject: String) {
        #expect(throws: MailComposer.Invalid.self) {
            try MailComposer.compose(from: from, to: to, subject: subject, body: "b", date: 0, messageID: "<x@b.test>")
        }
    }
}

@Suite("Outbound: SMS templates and webhook signatures")
struct TemplateAndSignatureTests {
    static let awkward = "Lækage & \"50%\" +1\nline\\2 {to} \u{1}"

    @Test func formValuesArePercentEncoded() {
        let body = SMSTemplate.render("to={to}&text={text}&keep={other}", format: .form, to: "+4512345678", text: Self.awkward)
        #expect(body == "to=%2B4512345678&text=L%C3%A6kage%20%26%20%2250%25%22%20%2B1%0Aline%5C2%20%7Bto%7D%20%01&keep={other}")
        // Any form decoder gives the text back.
        #expect(formFields(body).first { $0.name == "text" }?.value == Self.awkward)
    }

    @Test func jsonValuesAreEscapedWithoutAddedQuotes() throws {
        let body = SMSTemplate.render("{\"to\":\"{to}\",\"text\":\"{text}\",\"n\":1}", format: .json, to: "+4512345678", text: Self.awkward)
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        #expect(object?["to"] as? String == "+4512345678")
        #expect(object?["text"] as? String == Self.awkward)
        #expect(object?["n"] as? Int == 1)
    }

    @Test func theStandardWebhooksExampleSignature() {
        // The specification's example: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw.
        let secret = Array(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!)
        let signature = WebhookSignature.sign(secret: secret, messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                              payload: Array("{\"test\": 2432232314}".utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }
}

/// An application/x-www-form-urlencoded string's fields, decoded ("+" is a space).
func formFields(_ text: String) -> [(name: String, value: String)] {
    text.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "<undecodable>"
        }
        return (parts[0], parts.count > 1 ? parts[1] : "")
    }
}
