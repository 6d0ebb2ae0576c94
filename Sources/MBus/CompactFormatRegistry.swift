// PLACEHOLDER of the base commit: replaced by the Kamstrup compact-frame work before merging.
public final class CompactFormatRegistry: Sendable {
    public init() {}
}
