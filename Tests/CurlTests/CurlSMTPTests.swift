import Curl
import Foundation
import Testing
import TestSupport

@Suite("Curl: SMTP against aiosmtpd", .blockingIO)
struct CurlSMTPTests {
    static let message = Array("From: a@fjern.test\r\nTo: b@forsyning.test\r\nSubject: t\r\n\r\nline 1\r\n.\r\n..dots\r\nend\r\n".utf8)

    @Test func submitsTheEnvelopeAndTheMessageUnchanged() async throws {
        let peer = try PythonPeer.smtp()
        defer { peer.stop() }
        let reply = try await CurlSMTP.send(MailSubmission(from: "a@fjern.test", recipients: ["b@forsyning.test", "c@forsyning.test"],
                                                           message: Self.message),
                                            via: SMTPServer(url: "smtp://127.0.0.1:\(peer.port)", requireTLS: false))
        #expect(reply.code == 250)
        let mails = peer.mails()
        #expect(mails.count == 1)
        #expect(mails.first?.mailFrom == "a@fjern.test")
        #expect(mails.first?.rcptTos == ["b@forsyning.test", "c@forsyning.test"])
        // Dot-stuffing is undone by the server: the lone "." and "..dots" arrive as sent.
        #expect(mails.first?.bytes == Self.message)
    }

    @Test func authenticatesAndAWrongPasswordIsRefusedWithTheServersCode() async throws {
        let peer = try PythonPeer.smtp(auth: "fjern:s3cret")
        defer { peer.stop() }
        let url = "smtp://127.0.0.1:\(peer.port)"
        let mail = MailSubmission(from: "a@fjern.test", recipients: ["b@forsyning.test"], message: Self.message)
        let reply = try await CurlSMTP.send(mail, via: SMTPServer(url: url, username: "fjern", password: "s3cret", requireTLS: false))
        #expect(reply.code == 250)
        let error = await #expect(throws: CurlError.self) {
            try await CurlSMTP.send(mail, via: SMTPServer(url: url, username: "fjern", password: "wrong", requireTLS: false))
        }
        #expect(error?.isLoginDenied == true)
        #expect(error?.responseCode == 535)
        let unauthenticated = await #expect(throws: CurlError.self) {
            try await CurlSMTP.send(mail, via: SMTPServer(url: url, requireTLS: false))
        }
        #expect(unauthenticated?.responseCode == 530)
        #expect(peer.mails().count == 1)
    }

    @Test func aRefusedRecipientCarriesTheReplyCode() async throws {
        let peer = try PythonPeer.smtp()
        defer { peer.stop() }
        for (recipient, code) in [("busy@forsyning.test", 451), ("nobody@forsyning.test", 550)] {
            let error = await #expect(throws: CurlError.self) {
                try await CurlSMTP.send(MailSubmission(from: "a@fjern.test", recipients: [recipient], message: Self.message),
                                        via: SMTPServer(url: "smtp://127.0.0.1:\(peer.port)", requireTLS: false))
            }
            #expect(error?.responseCode == code, "\(String(describing: error))")
        }
        #expect(peer.mails().isEmpty)
    }

    @Test func startTLSIsRequiredByDefault() async throws {
        // aiosmtpd offers no STARTTLS here: the default refuses to send in the clear.
        let peer = try PythonPeer.smtp()
        defer { peer.stop() }
        let error = await #expect(throws: CurlError.self) {
            try await CurlSMTP.send(MailSubmission(from: "a@fjern.test", recipients: ["b@forsyning.test"], message: Self.message),
                                    via: SMTPServer(url: "smtp://127.0.0.1:\(peer.port)"))
        }
        #expect(error?.code == 64, "\(String(describing: error))") // CURLE_USE_SSL_FAILED
        #expect(error?.isTLSFailure == true)
        #expect(peer.mails().isEmpty)
    }

    @Test func aClosedPortIsAConnectionFailureWithoutAReplyCode() async {
        let error = await #expect(throws: CurlError.self) {
            try await CurlSMTP.send(MailSubmission(from: "a@fjern.test", recipients: ["b@forsyning.test"], message: Self.message),
                                    via: SMTPServer(url: "smtp://127.0.0.1:\(PythonPeer.closedPort())", requireTLS: false))
        }
        #expect(error?.isConnectionFailure == true)
        #expect(error?.responseCode == nil)
    }

    @Test(arguments: [("a@fjern.test", ["b>\r\nRCPT TO:<c@x.test"]), ("a@fjern.test", []), ("a b@fjern.test", ["b@x.test"]),
                      ("a@fjern.test", ["no-at-sign"]), ("a@fjern.test", ["http://127.0.0.1/"])])
    func addressesThatWouldChangeTheCommandAreRefused(from: String, recipients: [String]) async {
        let error = await #expect(throws: CurlError.self) {
            try await CurlSMTP.send(MailSubmission(from: from, recipients: recipients, message: Self.message),
                                    via: SMTPServer(url: "smtp://127.0.0.1:\(PythonPeer.closedPort())", requireTLS: false))
        }
        #expect(error?.isInvalidRequest == true)
    }

    @Test func otherSchemesAreRefused() async {
        let error = await #expect(throws: CurlError.self) {
            try await CurlSMTP.send(MailSubmission(from: "a@fjern.test", recipients: ["b@x.test"], message: Self.message),
                                    via: SMTPServer(url: "http://127.0.0.1:\(PythonPeer.closedPort())", requireTLS: false))
        }
        #expect(error?.isInvalidRequest == true)
    }

    @Test(arguments: [("--starttls", "smtp"), ("--implicit-tls", "smtps")])
    func tlsIsVerifiedByDefaultAndTrustedWithTheServersCertificate(option: String, scheme: String) async throws {
        let tls = try PythonPeer.selfSignedCertificate()
        defer { try? FileManager.default.removeItem(atPath: (tls.certificate as NSString).deletingLastPathComponent) }
        let peer = try PythonPeer(python: PythonPeer.venvPython(needing: "aiosmtpd"), script: "smtp_peer.py",
                                  arguments: [option, tls.certificate, tls.key])
        defer { peer.stop() }
        let mail = MailSubmission(from: "a@fjern.test", recipients: ["b@forsyning.test"], message: Self.message)
        let url = "\(scheme)://127.0.0.1:\(peer.port)"
        let error = await #expect(throws: CurlError.self) { try await CurlSMTP.send(mail, via: SMTPServer(url: url)) }
        #expect(error?.isCertificateVerificationFailure == true, "\(String(describing: error))")
        #expect(peer.mails().isEmpty)
        let reply = try await CurlSMTP.send(mail, via: SMTPServer(url: url, caFile: tls.certificate))
        #expect(reply.code == 250)
        #expect(peer.mails().map(\.bytes) == [Self.message])
    }
}
