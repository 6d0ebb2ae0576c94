internal import CShims
internal import Glibc
internal import Synchronization

/// Streamed responses: the head goes out at once, then one chunk per `HTTPBodyStream.next()`.
///
/// The pump is a task preferring this loop as its executor, so everything between its awaits
/// runs on the loop thread and may touch the connection. It asks for the next chunk only
/// while less than `highWater` bytes wait for the kernel (backpressure), and it is cancelled
/// when the connection closes (client gone, write timeout) or the server drains.
extension EventLoop {
    static let streamHighWater = 64 * 1024

    /// Sends the head of a streamed response and starts its pump; false when the stream limit
    /// is reached (the caller answers 503 instead).
    func startStream(_ c: Connection, _ response: HTTPResponse, _ stream: any HTTPBodyStream) -> Bool {
        guard core.streams.add(1, ordering: .relaxed).newValue <= core.configuration.maxStreams else {
            core.streams.subtract(1, ordering: .relaxed)
            return false
        }
        c.holdsStreamSlot = true
        let head = c.head
        let isHTTP11 = head?.isHTTP11 ?? true
        ResponseSerializer.append(
            response,
            framing: .init(keepAlive: false, isHEAD: false, isHTTP11: isHTTP11, requestID: c.requestID,
                           stream: isHTTP11 ? .chunked : .untilClose),
            date: dateCache.bytes, to: &c.output)
        logResponse(c, response)
        c.head = nil
        c.phase = .streaming
        c.deadlineKind = .none
        c.closeAfterResponse = true
        c.streamChunked = isHTTP11
        flush(c)
        if c.isClosed { return true }
        // Reading goes on (and drops what comes) so a client that leaves is noticed at once.
        c.input.consume(c.input.count)
        if c.readPaused {
            c.readPaused = false
            updateInterest(c)
        }
        let fd = c.fd, id = c.id
        c.streamTask = Task(executorPreference: self) {
            await self.pump(stream, fd: fd, id: id)
        }
        return true
    }

    private func streaming(fd: Int32, id: UInt64) -> Connection? {
        guard Int(fd) < connections.count, let c = connections[Int(fd)], c.id == id, !c.isClosed,
              c.phase == .streaming else { return nil }
        return c
    }

    private func pump(_ stream: any HTTPBodyStream, fd: Int32, id: UInt64) async {
        while true {
            guard let c = streaming(fd: fd, id: id) else { return }
            if Task.isCancelled {
                endStream(c)
                return
            }
            if c.output.count - c.outputOffset > Self.streamHighWater {
                await withCheckedContinuation { c.drainWaiter = $0 }
                continue
            }
            let chunk = await stream.next()
            now = monotonicNanos()
            guard let c = streaming(fd: fd, id: id) else { return }
            guard let chunk else {
                endStream(c)
                return
            }
            if chunk.isEmpty { continue }
            // The write timeout counts from the first byte left waiting, not from the last write.
            if !c.hasPendingOutput { c.writeDeadline = now + core.configuration.writeTimeout.nanoseconds }
            if c.streamChunked {
                ResponseSerializer.appendChunk(chunk, to: &c.output)
            } else {
                c.output.append(contentsOf: chunk)
            }
            flush(c)
        }
    }

    /// The body is complete: the last chunk, then the connection closes after it is sent.
    func endStream(_ c: Connection) {
        guard c.phase == .streaming else { return }
        if c.streamChunked { c.output.append(contentsOf: "0\r\n\r\n".utf8) }
        releaseStream(c)
        beginClosing(c)
    }

    /// Frees the stream's slot and stops its pump; once, when the stream ends or the connection closes.
    func releaseStream(_ c: Connection) {
        guard c.holdsStreamSlot else { return }
        c.holdsStreamSlot = false
        core.streams.subtract(1, ordering: .relaxed)
        c.streamTask?.cancel()
        c.streamTask = nil
        wakeStreamProducer(c)
    }

    func wakeStreamProducer(_ c: Connection) {
        if let waiter = c.drainWaiter {
            c.drainWaiter = nil
            waiter.resume()
        }
    }

    /// Shutdown: every stream's producer is cancelled, so its body ends with the drain.
    func cancelStreams() {
        for slot in connections.indices {
            guard let c = connections[slot], !c.isClosed, c.phase == .streaming else { continue }
            c.streamTask?.cancel()
            wakeStreamProducer(c)
        }
    }
}
