import Foundation
import HTTPServer
import FoundationXML
import Testing
@testable import App
import Metering
@testable import Store
import TestSupport

/// The consumer report: the same buckets as CSV (RFC 4180) and as an SVG bar chart.
@Suite("Consumption: reports", .serialized, .blockingIO)
struct ConsumptionReportTests {
    static func path(_ point: String, _ format: String) -> String {
        let t0 = AccessFixture.t0
        return "/v1/metering-points/\(point)/consumption/report?format=\(format)&resolution=day&register=heatEnergyKWh&tz=UTC"
            + "&from=\(AccessFixture.iso(t0))&to=\(AccessFixture.iso(t0 + 144 * 3600))"
    }

    @Test func csvHasAHeaderARowPerBucketAndATotalsLine() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await ConsumptionTests.exchange(f)
        let r = try f.get(Self.path(x.point.point, "csv"), token: f.tokens["user"])
        #expect(r.status == 200, "\(r.text)")
        #expect(r.headers["Content-Type"] == "text/csv")
        let lines = r.text.components(separatedBy: "\r\n")
        // The header, six buckets, the totals, and the empty rest after the last CRLF.
        #expect(lines.count == 9)
        #expect(lines[0] == "start,end,local (UTC),consumption (kWh),quality,notes")
        #expect(lines[1] == "2026-03-01T00:00:00.000Z,2026-03-02T00:00:00.000Z,2026-03-01,48,measured,info-code: raised leak; info-code: cleared leak")
        #expect(lines[3].hasPrefix("2026-03-03T00:00:00.000Z,2026-03-04T00:00:00.000Z,2026-03-03,60,measured,\"exchange: "))
        #expect(lines[4].contains(",72,interpolated,"))
        #expect(lines[6] == "2026-03-06T00:00:00.000Z,2026-03-07T00:00:00.000Z,2026-03-06,,missing,")
        #expect(lines[7] == "total,2026-03-01T00:00:00.000Z,2026-03-07T00:00:00.000Z,,300,\"3 measured, 2 interpolated, 1 missing\",")
        #expect(lines[8] == "")
    }

    @Test func svgIsWellFormedWithABarPerBucketColouredByQuality() async throws {
        let f = try await AccessFixture.start()
        defer { Task { await f.stop() } }
        let x = try await ConsumptionTests.exchange(f)
        let r = try f.get(Self.path(x.point.point, "svg"))
        #expect(r.status == 200, "\(r.text)")
        #expect(r.headers["Content-Type"] == "image/svg+xml")
        let parser = XMLParser(data: Data(r.body))
        let collector = SVGCollector()
        parser.delegate = collector
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.elements.first == "svg")
        // Bars carry a tooltip each: six buckets, one of them missing (a full-height grey band).
        let bars = collector.titles.filter { $0.hasPrefix("2026-03-0") }
        #expect(bars.count == 6)
        #expect(bars.contains("2026-03-04: 72 kWh (interpolated)"))
        #expect(bars.contains("2026-03-06: no data (missing)"))
        #expect(collector.fills.contains(ConsumptionReport.colours[.measured]!))
        #expect(collector.fills.contains(ConsumptionReport.colours[.interpolated]!))
        #expect(collector.titles.contains { $0.hasPrefix("exchange: ") })
        #expect(collector.texts.contains("total: 300 kWh"))
    }

    @Test func textIsEscaped() {
        #expect(ConsumptionReport.escaped(#"a<b & "c" 'd'>"#) == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        #expect(ConsumptionReport.escaped("bell\u{07}") == "bell ")
    }

    @Test func axisTicksAreRound() {
        #expect(ConsumptionReport.ticks(72) == (20, 80))
        #expect(ConsumptionReport.ticks(0.9) == (0.2, 1.0))
        #expect(ConsumptionReport.ticks(0) == (1, 1))
        #expect(DecimalText.format(12.3400000001) == "12.34" && DecimalText.format(-0.0004) == "0" && DecimalText.format(1e7) == "10000000")
    }
}

final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var titles: [String] = []
    var texts: [String] = []
    var fills: Set<String> = []
    private var current: String?
    private var buffer = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(name)
        if let fill = attributes["fill"] { fills.insert(fill) }
        current = name
        buffer = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { buffer += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title" { titles.append(buffer) }
        if name == "text" { texts.append(buffer) }
        buffer = ""
    }
}
