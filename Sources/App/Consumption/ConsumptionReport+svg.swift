internal import FoundationEssentials
internal import Glibc
internal import Metering

/// The report as an SVG bar chart: one bar per bucket coloured by quality, missing buckets as a
/// grey band, annotations as dashed lines with their text as a tooltip, a value axis with round
/// ticks and local-time labels below. Every text is XML-escaped.
extension ConsumptionReport {
    static let width = 960.0, height = 420.0
    static let left = 72.0, right = 24.0, top = 48.0, bottom = 72.0
    static let colours: [Quality: String] = [.measured: "#2b6cb0", .interpolated: "#dd8a1e", .missing: "#e2e8f0"]

    func svg() -> [UInt8] {
        var out = ""
        out.reserveCapacity(256 + buckets.count * 90)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let peak = buckets.reduce(0.0) { max($0, $1.consumption ?? 0) }
        let (tickStep, axisMax) = Self.ticks(peak)
        let slot = plotWidth / Double(max(buckets.count, 1))
        let gap = slot > 4 ? slot * 0.15 : 0
        func x(_ i: Int) -> Double { Self.left + Double(i) * slot }
        func y(_ v: Double) -> Double { Self.top + plotHeight * (1 - v / axisMax) }

        out += ##"<?xml version="1.0" encoding="UTF-8"?>"## + "\n"
        out += ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(n(Self.width))" height="\##(n(Self.height))" "##
        out += ##"viewBox="0 0 \##(n(Self.width)) \##(n(Self.height))" font-family="sans-serif" font-size="12">"## + "\n"
        out += "<title>\(Self.escaped(title))</title>\n"
        out += ##"<rect width="100%" height="100%" fill="#ffffff"/>"## + "\n"
        out += ##"<text x="\##(n(Self.left))" y="24" font-size="15" font-weight="bold">\##(Self.escaped(title))</text>"## + "\n"

        // Value axis: gridlines and labels.
        var tick = 0.0
        while tick <= axisMax + tickStep / 2 {
            let ty = y(tick)
            out += ##"<line x1="\##(n(Self.left))" y1="\##(n(ty))" x2="\##(n(Self.width - Self.right))" y2="\##(n(ty))" stroke="#cbd5e0" stroke-width="0.5"/>"##
            out += ##"<text x="\##(n(Self.left - 6))" y="\##(n(ty + 4))" text-anchor="end">\##(DecimalText.format(tick))</text>"## + "\n"
            tick += tickStep
        }
        out += ##"<text x="16" y="\##(n(Self.top + plotHeight / 2))" transform="rotate(-90 16 \##(n(Self.top + plotHeight / 2)))" text-anchor="middle">\##(Self.escaped(unit))</text>"## + "\n"

        // Bars; a tooltip each while there are few enough to hover.
        out += "<g>\n"
        let titled = buckets.count <= 750
        for (i, bucket) in buckets.enumerated() {
            let colour = Self.colours[bucket.quality]!
            let label = LocalTime.label(bucket.start, resolution, zone)
            if let c = bucket.consumption {
                let top = y(c)
                out += ##"<rect x="\##(n(x(i) + gap / 2))" y="\##(n(top))" width="\##(n(max(slot - gap, 0.05)))" height="\##(n(Self.top + plotHeight - top))" fill="\##(colour)""##
            } else {
                out += ##"<rect x="\##(n(x(i)))" y="\##(n(Self.top))" width="\##(n(slot))" height="\##(n(plotHeight))" fill="\##(colour)""##
            }
            if titled {
                let value = bucket.consumption.map { DecimalText.format($0) + " " + unit } ?? "no data"
                out += "><title>\(Self.escaped("\(label): \(value) (\(bucket.quality.rawValue))"))</title></rect>\n"
            } else {
                out += "/>\n"
            }
        }
        out += "</g>\n"

        // Time axis: about ten labels.
        out += ##"<line x1="\##(n(Self.left))" y1="\##(n(Self.top + plotHeight))" x2="\##(n(Self.width - Self.right))" y2="\##(n(Self.top + plotHeight))" stroke="#4a5568"/>"## + "\n"
        let every = max(1, (buckets.count + 9) / 10)
        for i in stride(from: 0, to: buckets.count, by: every) {
            let lx = x(i) + slot / 2
            out += ##"<text x="\##(n(lx))" y="\##(n(Self.top + plotHeight + 16))" text-anchor="middle" font-size="10">\##(Self.escaped(LocalTime.label(buckets[i].start, resolution, zone)))</text>"## + "\n"
        }

        // Annotations: a dashed line at their time, a marker, the text as a tooltip.
        if let first = buckets.first, let last = buckets.last, last.end > first.start {
            let span = Double(last.end - first.start)
            for note in notes where note.time >= first.start && note.time <= last.end {
                let ax = Self.left + plotWidth * Double(note.time - first.start) / span
                let colour = note.kind == "info-code" ? "#805ad5" : "#c53030"
                out += ##"<g><title>\##(Self.escaped("\(note.kind): \(note.detail)"))</title>"##
                out += ##"<line x1="\##(n(ax))" y1="\##(n(Self.top))" x2="\##(n(ax))" y2="\##(n(Self.top + plotHeight))" stroke="\##(colour)" stroke-dasharray="4 3"/>"##
                out += ##"<circle cx="\##(n(ax))" cy="\##(n(Self.top - 6))" r="4" fill="\##(colour)"/></g>"## + "\n"
            }
        }

        // Legend and total.
        let ly = Self.height - 20
        var lx = Self.left
        for quality in [Quality.measured, .interpolated, .missing] {
            out += ##"<rect x="\##(n(lx))" y="\##(n(ly - 10))" width="12" height="12" fill="\##(Self.colours[quality]!)" stroke="#4a5568" stroke-width="0.5"/>"##
            out += ##"<text x="\##(n(lx + 16))" y="\##(n(ly))">\##(quality.rawValue)</text>"## + "\n"
            lx += 110
        }
        let totalText = "total: " + (total.map { DecimalText.format($0) + " " + unit } ?? "no data")
        out += ##"<text x="\##(n(Self.width - Self.right))" y="\##(n(ly))" text-anchor="end">\##(Self.escaped(totalText))</text>"## + "\n"
        out += "</svg>\n"
        return Array(out.utf8)
    }

    var title: String {
        let range = buckets.first.map { LocalTime.label($0.start, resolution, zone) } ?? ""
        let end = buckets.last.map { LocalTime.label($0.end, resolution, zone) } ?? ""
        return "\(register.name) per \(resolution.rawValue), \(range) to \(end) (\(zoneName)), metering point \(meteringPoint.uuidString.lowercased())"
    }

    /// A round tick step (1, 2 or 5 times a power of ten) giving about five ticks, and the
    /// axis top (a whole number of steps at or above the peak).
    static func ticks(_ peak: Double) -> (step: Double, max: Double) {
        guard peak > 0, peak.isFinite else { return (1, 1) }
        let raw = peak / 5
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].first { $0 * magnitude >= raw }! * magnitude
        return (step, (peak / step).rounded(.up) * step)
    }

    /// Coordinates with two decimals at most.
    private func n(_ value: Double) -> String { DecimalText.format(value, decimals: 2) }

    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters are not allowed in XML 1.0 text.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
