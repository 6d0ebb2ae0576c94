/// A problem in the spec, reported like a compiler diagnostic: `openapi.yaml:12:5: message`.
struct GeneratorError: Error, Equatable, CustomStringConvertible {
    var file: String
    var mark: YAMLMark
    var message: String

    var description: String { "\(file):\(mark.line):\(mark.column): \(message)" }
}
