import Foundation
import Testing
@testable import Store

/// Public ids are random version-4 UUIDs in lowercase text (imports make 100,000 at a time).
@Suite struct PublicIDTests {
    @Test func versionFourLowercaseAndDistinct() throws {
        var seen = Set<String>()
        var nibbles = Set<Character>()
        for _ in 0..<2000 {
            let id = Store.newPublicID()
            let parsed = try #require(UUID(uuidString: id), "\(id)")
            #expect(parsed.uuidString.lowercased() == id)
            let chars = Array(id)
            #expect(chars.count == 36 && chars[14] == "4" && "89ab".contains(chars[19]), "\(id)")
            seen.insert(id)
            nibbles.formUnion(chars.filter { $0 != "-" })
        }
        #expect(seen.count == 2000)
        // Every hex digit turns up: no nibble is stuck or misplaced.
        #expect(nibbles == Set("0123456789abcdef"))
    }
}
