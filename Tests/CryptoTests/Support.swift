import Crypto

/// Test vectors are written as hex text, as their documents print them; spaces are allowed for
/// readability here (unlike `Hex.decode`, which is strict).
func hex(_ text: String) throws -> [UInt8] {
    try Hex.decode(text.filter { $0 != " " })
}

/// The SP 800-38A key and four plaintext blocks shared by the ECB, CBC, CTR and CMAC vectors.
enum SP800_38A {
    static let key = "2b7e151628aed2a6abf7158809cf4f3c"
    static let plaintext = """
        6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 \
        30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710
        """
}
