internal import HTTPServer

/// RFC 4180 records from bytes: quoted fields may hold separators, doubled quotes and line
/// breaks; CRLF, LF and CR end records; a leading UTF-8 BOM is skipped; blank lines are skipped.
/// Text must be UTF-8. Errors name the 1-based line where they occur.
struct CSVReader {
    struct Failure: Error {
        var line: Int
        var reason: String
    }

    static func records(_ bytes: [UInt8], separator: UInt8) throws(Failure) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var line = 1
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var fieldStarted = false
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        func text(_ bytes: [UInt8], _ line: Int) throws(Failure) -> String {
            guard let s = String(validating: bytes, as: UTF8.self) else { throw Failure(line: line, reason: "is not UTF-8") }
            return s
        }

        while i < bytes.count {
            let b = bytes[i]
            if b == quote && !fieldStarted {
                // A quoted field: up to the closing quote, `""` being one quote.
                let opened = line
                i += 1
                var closed = false
                while i < bytes.count {
                    let q = bytes[i]
                    if q == quote {
                        if i + 1 < bytes.count && bytes[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    if q == lf || (q == cr && (i + 1 == bytes.count || bytes[i + 1] != lf)) { line += 1 }
                    field.append(q)
                    i += 1
                }
                guard closed else { throw Failure(line: opened, reason: "has a quoted field that is never closed") }
                fieldStarted = true
                if i < bytes.count, bytes[i] != separator, bytes[i] != cr, bytes[i] != lf {
                    throw Failure(line: line, reason: "has text after a closing quote")
                }
                continue
            }
            if b == separator {
                record.append(try text(field, line))
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
                i += 1
                continue
            }
            if b == cr || b == lf {
                i += (b == cr && i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
                record.append(try text(field, line))
                if !(record.count == 1 && record[0].isEmpty && !fieldStarted) { records.append(record) }
                record.removeAll(keepingCapacity: true)
                field.removeAll(keepingCapacity: true)
                fieldStarted = false
                line += 1
                continue
            }
            field.append(b)
            fieldStarted = true
            i += 1
        }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            record.append(try text(field, line))
            records.append(record)
        }
        return records
    }
}
