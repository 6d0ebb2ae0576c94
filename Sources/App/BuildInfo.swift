/// What is running: reported by `GET /v1/info` and `fjern --version`.
public enum BuildInfo {
    public static let name = "fjern"
    public static let version = "0.1.0"

    public static var configuration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    public static var compiler: String {
        #if compiler(>=6.4)
        "swift-6.4+"
        #elseif compiler(>=6.3)
        "swift-6.3"
        #elseif compiler(>=6.2)
        "swift-6.2"
        #else
        "swift-6.1"
        #endif
    }
}
