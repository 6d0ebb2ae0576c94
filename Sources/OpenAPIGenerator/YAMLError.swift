/// Why and where the reader rejected its input.
struct YAMLError: Error, Equatable, CustomStringConvertible {
    var message: String
    var mark: YAMLMark
    var description: String { "\(mark.line):\(mark.column): \(message)" }
}
