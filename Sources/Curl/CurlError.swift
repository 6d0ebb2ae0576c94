internal import CCurl

/// A libcurl failure: the CURLcode and libcurl's own words for it.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(_ code: CURLcode) {
        self.code = Int32(code.rawValue)
        self.message = String(cString: curl_easy_strerror(code))
    }

    public var description: String { "curl error \(code): \(message)" }
}
