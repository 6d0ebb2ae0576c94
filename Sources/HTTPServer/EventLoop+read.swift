internal import CShims
internal import Glibc

/// Receiving: bytes → head → body → a dispatched request.
extension EventLoop {
    func onReadable(_ c: Connection, scratch: UnsafeMutableRawBufferPointer) {
        if c.phase == .closing || c.phase == .streaming {
            // A streaming client has nothing more to say; reading on notices when it leaves.
            discardInput(c, scratch: scratch)
            return
        }
        while !c.isClosed {
            if c.phase == .awaitingResponse && c.input.count >= core.configuration.maxPipelineBuffer {
                c.readPaused = true
                updateInterest(c)
                return
            }
            let want = c.phase == .body ? 64 * 1024 : 4096
            let space = c.input.writable(minimum: want)
            let n = recv(c.fd, space.baseAddress, space.count, 0)
            if n > 0 {
                c.input.commit(n)
                process(c)
                if n < space.count { return }
                continue
            }
            if n == 0 {
                peerClosed(c)
                return
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return
            default:
                close(c)
                return
            }
        }
    }

    /// The client finished sending. A request being handled is still answered; anything else ends here.
    private func peerClosed(_ c: Connection) {
        c.peerClosed = true
        if c.phase == .awaitingResponse || c.hasPendingOutput {
            c.closeAfterResponse = true
            updateInterest(c)
        } else {
            close(c)
        }
    }

    /// After an error response: read and drop what the client still sends, so closing does not
    /// reset the connection before it has read our answer.
    private func discardInput(_ c: Connection, scratch: UnsafeMutableRawBufferPointer) {
        while true {
            let n = recv(c.fd, scratch.baseAddress, scratch.count, 0)
            if n > 0 { continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            close(c)
            return
        }
    }

    /// Advances the connection's request as far as the buffered bytes allow.
    func process(_ c: Connection) {
        guard !c.isProcessing else { return }
        c.isProcessing = true
        defer { c.isProcessing = false }
        while !c.isClosed {
            switch c.phase {
            case .head:
                if c.input.isEmpty { return }
                if c.deadlineKind == .idle {
                    c.deadlineKind = .head
                    c.deadline = now + core.configuration.requestHeadTimeout.nanoseconds
                }
                switch c.parser.parse(c.input.readable) {
                case .needMore:
                    return
                case .failure(let error):
                    fail(c, error)
                    return
                case .complete(let consumed):
                    let head = c.parser.head!
                    c.parser.reset()
                    c.input.consume(consumed)
                    begin(c, head)
                }
            case .body:
                if c.input.isEmpty { return }
                if c.chunked != nil {
                    switch c.chunked!.decode(c.input.readable, into: &c.body) {
                    case .needMore:
                        c.input.consume(c.input.count)
                        return
                    case .done(let consumed):
                        c.input.consume(consumed)
                        c.chunked = nil
                        dispatch(c)
                    case .failure(let error):
                        fail(c, error)
                        return
                    }
                } else {
                    let n = min(c.bodyRemaining, c.input.count)
                    c.body.append(contentsOf: UnsafeRawBufferPointer(rebasing: c.input.readable.prefix(n)))
                    c.input.consume(n)
                    c.bodyRemaining -= n
                    if c.bodyRemaining > 0 { return }
                    dispatch(c)
                }
            case .awaitingResponse, .streaming, .closing:
                return
            }
        }
    }

    private func begin(_ c: Connection, _ head: HTTPRequestHead) {
        c.head = head
        guard head.hasBody else {
            dispatch(c)
            return
        }
        // Asked only when a body comes: the answer costs a route match.
        let maxBody = core.responder.maxBodySize(method: head.method, path: head.path)
            ?? core.configuration.limits.maxBodySize
        if let length = head.contentLength, length > maxBody {
            fail(c, HTTPParseError(413, "The request body is larger than \(maxBody) bytes."))
            return
        }
        if head.expectContinue && c.input.isEmpty {
            c.output.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
            flush(c)
            if c.isClosed { return }
        }
        c.body = []
        if head.isChunked {
            c.chunked = ChunkedDecoder(limits: core.configuration.limits, maxBody: maxBody)
        } else {
            c.bodyRemaining = head.contentLength ?? 0
            c.body.reserveCapacity(min(c.bodyRemaining, 1 << 20))
        }
        c.phase = .body
        c.deadlineKind = .body
        c.deadline = now + core.configuration.requestBodyTimeout.nanoseconds
    }

    func updateInterest(_ c: Connection) {
        var events: UInt32 = 0
        if !c.readPaused && !c.peerClosed { events |= FJ_EPOLLIN }
        if c.wantWrite { events |= FJ_EPOLLOUT }
        _ = fj_epoll_ctl(epfd, FJ_EPOLL_CTL_MOD, c.fd, events, UInt64(c.fd))
    }
}
