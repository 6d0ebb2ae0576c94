import Synchronization

/// Format signature -> DIF/VIF list of Kamstrup compact frames (CI 0x79), shared by every
/// decoder thread. Seeded with the formats wmbusmeters pre-declares, and it learns from every
/// full frame it is shown, as wmbusmeters does (PROTOCOLS §2.5). Lookups take an uncontended
/// lock over a small dictionary and allocate nothing.
public final class CompactFormatRegistry: Sendable {
    private let table: Mutex<[UInt16: CompactFormat]>

    public init(predeclared: Bool = true) {
        var seeded: [UInt16: CompactFormat] = [:]
        if predeclared {
            for keys in KamstrupCompactFormats.all {
                // The list is constant and valid (a unit test proves it); a bad entry is skipped.
                if let format = try? CompactFormat(keys: keys, predeclared: true) { seeded[format.signature] = format }
            }
        }
        table = Mutex(seeded)
    }

    /// Learns the format of a full frame from its record stream `recordBytes[start..<end]`
    /// (DIF/VIF and data interleaved, as after CI 0x78 or 0x72 headers). The signature covers
    /// the DIF/DIFE/VIF/VIFE bytes without 0x2F fillers and stops at manufacturer data (DIF
    /// 0x0F/0x1F), which a compact frame cannot carry. Returns the signature, or nil when the
    /// stream has no records or cannot be sent compactly (LVAR, plain-text VIF, malformed).
    @discardableResult
    public func learn(recordBytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> UInt16? {
        let end = min(end ?? recordBytes.count, recordBytes.count)
        guard start >= 0, start <= end else { return nil }
        // First pass: signature only, no allocation; the common case is a format already known.
        var walker = KeyWalker(bytes: recordBytes, index: start, end: end, withData: true)
        var crc: UInt16 = 0
        var records = 0
        do {
            while let (key, _) = try walker.next() {
                for i in key { crc = CRC16.update(crc, recordBytes[i]) }
                records += 1
            }
        } catch {
            return nil
        }
        guard records > 0 else { return nil }
        let signature = ~crc
        if table.withLock({ $0[signature] != nil }) { return signature }
        var keys: [UInt8] = []
        walker = KeyWalker(bytes: recordBytes, index: start, end: end, withData: true)
        while let (key, _) = try? walker.next() { keys.append(contentsOf: recordBytes[key]) }
        guard let format = try? CompactFormat(keys: keys, predeclared: false) else { return nil }
        table.withLock { $0[signature] = format }
        return signature
    }

    /// Adds a format given as its DIF/VIF keys (e.g. one persisted from `learntFormats`).
    /// Returns its signature, or nil when the bytes are not a usable format.
    @discardableResult
    public func register(format: [UInt8]) -> UInt16? {
        guard let compiled = try? CompactFormat(keys: format, predeclared: false) else { return nil }
        table.withLock { $0[compiled.signature] = compiled }
        return compiled.signature
    }

    /// The DIF/VIF keys of a known signature.
    public func format(signature: UInt16) -> [UInt8]? {
        table.withLock { $0[signature]?.keys }
    }

    /// The formats learnt or registered at run time (not the pre-declared ones), for
    /// persistence by ingest.
    public var learntFormats: [UInt16: [UInt8]] {
        table.withLock { table in
            var out: [UInt16: [UInt8]] = [:]
            for (signature, format) in table where !format.predeclared { out[signature] = format.keys }
            return out
        }
    }

    func compiled(signature: UInt16) -> CompactFormat? {
        table.withLock { $0[signature] }
    }
}
