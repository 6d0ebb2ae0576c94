import Testing
@testable import Curl
import CCurl

@Suite("Curl: errors")
struct CurlErrorTests {
    @Test func carriesLibcurlsOwnWords() {
        let error = CurlError(CURLE_COULDNT_CONNECT)
        #expect(error.code == 7)
        #expect(error.message.lowercased().contains("connect"))
        #expect(error.description.hasPrefix("curl error 7: "))
    }
}
