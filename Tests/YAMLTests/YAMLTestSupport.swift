#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import OpenAPIGenerator

/// Compact rendering for exact tree comparisons: plain scalars bare (the empty
/// plain scalar as `()`), quoted ones as 'x' / "x", block scalars as |"x" / >"x";
/// `[a, b]` and `{k: v}` for collections. Newlines and tabs are escaped.
func render(_ node: YAMLNode) -> String {
    switch node {
    case .scalar(let text, let style, _):
        let body = escaped(text)
        switch style {
        case .plain: return text.isEmpty ? "()" : body
        case .singleQuoted: return "'\(body)'"
        case .doubleQuoted: return "\"\(body)\""
        case .literal: return "|\"\(body)\""
        case .folded: return ">\"\(body)\""
        }
    case .sequence(let items, _):
        return "[" + items.map(render).joined(separator: ", ") + "]"
    case .mapping(let pairs, _):
        return "{" + pairs.map { "\(escaped($0.key)): \(render($0.value))" }.joined(separator: ", ") + "}"
    }
}

private func escaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\\": out += "\\\\"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}

/// The rendered tree, or `error L:C: message`.
func tree(_ yaml: String) -> String {
    do {
        return render(try YAMLReader.parse(yaml))
    } catch {
        return "error \(error)"
    }
}

/// Parses input the test expects to be valid; failures show up in the comparison.
func parsed(_ yaml: String) -> YAMLNode {
    do {
        return try YAMLReader.parse(yaml)
    } catch {
        return .scalar("error \(error)", .doubleQuoted, YAMLMark(line: 0, column: 0))
    }
}

func readTextFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { return n == 0 ? String(validating: bytes, as: UTF8.self) : nil }
        bytes.append(contentsOf: buffer[0..<n])
    }
}

extension YAMLMark {
    init(_ line: Int, _ column: Int) { self.init(line: line, column: column) }
}
