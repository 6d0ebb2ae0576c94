internal import CShims
internal import Glibc
internal import Synchronization

/// Handling and answering: a complete request → the responder → bytes on the wire.
extension EventLoop {
    func dispatch(_ c: Connection) {
        guard let head = c.head else { return }
        c.phase = .awaitingResponse
        c.deadlineKind = .none
        c.requestID = Self.clientRequestID(head.headers) ?? nextRequestID()
        c.requestStart = now
        if draining { c.closeAfterResponse = true }
        if core.inFlight.add(1, ordering: .relaxed).newValue > core.configuration.maxInFlightRequests {
            core.inFlight.subtract(1, ordering: .relaxed)
            let problem = ProblemDetails(status: 503, detail: "The server is busy; try again shortly.")
            respond(c, problem.response(headers: ["Retry-After": String(core.configuration.retryAfterSeconds)]))
            return
        }
        inFlight += 1
        let request = HTTPRequest(method: head.method, path: head.path, query: head.query, headers: head.headers,
                                  body: c.body, requestID: c.requestID, remoteAddress: c.remote)
        c.body = []
        let fd = c.fd, id = c.id, responder = core.responder, log = core.log
        if core.configuration.handlerPlacement.runsOnPool(bodySize: request.body.count) {
            Task(executorPreference: core.workers) {
                let response = await Self.invoke(responder, request, log: log)
                self.complete(fd: fd, id: id, response: response)
            }
        } else {
            Task(executorPreference: self) {
                let response = await Self.invoke(responder, request, log: log)
                self.complete(fd: fd, id: id, response: response)
            }
        }
    }

    /// The one place where handler errors become responses.
    static func invoke(_ responder: any HTTPResponder, _ request: HTTPRequest, log: any LogSink) async -> HTTPResponse {
        do {
            return try await responder.respond(to: request)
        } catch let error as any HTTPResponseError {
            return error.problem.response(headers: error.responseHeaders)
        } catch {
            // Never echo internal error text to the client; the request id ties the log to the answer.
            log.write(LogLine.make(level: "error", message: "unhandled error",
                                   fields: [("requestId", request.requestID), ("error", String(describing: error))]))
            return ProblemDetails(status: 500, detail: "An internal error occurred; quote request id \(request.requestID).")
                .response()
        }
    }

    /// Called when a handler returns; hops to the loop thread if the task ended elsewhere.
    func complete(fd: Int32, id: UInt64, response: HTTPResponse) {
        guard isOnLoopThread else {
            if !push(.call { self.complete(fd: fd, id: id, response: response) }) {
                core.inFlight.subtract(1, ordering: .relaxed)
            }
            return
        }
        inFlight -= 1
        core.inFlight.subtract(1, ordering: .relaxed)
        guard Int(fd) < connections.count, let c = connections[Int(fd)], c.id == id, !c.isClosed else { return }
        now = monotonicNanos()
        respond(c, response)
    }

    /// Serialises `response` for the connection's current request and moves on to the next one.
    func respond(_ c: Connection, _ response: HTTPResponse) {
        if let stream = response.stream {
            let bodyAllowed = !(response.status < 200 || response.status == 204 || response.status == 304)
            if bodyAllowed && c.head?.method != .head && !draining {
                if startStream(c, response, stream) { return }
                let problem = ProblemDetails(status: 503, detail: "Too many streams are open; try again shortly.")
                respond(c, problem.response(headers: ["Retry-After": String(core.configuration.retryAfterSeconds)]))
                return
            }
            // HEAD, a bodiless status or a draining server: the head alone, the stream unused.
            var whole = response
            whole.stream = nil
            respond(c, whole)
            return
        }
        let head = c.head
        let keepAlive = (head?.keepAlive ?? false) && !c.closeAfterResponse && !draining
        ResponseSerializer.append(
            response,
            framing: .init(keepAlive: keepAlive, isHEAD: head?.method == .head, isHTTP11: head?.isHTTP11 ?? true,
                           requestID: c.requestID),
            date: dateCache.bytes, to: &c.output)
        logResponse(c, response)
        c.head = nil
        if keepAlive {
            c.phase = .head
            c.deadlineKind = .idle
            c.deadline = now + core.configuration.idleTimeout.nanoseconds
            c.input.shrinkIfIdle()
            flush(c)
            if c.isClosed { return }
            if c.readPaused {
                c.readPaused = false
                updateInterest(c)
            }
            process(c)
        } else {
            beginClosing(c)
        }
    }

    func logResponse(_ c: Connection, _ response: HTTPResponse) {
        guard core.configuration.logRequests else { return }
        RequestLogLine.append(method: c.head?.method ?? HTTPMethod(rawValue: "-"), route: response.route,
                              path: c.head?.path ?? "", status: response.status,
                              durationNanos: now &- c.requestStart, requestID: c.requestID, remote: c.remote,
                              wallSeconds: time(nil), to: &logBuffer)
    }

    /// A request that cannot be served: answer its problem, then close.
    func fail(_ c: Connection, _ error: HTTPParseError) {
        // A request refused before dispatch gets an id of its own (the previous request's is stale).
        if c.phase != .awaitingResponse {
            c.requestID = c.head.flatMap { Self.clientRequestID($0.headers) } ?? nextRequestID()
            c.requestStart = now
        }
        c.phase = .awaitingResponse
        let problem = ProblemDetails(status: error.status, detail: error.detail)
        c.closeAfterResponse = true
        respond(c, problem.response())
    }

    func beginClosing(_ c: Connection) {
        c.phase = .closing
        c.deadlineKind = .linger
        c.deadline = now + 2_000_000_000
        c.readPaused = false
        flush(c)
    }

    /// Writes pending output; waits for EPOLLOUT when the kernel buffer is full.
    func flush(_ c: Connection) {
        while c.outputOffset < c.output.count {
            let n = c.output.withUnsafeBytes {
                send(c.fd, $0.baseAddress! + c.outputOffset, $0.count - c.outputOffset, FJ_MSG_NOSIGNAL)
            }
            if n > 0 {
                c.outputOffset += n
                c.writeDeadline = now + core.configuration.writeTimeout.nanoseconds
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                if !c.wantWrite {
                    c.wantWrite = true
                    updateInterest(c)
                }
                return
            }
            close(c)
            return
        }
        if c.output.capacity > 1 << 20 { c.output = [] } else { c.output.removeAll(keepingCapacity: true) }
        c.outputOffset = 0
        if c.wantWrite {
            c.wantWrite = false
            updateInterest(c)
        }
        if c.phase == .streaming {
            wakeStreamProducer(c)
            return
        }
        if c.phase == .closing {
            if c.peerClosed {
                close(c)
            } else {
                // Half-close: the client sees EOF after our answer; we drain its leftovers until it closes.
                shutdown(c.fd, Int32(SHUT_WR))
            }
        }
    }

    func close(_ c: Connection) {
        guard !c.isClosed else { return }
        c.isClosed = true
        releaseStream(c)
        _ = fj_epoll_ctl(epfd, FJ_EPOLL_CTL_DEL, c.fd, 0, 0)
        Glibc.close(c.fd)
        connections[Int(c.fd)] = nil
        connectionCount -= 1
        core.connections.subtract(1, ordering: .relaxed)
    }

    /// A client's own `X-Request-Id`, when it is short and plain enough to log and echo safely.
    static func clientRequestID(_ headers: HTTPHeaders) -> String? {
        guard let value = headers["X-Request-Id"], !value.isEmpty, value.utf8.count <= 128 else { return nil }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), 0x30...0x39,
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"):
                continue
            default:
                return nil
            }
        }
        return value
    }
}
