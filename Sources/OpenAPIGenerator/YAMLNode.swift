/// A 1-based source position. `column` counts characters (extended grapheme
/// clusters) of the line as an editor shows them; a tab counts as one.
struct YAMLMark: Hashable, Sendable {
    var line: Int
    var column: Int
}

/// How a scalar was written. Only `.plain` scalars are resolved by the core
/// schema (null, bool, int, float); quoted and block scalars are always strings.
enum YAMLScalarStyle: Sendable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// One `key: value` entry of a mapping; keys are always scalars.
struct YAMLPair: Sendable {
    var key: String
    var keyMark: YAMLMark
    var value: YAMLNode
}

/// A parsed YAML node. Marks point at the first character of the node: the
/// first key of a block mapping, the first '-' of a block sequence, the
/// opening bracket or quote, the '|' or '>' indicator. An empty value
/// (`key:`) is the plain scalar "" marked just after its ':' or '-'.
indirect enum YAMLNode: Sendable {
    case scalar(String, YAMLScalarStyle, YAMLMark)
    case sequence([YAMLNode], YAMLMark)
    case mapping([YAMLPair], YAMLMark)   // in document order
}
