import CZMQ
import Foundation

/// The iopub channel: what the kernel broadcasts to every front end (status, streams,
/// displays, results, errors). Several threads publish (the shell's, the output
/// reader, the control channel), so sends are serialised by a lock.
final class IOPub: @unchecked Sendable {
    private let socket: ZMQSocket
    private let session: JupyterSession
    private let lock = NSLock()

    init(socket: ZMQSocket, session: JupyterSession) {
        self.socket = socket
        self.session = session
    }

    /// Publishes a message of `type` on behalf of `parent` (topic: the message type).
    func publish(_ type: String, _ content: JSONObject, parent: JupyterMessage?) {
        let message = session.message(type, content: content, parent: parent, identities: [Array("kernel.\(session.id).\(type)".utf8)])
        let frames = message.frames(signer: session.signer)
        lock.withLock {
            do { try socket.send(frames) } catch { KernelLog.write("iopub: \(error)") }
        }
    }

    /// `status` busy or idle.
    func status(_ state: String, parent: JupyterMessage?) { publish("status", ["execution_state": state], parent: parent) }

    /// Closes the socket, giving pending messages a second to leave.
    func close() {
        lock.withLock {
            socket.setLinger(1000)
            socket.close()
        }
    }
}

/// The kernel's own log: the standard error it was started with (a notebook server's
/// log), kept aside before the cells' output is captured.
enum KernelLog {
    nonisolated(unsafe) static var descriptor: Int32 = 2

    static func write(_ line: String) {
        let text = "alphalab-kernel: \(line)\n"
        _ = text.withCString { Foundation.write(descriptor, $0, strlen($0)) }
    }
}
