/// The small Swift IR between translation and text: nested blocks (types, extensions,
/// functions) and runs of plain lines. Indentation and spacing are the renderer's job.
indirect enum SwiftDecl {
    /// `header {` members `}` (a type, extension, function or switch).
    case block(docs: [String], header: String, members: [SwiftDecl])
    /// Lines at the current indentation (a property, a case, a statement).
    case lines(docs: [String], [String])

    static func line(_ text: String, docs: [String] = []) -> SwiftDecl { .lines(docs: docs, [text]) }
}

/// Renders declarations with four-space indentation and a blank line around every block
/// and documented member, so generated files read like hand-written ones.
enum SwiftRenderer {
    static func render(_ decls: [SwiftDecl], indent: String = "") -> String {
        var out = ""
        var previousWasBlockOrDoc = false
        for (i, decl) in decls.enumerated() {
            let isBlockOrDoc: Bool
            switch decl {
            case .block: isBlockOrDoc = true
            case .lines(let docs, _): isBlockOrDoc = !docs.isEmpty
            }
            if i > 0 && (isBlockOrDoc || previousWasBlockOrDoc) && !isStatementBlock(decl) { out += "\n" }
            previousWasBlockOrDoc = isBlockOrDoc && !isStatementBlock(decl)
            switch decl {
            case .block(let docs, let header, let members):
                for doc in docs { out += indent + doc + "\n" }
                if members.isEmpty {
                    out += indent + header + " {}\n"
                } else {
                    out += indent + header + " {\n"
                    // Swift style keeps `case` labels level with their `switch`.
                    out += render(members, indent: header.hasPrefix("switch ") ? indent : indent + "    ")
                    out += indent + "}\n"
                }
            case .lines(let docs, let lines):
                for doc in docs { out += indent + doc + "\n" }
                for line in lines { out += (line.isEmpty ? "" : indent + line) + "\n" }
            }
        }
        return out
    }

    /// `switch`, `if`, `for` and `case` blocks inside function bodies are not separated by blank lines.
    static func isStatementBlock(_ decl: SwiftDecl) -> Bool {
        guard case .block(let docs, let header, _) = decl, docs.isEmpty else { return false }
        return ["switch ", "if ", "for ", "guard ", "case ", "default:", "do", "} else"].contains { header.hasPrefix($0) }
    }
}
