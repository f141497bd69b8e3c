import CZMQ
import Foundation

/// A ZeroMQ call that failed: what was attempted and ZeroMQ's reason.
struct ZMQError: Error, CustomStringConvertible {
    let code: Int32
    let description: String

    init(_ attempted: String) {
        code = zmq_errno()
        description = "\(attempted): \(String(cString: zmq_strerror(code)))"
    }

    /// The context is shutting down: the thread using the socket should close it and end.
    var isTermination: Bool { code == ETERM }
}

/// The kernel's ZeroMQ context (its I/O thread and sockets).
final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.handle = handle
    }

    /// Makes every blocking call on the context's sockets return ETERM, so that the
    /// threads using them close them.
    func shutdown() { zmq_ctx_shutdown(handle) }

    /// Waits until every socket is closed and their pending messages are sent (within each socket's linger).
    func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// One ZeroMQ socket, sending and receiving multipart messages. ZeroMQ sockets are not
/// thread-safe: each is used by one thread, or under a lock (iopub).
final class ZMQSocket: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    let name: String

    init(_ context: ZMQContext, type: Int32, name: String) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type) else { throw ZMQError("cannot make the \(name) socket") }
        self.handle = handle
        self.name = name
    }

    func bind(_ endpoint: String) throws(ZMQError) {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("cannot bind the \(name) socket to \(endpoint)") }
    }

    /// How long closing waits for unsent messages (milliseconds).
    func setLinger(_ milliseconds: Int32) {
        var value = milliseconds
        zmq_setsockopt(handle, ZMQ_LINGER, &value, MemoryLayout<Int32>.size)
    }

    /// Sends the frames as one message (retried when a signal interrupts the call).
    func send(_ frames: [[UInt8]]) throws(ZMQError) {
        for (i, frame) in frames.enumerated() {
            let flags = i + 1 < frames.count ? ZMQ_SNDMORE : 0
            while frame.withUnsafeBytes({ zmq_send(handle, $0.baseAddress, $0.count, flags) }) < 0 {
                guard zmq_errno() == EINTR else { throw ZMQError("cannot send on the \(name) socket") }
            }
        }
    }

    /// Receives one message's frames, waiting for it (retried when a signal interrupts the call).
    func receive() throws(ZMQError) -> [[UInt8]] {
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        repeat {
            while zmq_msg_recv(&message, handle, 0) < 0 {
                guard zmq_errno() == EINTR else { throw ZMQError("cannot receive on the \(name) socket") }
            }
            let size = zmq_msg_size(&message)
            let data = zmq_msg_data(&message)!.assumingMemoryBound(to: UInt8.self)
            frames.append(Array(UnsafeBufferPointer(start: data, count: size)))
        } while zmq_msg_more(&message) != 0
        return frames
    }

    /// Whether a message is waiting, after waiting at most `milliseconds` (0: just look).
    func isReadable(within milliseconds: Int) throws(ZMQError) -> Bool {
        var item = zmq_pollitem_t(socket: handle, fd: -1, events: Int16(ZMQ_POLLIN), revents: 0)
        let count = zmq_poll(&item, 1, milliseconds)
        if count < 0 {
            if zmq_errno() == EINTR { return false }
            throw ZMQError("cannot poll the \(name) socket")
        }
        return count > 0
    }

    func close() { zmq_close(handle) }
}
