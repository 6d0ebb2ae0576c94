internal import CCurl
internal import Glibc

/// What a finished transfer yields: the last reply code, the final response's header fields
/// (HTTP only) and the body received.
struct TransferResult: Sendable {
    var responseCode: Int
    var headers: [HTTPField]
    var body: [UInt8]
}

/// One easy handle and everything its callbacks touch, alive from configuration until the
/// engine finishes it. Only one thread uses it at a time: the caller while configuring, then
/// the engine's thread (hand-over under the engine's mutex).
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    /// The request body (HTTP) or message (SMTP): a copy libcurl reads from, stable in memory.
    private var upload = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var uploadOffset = 0
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private let maxResponseBytes: Int
    private var body: [UInt8] = []
    private var headers: [HTTPField] = []
    private var tooLarge = false
    /// Set before submission, resumed once by the engine.
    var continuation: CheckedContinuation<Result<TransferResult, CurlError>, Never>?
    /// Guarded by the engine's mutex: the caller's task was cancelled, even before submission.
    var cancelRequested = false

    /// A handle with what every call shares: no signals, only `protocols`, no redirects, our
    /// error buffer and body sink, whole-transfer and connect timeouts, TLS verification.
    init(protocols: String, timeoutSeconds: Int, connectTimeoutSeconds: Int, verifyPeer: Bool, caFile: String?,
         maxResponseBytes: Int) throws(CurlError) {
        CurlEngine.initialiseLibrary()
        guard let easy = curl_easy_init() else {
            errorBuffer.deallocate()
            throw CurlError(CURLE_OUT_OF_MEMORY)
        }
        self.easy = easy
        self.maxResponseBytes = max(0, maxResponseBytes)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let me = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, protocols)
        try set(CURLOPT_REDIR_PROTOCOLS_STR, protocols)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try check(fj_curl_setopt_ptr(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(fj_curl_setopt_write(easy, { data, size, count, me in
            Unmanaged<Transfer>.fromOpaque(me!).takeUnretainedValue().received(data, size * count)
        }))
        try check(fj_curl_setopt_ptr(easy, CURLOPT_WRITEDATA, me))
        // Whole seconds, at least one: 0 would mean "never" to libcurl.
        try set(CURLOPT_TIMEOUT_MS, max(1, timeoutSeconds) * 1000)
        try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, min(connectTimeoutSeconds, max(1, timeoutSeconds))) * 1000)
        try set(CURLOPT_SSL_VERIFYPEER, verifyPeer ? 1 : 0)
        try set(CURLOPT_SSL_VERIFYHOST, verifyPeer ? 2 : 0)
        if let caFile { try set(CURLOPT_CAINFO, caFile) }
        // Fails early when the peer announces a larger body; `received` catches the rest.
        try check(fj_curl_setopt_off(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(self.maxResponseBytes)))
    }

    deinit {
        curl_easy_cleanup(easy)
        for list in lists { curl_slist_free_all(list) }
        upload.deallocate()
        errorBuffer.deallocate()
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(fj_curl_setopt_long(easy, option, value))
    }

    /// libcurl copies string options (all but POSTFIELDS, which is never set from here).
    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        guard !value.utf8.contains(0) else { throw CurlError(CURLE_BAD_FUNCTION_ARGUMENT, "a NUL byte in an option") }
        try check(value.withCString { fj_curl_setopt_str(easy, option, $0) })
    }

    /// A string list option (headers, recipients); the list lives as long as the handle.
    func set(_ option: CURLoption, list items: [String]) throws(CurlError) {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for item in items {
            guard let appended = curl_slist_append(list, item) else {
                curl_slist_free_all(list)
                throw CurlError(CURLE_OUT_OF_MEMORY)
            }
            list = appended
        }
        guard let list else { return }
        lists.append(list)
        try check(fj_curl_setopt_slist(easy, option, list))
    }

    /// Copies `bytes` for libcurl to read: as POST fields (HTTP) or through the read callback (SMTP).
    func setUpload(_ bytes: [UInt8], asPostFields: Bool) throws(CurlError) {
        upload.deallocate()
        upload = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        bytes.withUnsafeBytes { upload.copyMemory(from: $0) }
        uploadOffset = 0
        if asPostFields {
            try check(fj_curl_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)))
            try check(fj_curl_setopt_ptr(easy, CURLOPT_POSTFIELDS, upload.baseAddress))
        } else {
            try set(CURLOPT_UPLOAD, 1)
            try check(fj_curl_setopt_off(easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(bytes.count)))
            try check(fj_curl_setopt_read(easy, { buffer, size, count, me in
                Unmanaged<Transfer>.fromOpaque(me!).takeUnretainedValue().read(into: buffer, size * count)
            }))
            try check(fj_curl_setopt_ptr(easy, CURLOPT_READDATA, Unmanaged.passUnretained(self).toOpaque()))
        }
        uploadLength = bytes.count
    }
    private var uploadLength = 0

    /// Collect the response's header fields (HTTP).
    func collectHeaders() throws(CurlError) {
        try check(fj_curl_setopt_header(easy, { data, size, count, me in
            Unmanaged<Transfer>.fromOpaque(me!).takeUnretainedValue().headerLine(data, size * count)
        }))
        try check(fj_curl_setopt_ptr(easy, CURLOPT_HEADERDATA, Unmanaged.passUnretained(self).toOpaque()))
    }

    private func check(_ code: CURLcode) throws(CurlError) {
        guard code == CURLE_OK else { throw CurlError(code) }
    }

    // MARK: Callbacks (the engine's thread)

    private func received(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        guard body.count + count <= maxResponseBytes else {
            tooLarge = true
            return 0 // libcurl stops with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    private func read(into buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
        guard let buffer, capacity > 0 else { return 0 }
        let n = min(capacity, uploadLength - uploadOffset)
        guard n > 0 else { return 0 }
        UnsafeMutableRawPointer(buffer).copyMemory(from: upload.baseAddress! + uploadOffset, byteCount: n)
        uploadOffset += n
        return n
    }

    private func headerLine(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard count > 0, let data else { return count }
        let line = UnsafeRawBufferPointer(start: data, count: count)
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll() // a new response (after 100 Continue): only the final one counts
            return count
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return count }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A { value = value.dropLast() }
        headers.append(HTTPField(name: name, value: String(decoding: value, as: UTF8.self)))
        return count
    }

    // MARK: Completion (the engine's thread, after the handle left the multi handle)

    /// The outcome of `code`, with libcurl's detailed message and the peer's last reply code.
    func result(_ code: CURLcode) -> Result<TransferResult, CurlError> {
        var responseCode = 0
        _ = fj_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &responseCode)
        guard code == CURLE_OK else {
            if tooLarge || code == CURLE_FILESIZE_EXCEEDED {
                return .failure(CurlError(code: Int32(CURLE_FILESIZE_EXCEEDED.rawValue),
                                          message: "the response is larger than \(maxResponseBytes) bytes",
                                          responseCode: responseCode == 0 ? nil : responseCode))
            }
            var error = CurlError(code)
            if errorBuffer.pointee != 0 { error.message = String(cString: errorBuffer) }
            error.responseCode = responseCode == 0 ? nil : responseCode
            return .failure(error)
        }
        return .success(TransferResult(responseCode: responseCode, headers: headers, body: body))
    }
}
