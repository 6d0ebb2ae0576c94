/// A named alarm or state a meter reports (leak, burst, reverse flow, ...), normalised across
/// manufacturers' bit maps (InfoCodeMaps.swift). `code` is the API's vocabulary
/// (`leak`, `burst`, `reverse-flow`, `dry`, `tamper`, `air`, `low-battery`, ...).
public struct InfoCode: Sendable, Hashable {
    public var code: String
    /// Which bit of which map raised it, e.g. bit 12 of Kamstrup `04FF22`.
    public var bit: Int
    /// The map's own wording, e.g. "leak, input A1".
    public var detail: String
    /// How long the condition has lasted when the meter says (MULTICAL 21 3-bit scales), in hours.
    public var durationHours: ClosedRange<Int>?

    public init(code: String, bit: Int, detail: String, durationHours: ClosedRange<Int>? = nil) {
        self.code = code
        self.bit = bit
        self.detail = detail
        self.durationHours = durationHours
    }
}
