@testable import API
import HTTPServer
import Testing

/// String lengths are code points; the byte-count shortcut must agree with counting them.
@Suite struct LengthConstraintTests {
    func ok(_ s: String, min: Int?, max: Int?) -> Bool {
        var errors: [ProblemDetails.FieldError] = []
        return Constraints.length(s, minLength: min, maxLength: max, at: "/x", &errors)
    }

    @Test func multiByteCodePointsCountOnce() {
        #expect(ok("ééé", min: nil, max: 3))          // 6 bytes, 3 code points
        #expect(!ok("éééé", min: nil, max: 3))
        #expect(!ok("é", min: 2, max: nil))           // 2 bytes, 1 code point
        #expect(ok("éé", min: 2, max: 2))
        #expect(ok("𝄞𝄞", min: 2, max: 2))              // 4-byte code points
        #expect(!ok("𝄞𝄞𝄞", min: nil, max: 2))
        #expect(ok("e\u{301}", min: 2, max: 2))      // a grapheme of two code points
    }

    @Test func agreesWithCountingForRandomText() {
        let alphabet: [Character] = ["a", "é", "€", "𝄞", "Z"]
        for _ in 0..<2000 {
            let s = String((0..<Int.random(in: 0...12)).map { _ in alphabet.randomElement()! })
            let n = s.unicodeScalars.count
            let lo = Int.random(in: 0...10), hi = Int.random(in: 0...14)
            #expect(ok(s, min: lo, max: hi) == (n >= lo && n <= hi), "\(s) \(lo) \(hi)")
        }
    }
}
