extension Translator {
    /// `Types.swift`: `Components.Schemas`, one type per component schema.
    func componentDecls() -> [SwiftDecl] {
        var members: [SwiftDecl] = []
        for named in document.schemas {
            let pointer = "#/components/schemas/" + named.name
            switch named.schema.kind {
            case .object(let object):
                members.append(structDecl(name: named.name, qualified: "Components.Schemas." + named.name, object: object,
                                          description: named.schema.description, pointer: pointer))
            case .stringEnum(let values):
                members.append(enumDecl(name: named.name, values: values, description: named.schema.description, pointer: pointer))
            default:
                var nested: [SwiftDecl] = []
                let type = resolve(named.schema, name: named.name, scope: "Components.Schemas", pointer: pointer, nested: &nested)
                members += nested
                members.append(.line("public typealias \(named.name) = \(type.swift)",
                                     docs: Self.docs(named.schema.description, remark: pointer)))
            }
        }
        return [.block(docs: ["/// Types from `#/components`."], header: "public enum Components", members: [
            .block(docs: ["/// Types from `#/components/schemas`."], header: "public enum Schemas", members: members),
        ])]
    }
}
