/// One client connection's state. Owned by exactly one event loop and touched only on its thread.
final class Connection {
    enum Phase { case head, body, awaitingResponse, streaming, closing }
    enum Deadline { case none, idle, head, body, linger }

    let fd: Int32
    let id: UInt64
    let remote: String
    let input = InputBuffer()
    var parser: HTTPHeadParser
    var phase = Phase.head
    var isClosed = false
    /// True while `process` runs for this connection: an answer given synchronously from inside
    /// it (a 503, an error) continues the same loop instead of re-entering it per pipelined request.
    var isProcessing = false

    // The request being received or handled.
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    var bodyRemaining = 0
    var chunked: ChunkedDecoder?
    var requestID = ""
    var requestStart: UInt64 = 0

    // Output not yet accepted by the kernel.
    var output: [UInt8] = []
    var outputOffset = 0

    var deadlineKind = Deadline.idle
    var deadline: UInt64
    var writeDeadline: UInt64 = 0

    // Epoll interest.
    var readPaused = false
    var wantWrite = false
    var peerClosed = false
    var closeAfterResponse = false

    // A streamed response being sent (phase .streaming).
    var streamTask: Task<Void, Never>?
    var streamChunked = false
    var holdsStreamSlot = false
    /// The producer waiting for the output to drain (backpressure); resumed by flush or close.
    var drainWaiter: CheckedContinuation<Void, Never>?

    init(fd: Int32, id: UInt64, remote: String, limits: HTTPLimits, deadline: UInt64) {
        self.fd = fd
        self.id = id
        self.remote = remote
        self.parser = HTTPHeadParser(limits: limits)
        self.deadline = deadline
    }

    var hasPendingOutput: Bool { outputOffset < output.count }
}
