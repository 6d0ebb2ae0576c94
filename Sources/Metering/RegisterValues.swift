/// The register values of one reading: a presence mask over `Register` and the values, inline
/// (no heap allocation per reading on the ingest path).
public struct RegisterValues: Sendable, Hashable {
    public private(set) var mask: UInt32 = 0
    private var storage = InlineArray<24, Double>(repeating: 0)

    public init() {}

    public subscript(register: Register) -> Double? {
        get { mask & (1 << register.rawValue) != 0 ? storage[Int(register.rawValue)] : nil }
        set {
            let bit = UInt32(1) << register.rawValue
            if let newValue, newValue.isFinite {
                storage[Int(register.rawValue)] = newValue
                mask |= bit
            } else {
                storage[Int(register.rawValue)] = 0
                mask &= ~bit
            }
        }
    }

    public var isEmpty: Bool { mask == 0 }

    /// The present registers in `Register` order.
    public var entries: [(register: Register, value: Double)] {
        Register.allCases.compactMap { r in self[r].map { (r, $0) } }
    }

    /// `other`'s values where it has them, ours elsewhere: how a partial telegram (an alarm or
    /// an hourly package) joins the reading of its time.
    public func merging(_ other: RegisterValues) -> RegisterValues {
        var out = self
        for r in Register.allCases { if let v = other[r] { out[r] = v } }
        return out
    }

    public static func == (a: RegisterValues, b: RegisterValues) -> Bool {
        guard a.mask == b.mask else { return false }
        for r in Register.allCases where a.mask & (1 << r.rawValue) != 0 {
            if a.storage[Int(r.rawValue)] != b.storage[Int(r.rawValue)] { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(mask)
        for r in Register.allCases where mask & (1 << r.rawValue) != 0 { hasher.combine(storage[Int(r.rawValue)]) }
    }
}
