internal import CShims
internal import Glibc
internal import Synchronization

extension EventLoop {
    func acceptConnections() {
        guard !draining, now >= acceptPausedUntil else { return }
        let config = core.configuration
        for _ in 0..<64 {
            var address = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = fj_accept4(listenFd, &address, &length)
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop accepting briefly instead of spinning on a ready listener.
                    acceptPausedUntil = now + 100_000_000
                    setListenerInterest(false)
                    logEvent("accept failed: out of file descriptors (errno \(errno)); pausing 100 ms")
                    return
                default: return
                }
            }
            if core.connections.add(1, ordering: .relaxed).newValue > config.maxConnections {
                core.connections.subtract(1, ordering: .relaxed)
                refuseOverloaded(fd)
                continue
            }
            Socket.setNoDelay(fd)
            guard fj_epoll_ctl(epfd, FJ_EPOLL_CTL_ADD, fd, FJ_EPOLLIN, UInt64(fd)) == 0 else {
                core.connections.subtract(1, ordering: .relaxed)
                Glibc.close(fd)
                continue
            }
            nextConnectionID &+= 1
            let connection = Connection(fd: fd, id: nextConnectionID, remote: Socket.describe(address),
                                        limits: config.limits,
                                        deadline: now + config.requestHeadTimeout.nanoseconds)
            let slot = Int(fd)
            if slot >= connections.count {
                connections.append(contentsOf: repeatElement(nil, count: slot + 1 - connections.count + 64))
            }
            connections[slot] = connection
            connectionCount += 1
        }
    }

    func setListenerInterest(_ on: Bool) {
        if on {
            _ = fj_epoll_ctl(epfd, FJ_EPOLL_CTL_ADD, listenFd, FJ_EPOLLIN | (1 << 28), Self.listenerToken)
        } else {
            _ = fj_epoll_ctl(epfd, FJ_EPOLL_CTL_DEL, listenFd, 0, 0)
        }
    }

    /// At the connection limit: one best-effort 503 and close, rather than leaving clients in the backlog.
    private func refuseOverloaded(_ fd: Int32) {
        let problem = ProblemDetails(status: 503, detail: "The server is at its connection limit; try again shortly.")
        var out: [UInt8] = []
        ResponseSerializer.append(
            problem.response(headers: ["Retry-After": String(core.configuration.retryAfterSeconds)]),
            framing: .init(keepAlive: false, isHEAD: false, isHTTP11: true, requestID: nextRequestID()),
            date: dateCache.bytes, to: &out)
        out.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, FJ_MSG_NOSIGNAL) }
        Glibc.close(fd)
    }

    /// 15 characters (5 random per process, 1 for the loop, 9 for a counter), so the id is a
    /// Swift small string and costs no allocation on every request.
    func nextRequestID() -> String {
        requestCounter &+= 1
        let hex: StaticString = "0123456789abcdef"
        var id: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &id) { raw -> String in
            hex.withUTF8Buffer { digits in
                let prefix = core.requestIDPrefix.utf8
                var i = 0
                for byte in prefix.prefix(5) {
                    raw[i] = byte
                    i += 1
                }
                raw[5] = digits[index & 15]
                var counter = requestCounter
                for position in stride(from: 14, through: 6, by: -1) {
                    raw[position] = digits[Int(counter & 15)]
                    counter >>= 4
                }
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<15]), as: UTF8.self)
        }
    }

    func logEvent(_ message: String) {
        LogLine.append(level: "warning", message: message, to: &logBuffer)
    }
}
