internal import API
internal import FoundationEssentials
internal import Metering

/// The report as RFC 4180 CSV: a header, one row per bucket (UTC start and end, the local
/// label, consumption, quality, the notes inside it), then a totals line. CRLF line ends.
extension ConsumptionReport {
    func csv() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 * (buckets.count + 2))
        let notes = notesByBucket()
        func field(_ text: String) {
            if text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                out.append(UInt8(ascii: "\""))
                for byte in text.utf8 {
                    if byte == UInt8(ascii: "\"") { out.append(byte) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: text.utf8)
            }
        }
        func time(_ t: Int64) { RFC3339.appendDateTime(Date(timeIntervalSince1970: Double(t)), to: &out) }
        func row(_ fields: () -> Void) {
            fields()
            out.append(contentsOf: [0x0D, 0x0A])
        }
        let comma = UInt8(ascii: ",")
        row {
            field("start"); out.append(comma)
            field("end"); out.append(comma)
            field("local (\(zoneName))"); out.append(comma)
            field("consumption (\(unit))"); out.append(comma)
            field("quality"); out.append(comma)
            field("notes")
        }
        for (i, bucket) in buckets.enumerated() {
            row {
                time(bucket.start); out.append(comma)
                time(bucket.end); out.append(comma)
                field(LocalTime.label(bucket.start, resolution, zone)); out.append(comma)
                if let c = bucket.consumption { field(DecimalText.format(c)) }
                out.append(comma)
                field(bucket.quality.rawValue); out.append(comma)
                if let here = notes[i] { field(here.map { "\($0.kind): \($0.detail)" }.joined(separator: "; ")) }
            }
        }
        row {
            field("total"); out.append(comma)
            if let first = buckets.first, let last = buckets.last {
                time(first.start); out.append(comma)
                time(last.end); out.append(comma)
            } else {
                out.append(comma); out.append(comma)
            }
            out.append(comma)
            if let total { field(DecimalText.format(total)) }
            out.append(comma)
            let missing = buckets.count { $0.quality == .missing }
            let interpolated = buckets.count { $0.quality == .interpolated }
            field("\(buckets.count - missing - interpolated) measured, \(interpolated) interpolated, \(missing) missing")
            out.append(comma)
        }
        return out
    }
}
