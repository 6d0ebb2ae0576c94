// Minimal driver until the generator exists: parses the YAML file named on the
// command line and reports "ok" or `PATH:LINE:COL: message` (exit code 1).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func report(_ text: String, to fd: Int32) {
    var bytes = Array(text.utf8)
    bytes.append(UInt8(ascii: "\n"))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { return nil }
        if n == 0 { return bytes }
        bytes.append(contentsOf: buffer[0..<n])
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    report("usage: OpenAPIGenerator FILE.yaml", to: 2)
    exit(2)
}
let path = arguments[1]
guard let bytes = readFile(path) else {
    report("\(path): cannot read the file", to: 2)
    exit(1)
}
guard let text = String(validating: bytes, as: UTF8.self) else {
    report("\(path):1:1: the file is not valid UTF-8", to: 2)
    exit(1)
}
do {
    _ = try YAMLReader.parse(text)
    report("ok", to: 1)
} catch {
    report("\(path):\(error.mark.line):\(error.mark.column): \(error.message)", to: 2)
    exit(1)
}
