import Testing
import Crypto

/// FIPS 180-2 appendix B vectors, plus the empty message.
@Suite struct SHA256Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let message: [UInt8]
        let digest: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "empty", message: [], digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(name: "abc (B.1)", message: Array("abc".utf8),
               digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(name: "448 bits (B.2)", message: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
               digest: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        Vector(name: "a million a (B.3)", message: Array(repeating: UInt8(ascii: "a"), count: 1_000_000),
               digest: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test(arguments: vectors)
    func oneShot(_ vector: Vector) throws {
        #expect(SHA256.hash(vector.message) == (try hex(vector.digest)))
    }

    @Test(arguments: vectors)
    func incrementalInUnevenPieces(_ vector: Vector) throws {
        var hasher = SHA256.Hasher()
        var offset = 0
        var piece = 1
        while offset < vector.message.count {
            let end = min(vector.message.count, offset + piece)
            hasher.update(Array(vector.message[offset..<end]))
            offset = end
            piece = piece * 3 + 1
        }
        #expect(hasher.finalize() == (try hex(vector.digest)))
    }

    @Test func hasherIsAValue() {
        var running = SHA256.Hasher()
        running.update(Array("ab".utf8))
        var copy = running
        copy.update(Array("c".utf8))
        // finalize does not consume: the running hash can go on afterwards.
        #expect(running.finalize() == SHA256.hash(Array("ab".utf8)))
        running.update(Array("x".utf8))
        #expect(running.finalize() == SHA256.hash(Array("abx".utf8)))
        #expect(copy.finalize() == SHA256.hash(Array("abc".utf8)))
    }
}
