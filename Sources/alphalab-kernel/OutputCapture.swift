import Foundation

/// The cells' standard output and error as `stream` messages: file descriptors 1 and 2
/// become pipes, and a reader thread publishes what arrives, so that Lua's `print` and
/// `io.write`, the engine's messages and a library's own writes all reach the notebook.
/// `drain()` waits until everything written so far is published, which keeps a cell's
/// text before its result and its idle status.
final class OutputCapture: @unchecked Sendable {
    private let iopub: IOPub
    private let lock = NSLock()
    /// The request the output belongs to (guarded by `lock`).
    private var parent: JupyterMessage?
    /// Read ends of the stdout and stderr pipes, and a pipe that wakes the reader to stop.
    private let streams: [(fd: Int32, name: String)]
    private let wake: (read: Int32, write: Int32)
    /// Bytes of an unfinished UTF-8 sequence, per stream (guarded by `lock`).
    private var pending: [[UInt8]] = [[], []]
    private var thread: Thread?

    init(iopub: IOPub) throws {
        self.iopub = iopub
        KernelLog.descriptor = dup(2)
        var readEnds: [(Int32, String)] = []
        for (fd, name) in [(Int32(1), "stdout"), (2, "stderr")] {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0, dup2(ends[1], fd) >= 0 else { throw KernelFailure("cannot capture \(name): \(String(cString: strerror(errno)))") }
            close(ends[1])
            readEnds.append((ends[0], name))
        }
        streams = readEnds
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw KernelFailure("cannot make a pipe: \(String(cString: strerror(errno)))") }
        wake = (ends[0], ends[1])
        let thread = Thread { [unowned self] in self.readLoop() }
        thread.name = "output"
        thread.start()
        self.thread = thread
    }

    /// Sets the request that output is published for.
    func attribute(to request: JupyterMessage?) { lock.withLock { parent = request } }

    private func readLoop() {
        var polls = streams.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) } + [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            guard poll(&polls, nfds_t(polls.count), -1) >= 0 || errno == EINTR else { return }
            if polls[2].revents != 0 { return }
            lock.withLock {
                for (k, stream) in streams.enumerated() where polls[k].revents != 0 {
                    let n = read(stream.fd, &buffer, buffer.count)
                    if n > 0 { publish(Array(buffer[..<n]), stream: k, final: false) }
                }
            }
        }
    }

    /// Publishes the whole UTF-8 characters of `bytes` (after what was pending); keeps a split
    /// character's first bytes for the next read unless `final`. Called with `lock` held.
    private func publish(_ bytes: [UInt8], stream k: Int, final: Bool) {
        var data = pending[k] + bytes
        var keep = 0
        if !final, let lead = data.lastIndex(where: { $0 & 0xC0 != 0x80 }), data[lead] >= 0xC0 {
            let width = data[lead] >= 0xF0 ? 4 : data[lead] >= 0xE0 ? 3 : 2
            if data.count - lead < width { keep = data.count - lead }
        }
        pending[k] = Array(data.suffix(keep))
        data.removeLast(keep)
        guard !data.isEmpty else { return }
        iopub.publish("stream", ["name": streams[k].name, "text": String(decoding: data, as: UTF8.self)], parent: parent)
    }

    /// Waits until everything written to stdout and stderr so far is published.
    func drain() {
        fflush(nil)
        while true {
            let done: Bool = lock.withLock {
                var polls = streams.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                guard poll(&polls, nfds_t(polls.count), 0) == 0 else { return false }
                for k in streams.indices where !pending[k].isEmpty { publish([], stream: k, final: true) }
                return true
            }
            if done { return }
            usleep(100)
        }
    }

    /// Publishes what is left and stops the reader.
    func stop() {
        drain()
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        while let thread, !thread.isFinished { usleep(1000) }
    }
}
