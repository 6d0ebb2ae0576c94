/// The part of OpenAPI 3.1 the generator understands, after `$ref`s to responses, parameters,
/// headers and request bodies are inlined. Schema `$ref`s stay references so each component
/// becomes one Swift type.
struct Document {
    var schemas: [NamedSchema]
    var operations: [Operation]
}

struct NamedSchema {
    var name: String
    var schema: Schema
}

struct Schema {
    indirect enum Kind {
        case string(minLength: Int?, maxLength: Int?, pattern: String?)
        case dateTime
        case date
        case uuid
        case stringEnum([String])
        case integer(NumberRules)
        case number(NumberRules)
        case boolean
        case array(items: Schema, minItems: Int?, maxItems: Int?)
        case object(ObjectSchema)
        /// `additionalProperties: <schema>` without `properties`: a `[String: T]`.
        case map(Schema)
        /// `{}`: any JSON value.
        case any
        /// A component schema name.
        case ref(String)
    }

    var kind: Kind
    /// From `type: [T, "null"]`.
    var nullable = false
    var description: String?
    var mark: YAMLMark
}

/// Bounds kept as source text so the generated literal matches what the spec says.
struct NumberRules {
    var minimum: String?
    var maximum: String?
    var exclusiveMinimum: String?
    var exclusiveMaximum: String?
}

struct ObjectSchema {
    var properties: [Property]
    /// false: unknown members are errors. true: they are ignored (JSON Schema's default).
    var additionalPropertiesAllowed: Bool
}

struct Property {
    var name: String
    var schema: Schema
    var required: Bool
}

enum ParameterLocation: String {
    case path, query, header
}

struct Parameter {
    var name: String
    var location: ParameterLocation
    var required: Bool
    /// A scalar schema, or (query only) an array of scalars.
    var schema: Schema
    var description: String?
    var mark: YAMLMark
}

enum BodyContent {
    /// `application/json` (responses also `application/problem+json`, `application/geo+json`) with a schema.
    case json(mediaType: String, schema: Schema)
    /// Bytes passed through untouched: text/csv, text/plain, application/yaml, application/octet-stream.
    case raw(mediaType: String)
    /// A response body produced while it is sent (`text/event-stream`): `any HTTPBodyStream`.
    case stream(mediaType: String)
    /// A response that is one of several raw media types (a report as CSV or SVG): the
    /// handler names the one it wrote.
    case rawChoice(mediaTypes: [String])
}

struct RequestBody {
    var required: Bool
    var content: BodyContent
    var description: String?
}

struct ResponseHeader {
    var name: String
    var required: Bool
    var schema: Schema
    var description: String?
}

struct Response {
    /// nil for `default`.
    var status: Int?
    var description: String?
    var headers: [ResponseHeader]
    var content: BodyContent?
}

struct Operation {
    var id: String
    var method: String
    var path: String
    var summary: String?
    var description: String?
    var parameters: [Parameter]
    var requestBody: RequestBody?
    var responses: [Response]
    var permission: String?
    var maxBodySize: Int?
    var isPublic: Bool
    var mark: YAMLMark

    /// `#/paths/~1v1~1info/get`, for `- Remark:` lines.
    var pointer: String {
        "#/paths/" + path.replacing("~", with: "~0").replacing("/", with: "~1") + "/" + method
    }
}
