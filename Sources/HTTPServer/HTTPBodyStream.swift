/// A response body produced while it is sent (Server-Sent Events, long exports): the server
/// writes each chunk with chunked transfer-encoding as it comes.
///
/// The server asks for the next chunk from one task at a time, and only once the bytes it
/// already has are (nearly) accepted by the kernel: a slow client slows the producer instead
/// of growing a buffer. That task is cancelled when the client disconnects or the server shuts
/// down; `next()` must then return nil promptly (a `Task.sleep` or a cancellation handler).
public protocol HTTPBodyStream: Sendable {
    /// The next chunk of the body, waiting as long as it needs; nil ends the body. An empty
    /// chunk is skipped (it would end the chunked encoding).
    func next() async -> [UInt8]?
}
