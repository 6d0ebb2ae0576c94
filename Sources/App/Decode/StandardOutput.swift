internal import Glibc

/// Whole lines straight to fd 1: one `write` per answer, so a tool reading `fjern decode --jsonl`
/// through a pipe sees each answer as soon as it is made (stdio would hold them in its buffer).
enum StandardOutput {
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return // stdout closed (EPIPE): nobody is reading any more
                }
            }
        }
    }
}
