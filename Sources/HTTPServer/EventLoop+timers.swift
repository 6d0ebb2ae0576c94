/// Deadlines and graceful draining, checked four times a second.
extension EventLoop {
    func scanTimers() {
        if acceptPausedUntil != 0 && now >= acceptPausedUntil && !draining {
            acceptPausedUntil = 0
            setListenerInterest(true)
        }
        let config = core.configuration
        for slot in connections.indices {
            guard let c = connections[slot], !c.isClosed else { continue }
            if c.hasPendingOutput && now > c.writeDeadline {
                close(c)
                continue
            }
            if draining && c.phase == .head && c.input.isEmpty && c.deadlineKind == .idle {
                close(c)
                continue
            }
            guard c.deadlineKind != .none, now > c.deadline else { continue }
            switch c.deadlineKind {
            case .idle, .linger:
                close(c)
            case .head:
                fail(c, HTTPParseError(408, "The request head was not received within \(config.requestHeadTimeout)."))
            case .body:
                fail(c, HTTPParseError(408, "The request body was not received within \(config.requestBodyTimeout)."))
            case .none:
                break
            }
        }
    }

    /// Stop accepting; idle connections close now, busy ones after their current response.
    func beginDrain(deadline: UInt64) {
        guard !draining else { return }
        draining = true
        drainDeadline = deadline
        setListenerInterest(false)
        cancelStreams()
        scanTimers()
    }

    func shouldExit() -> Bool {
        if connectionCount == 0 && inFlight == 0 { return true }
        guard now >= drainDeadline else { return false }
        for slot in connections.indices {
            if let c = connections[slot] { close(c) }
        }
        return true
    }
}
