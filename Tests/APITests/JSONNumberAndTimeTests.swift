import FoundationEssentials
import Testing
@testable import API

/// The writer's fast paths: numbers with up to six decimals and four-digit-year timestamps are
/// written without building Strings, and read back as exactly the same values.
@Suite struct JSONNumberAndTimeTests {
    func written(_ value: Double) -> String {
        var writer = JSONWriter()
        writer.double(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func decimalsAreWrittenFromTheirMillionths() throws {
        #expect(written(12.5) == "12.5")
        #expect(written(7564) == "7564.0")
        #expect(written(-0.25) == "-0.25")
        #expect(written(1.121667) == "1.121667")
        #expect(written(0.000001) == "0.000001")
        #expect(written(999_999_999.999999) == "999999999.999999")
        #expect(written(0) == "0.0")
    }

    @Test func everythingElseKeepsTheShortestDescription() {
        #expect(written(0.1 + 0.2) == (0.1 + 0.2).description)
        #expect(written(1.0 / 3.0) == (1.0 / 3.0).description)
        #expect(written(1e20) == 1e20.description)
        #expect(written(.nan) == "null")
    }

    @Test func writtenNumbersParseBackToTheSameDouble() throws {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let candidates = [Double(Int.random(in: -10_000_000...10_000_000, using: &random)) / 1000,
                              Double.random(in: -1e6...1e6, using: &random),
                              (Double.random(in: 0...5000, using: &random) * 1e6).rounded() / 1e6]
            for value in candidates {
                let text = written(value)
                guard case .double(let parsed) = try JSONParser.parse(Array(text.utf8)) else {
                    Issue.record("\(text) is not a double")
                    continue
                }
                #expect(parsed == value, "\(value) written as \(text)")
            }
        }
    }

    @Test func timestampsAreFixedWidthAndMatchTheSlowPath() {
        #expect(RFC3339.formatDateTime(Date(timeIntervalSince1970: 1_772_323_200)) == "2026-03-01T00:00:00.000Z")
        #expect(RFC3339.formatDateTime(Date(timeIntervalSince1970: 1_772_366_399.9994)) == "2026-03-01T11:59:59.999Z")
        #expect(RFC3339.formatDateTime(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00.000Z")
        #expect(RFC3339.formatDateTime(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59.000Z")
        #expect(RFC3339.formatDateTime(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
        let later = RFC3339.formatDateTime(Date(timeIntervalSince1970: 253_402_300_800))
        #expect(RFC3339.parseDateTime(later) == nil || later.hasPrefix("10000-"))
    }

    /// The writer keeps the last day's `YYYY-MM-DD`: hours of one day, days in a row, jumps back
    /// and forth, times before 1970 and outside four-digit years all match the general path.
    @Test func theWritersDayCacheMatchesTheGeneralPath() {
        var times: [Double] = []
        for hour in 0..<80 { times.append(1_772_323_200 + Double(hour) * 3600) }
        times += [-1.5, -86_400.25, 0, -62_135_596_800, 253_402_300_799, 253_402_300_800, -62_167_219_200.5,
                  1_772_366_399.9994, 1_772_323_200, 1_700_000_000.001]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { times.append(Double(Int64.random(in: -70_000_000_000...260_000_000_000, using: &generator)) / 7) }
        var writer = JSONWriter()
        var expected: [UInt8] = []
        for time in times {
            writer.dateTime(Date(timeIntervalSince1970: time))
            expected += Array(("\"" + RFC3339.formatDateTime(Date(timeIntervalSince1970: time)) + "\"").utf8)
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
