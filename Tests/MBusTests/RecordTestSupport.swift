import Crypto
@testable import MBus

/// Hex in, records out, for the record-layer tests.
enum RecordFixture {
    static let kam: UInt16 = 0x2C2D

    static func bytes(_ hex: String) -> [UInt8] {
        (try? Hex.decode(hex.filter { !$0.isWhitespace })) ?? []
    }

    static func parse(_ hex: String, manufacturer: UInt16 = 0) throws(DecodeError) -> ParsedRecords {
        let data = bytes(hex)
        return try RecordParser.parse(data, from: 0, to: data.count, manufacturer: manufacturer)
    }

    /// The only record of `hex`, nil when there is not exactly one.
    static func one(_ hex: String, manufacturer: UInt16 = 0) throws(DecodeError) -> Record? {
        let parsed = try parse(hex, manufacturer: manufacturer)
        return parsed.records.count == 1 ? parsed.records[0] : nil
    }

    /// The error code `hex` fails with, nil when it parses.
    static func failure(_ hex: String) -> DecodeError.Code? {
        do {
            _ = try parse(hex)
            return nil
        } catch {
            return error.code
        }
    }

    static func number(_ hex: String, manufacturer: UInt16 = 0) throws(DecodeError) -> Double? {
        try one(hex, manufacturer: manufacturer)?.value.double
    }
}
