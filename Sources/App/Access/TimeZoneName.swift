internal import Glibc

/// IANA time zone names, checked against the system's tz database (Debian's `tzdata`):
/// FoundationEssentials carries no zone data, and pulling in all of Foundation for one check
/// would cost every request its memory.
enum TimeZoneName {
    static let directory = "/usr/share/zoneinfo"

    static func isValid(_ name: String) -> Bool {
        if name == "UTC" { return true }
        guard !name.isEmpty, name.utf8.count <= 64, !name.hasPrefix("/"), !name.contains(".."),
              name.utf8.allSatisfy({ b in
                  (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                      || b == 0x2F || b == 0x5F || b == 0x2D || b == 0x2B
              }) else { return false }
        var info = stat()
        // A zone is a regular file; directories (`Europe`) and the tables beside them are not.
        return stat(directory + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            && !name.hasSuffix(".tab") && name != "leapseconds" && name != "tzdata.zi"
    }
}
