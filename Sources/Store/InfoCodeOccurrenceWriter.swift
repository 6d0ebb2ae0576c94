internal import FoundationEssentials
internal import Metering
internal import SQLite

/// Keeps `info_code_occurrences` in step with a meter's codes, called by `ReadingWriter` only
/// when a reading's codes differ from the meter's previous ones, in the same transaction as
/// the info-code events: a reading that changes nothing costs nothing here.
enum InfoCodeOccurrenceWriter {
    /// Opens an occurrence per raised code and closes one per cleared code. `previousReading`
    /// is the meter's latest reading time before `reading`: the last that carried a cleared code.
    static func apply(_ reading: IngestReading, from old: String, previousReading: Int64?, _ conn: Connection) throws {
        let before = old.isEmpty ? [] : old.split(separator: ",")
        let after = reading.infoCodes.isEmpty ? [] : reading.infoCodes.split(separator: ",")
        var decoded = false
        var rawBits: Int64?
        for (i, code) in after.enumerated() where !before.contains(code) {
            if !decoded {
                // Decoded only here, on a change: the raw register travels inside the stored form.
                rawBits = (try? ReadingCodec.decode(reading.data))?.infoBits.map { Int64(bitPattern: $0) }
                decoded = true
            }
            let mask = i < reading.infoCodeMasks.count ? Int64(bitPattern: reading.infoCodeMasks[i]) : 0
            let insert = try conn.cachedStatement("""
                INSERT INTO info_code_occurrences (public_id, tenant_id, meter_id, code, raw_bits, bits, raised_at, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (meter_id, code) WHERE cleared_at IS NULL DO NOTHING
                """)
            try insert.bind([UUID().uuidString.lowercased(), reading.tenant, reading.meter, String(code), rawBits, mask,
                             reading.time, reading.time])
            _ = try insert.step()
            insert.reset()
        }
        for code in before where !after.contains(code) {
            let close = try conn.cachedStatement("""
                UPDATE info_code_occurrences SET cleared_at = max(?1, raised_at), last_seen = max(?2, raised_at)
                WHERE meter_id = ?3 AND code = ?4 AND cleared_at IS NULL
                """)
            try close.bind([reading.time, previousReading ?? reading.time, reading.meter, String(code)])
            _ = try close.step()
            close.reset()
        }
    }
}
