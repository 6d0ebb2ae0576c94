/// Reads a ZIP archive from memory (PKWARE APPNOTE 4.3): the end-of-central-directory record,
/// the central directory, and one entry's data, stored or deflated, checked against its CRC.
/// No ZIP64, no encryption, no multi-disk archives: key files need none, and each is refused
/// by name. Sizes and counts are bounded so a hostile archive costs little.
public struct ZipReader: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var method: Int
        public var crc: UInt32
        public var compressedSize: Int
        public var size: Int
        var localHeaderOffset: Int
    }

    public enum Failure: Error, Equatable, Sendable {
        case notAnArchive
        case truncated
        case unsupported(String)
        case tooManyEntries(limit: Int)
        case entryTooLarge(name: String, limit: Int)
        case corrupt(String)
    }

    public static let maxEntries = 1000
    /// A deflated entry may not claim more than this many times its compressed size.
    public static let maxRatio = 1000

    public let entries: [Entry]
    private let bytes: [UInt8]

    public static func looksLikeArchive(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 0x03 && bytes[3] == 0x04
    }

    public init(_ bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        let end = try Self.endOfCentralDirectory(bytes)
        guard Self.u16(bytes, end + 4) == 0, Self.u16(bytes, end + 6) == 0 else { throw .unsupported("multi-disk archives") }
        let count = Int(Self.u16(bytes, end + 10))
        let size = Int(Self.u32(bytes, end + 12)), offset = Int(Self.u32(bytes, end + 16))
        guard count != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else { throw .unsupported("ZIP64 archives") }
        guard count <= Self.maxEntries else { throw .tooManyEntries(limit: Self.maxEntries) }
        guard offset + size <= end else { throw .corrupt("the central directory lies outside the archive") }
        var entries: [Entry] = []
        var p = offset
        for _ in 0..<count {
            guard p + 46 <= offset + size, Self.u32(bytes, p) == 0x0201_4B50 else { throw .corrupt("a central directory entry is malformed") }
            let flags = Self.u16(bytes, p + 8)
            let nameLength = Int(Self.u16(bytes, p + 28)), extra = Int(Self.u16(bytes, p + 30)), comment = Int(Self.u16(bytes, p + 32))
            guard p + 46 + nameLength + extra + comment <= offset + size else { throw .corrupt("a central directory entry is truncated") }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            if flags & 1 != 0 { throw .unsupported("encrypted entries (\(name))") }
            let entry = Entry(name: name, method: Int(Self.u16(bytes, p + 10)), crc: Self.u32(bytes, p + 16),
                              compressedSize: Int(Self.u32(bytes, p + 20)), size: Int(Self.u32(bytes, p + 24)),
                              localHeaderOffset: Int(Self.u32(bytes, p + 42)))
            guard entry.compressedSize != 0xFFFF_FFFF, entry.size != 0xFFFF_FFFF else { throw .unsupported("ZIP64 entries") }
            entries.append(entry)
            p += 46 + nameLength + extra + comment
        }
        self.entries = entries
    }

    /// The entry's bytes, at most `maxBytes` of them, after checking the method, the declared
    /// sizes and ratio, the local header and the CRC.
    public func contents(of entry: Entry, maxBytes: Int) throws(Failure) -> [UInt8] {
        guard entry.size <= maxBytes else { throw .entryTooLarge(name: entry.name, limit: maxBytes) }
        let h = entry.localHeaderOffset
        guard h + 30 <= bytes.count, Self.u32(bytes, h) == 0x0403_4B50 else { throw .corrupt("the local header of \(entry.name) is missing") }
        let start = h + 30 + Int(Self.u16(bytes, h + 26)) + Int(Self.u16(bytes, h + 28))
        guard start + entry.compressedSize <= bytes.count else { throw .truncated }
        let data = bytes[start..<(start + entry.compressedSize)]
        let out: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else { throw .corrupt("the stored entry \(entry.name) has two sizes") }
            out = Array(data)
        case 8:
            guard entry.size <= max(entry.compressedSize, 1) * Self.maxRatio else {
                throw .corrupt("\(entry.name) claims to expand more than \(Self.maxRatio) times")
            }
            do {
                out = try Inflate.decompress(data, maxOutput: entry.size)
            } catch {
                throw .corrupt("\(entry.name) does not inflate: \(error)")
            }
        default:
            throw .unsupported("compression method \(entry.method) (\(entry.name))")
        }
        guard out.count == entry.size else { throw .corrupt("\(entry.name) is \(out.count) bytes, not \(entry.size)") }
        guard CRC32.checksum(out) == entry.crc else { throw .corrupt("\(entry.name) fails its CRC check") }
        return out
    }

    /// The record is at the end, followed by a comment of at most 65,535 bytes.
    private static func endOfCentralDirectory(_ bytes: [UInt8]) throws(Failure) -> Int {
        guard bytes.count >= 22 else { throw looksLikeArchive(bytes) ? .truncated : .notAnArchive }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var p = bytes.count - 22
        while p >= lowest {
            if u32(bytes, p) == 0x0605_4B50 && p + 22 + Int(u16(bytes, p + 20)) == bytes.count { return p }
            p -= 1
        }
        throw looksLikeArchive(bytes) ? .truncated : .notAnArchive
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
}
