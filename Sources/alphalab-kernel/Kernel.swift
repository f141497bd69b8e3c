import AlphaLab
import AlphaLabLua
import CZMQ
import Foundation

/// AlphaLab's Jupyter kernel: one Lua host, the five channels of the messaging protocol
/// (5.3) over ZeroMQ, and the cells' output captured as streams. The shell channel is
/// served on this (the main) thread, where the host lives; control and heartbeat have
/// threads of their own, so interrupts and liveness checks are answered while a cell runs.
final class Kernel {
    let host: LuaHost
    let session: JupyterSession
    let context: ZMQContext
    let shell: ZMQSocket
    let stdin: ZMQSocket
    let iopub: IOPub
    let output: OutputCapture
    let activity = KernelActivity()
    /// The count of cells run with store_history (the `[n]` of the notebook).
    var executionCount = 0
    /// What ran, for history_request: execution count, code and the value's text (if it showed one).
    var history: [(count: Int, code: String, output: String?)] = []
    /// The execute request running (its identities route input requests; its allow_stdin permits them).
    var running: JupyterMessage?

    init(connection: ConnectionFile, host: LuaHost) throws {
        self.host = host
        session = JupyterSession(signer: MessageSigner(key: connection.key))
        let context = try ZMQContext()
        self.context = context
        func socket(_ type: Int32, _ name: String, _ port: Int) throws -> ZMQSocket {
            let socket = try ZMQSocket(context, type: type, name: name)
            try socket.bind(connection.endpoint(port))
            return socket
        }
        shell = try socket(ZMQ_ROUTER, "shell", connection.shellPort)
        stdin = try socket(ZMQ_ROUTER, "stdin", connection.stdinPort)
        iopub = IOPub(socket: try socket(ZMQ_PUB, "iopub", connection.iopubPort), session: session)
        let control = try socket(ZMQ_ROUTER, "control", connection.controlPort)
        Heartbeat.start(try socket(ZMQ_REP, "heartbeat", connection.hbPort))
        output = try OutputCapture(iopub: iopub)
        ControlChannel(socket: control, session: session, iopub: iopub, activity: activity).start()
        try installLuaSide()
    }

    /// Serves the shell channel until a shutdown request; then closes every channel.
    func run() {
        iopub.status("starting", parent: nil)
        // A kernel whose front end died (reparented) has no one to serve: it ends, as IPython's does.
        let parent = getppid()
        while !activity.isStopping {
            do throws(ZMQError) {
                guard try shell.isReadable(within: 100) else {
                    if getppid() != parent { KernelLog.write("the process that started the kernel is gone; stopping"); break }
                    continue
                }
                handle(try shell.receive())
            } catch {
                if !error.isTermination { KernelLog.write("shell: \(error)") }
                break
            }
        }
        close()
    }

    /// Answers one shell message (a wrong signature is logged and dropped).
    func handle(_ frames: [[UInt8]]) {
        guard let request = session.read(frames, channel: "shell") else { return }
        iopub.status("busy", parent: request)
        defer { iopub.status("idle", parent: request) }
        switch request.type {
        case "kernel_info_request": reply(to: request, "kernel_info_reply", KernelInfo.content)
        case "execute_request": execute(request)
        case "complete_request": reply(to: request, "complete_reply", completion(request.content))
        case "inspect_request": reply(to: request, "inspect_reply", inspection(request.content))
        case "is_complete_request": reply(to: request, "is_complete_reply", completeness(request.content))
        case "history_request": reply(to: request, "history_reply", historyReply(request.content))
        case "comm_info_request": reply(to: request, "comm_info_reply", ["status": "ok", "comms": JSONObject()])
        case "shutdown_request": activity.shutDown(answering: request, on: shell, session: session, iopub: iopub)
        default: KernelLog.write("shell: no handler for \(request.type)")
        }
    }

    /// Sends `request`'s reply of `type` on the shell channel (or `socket`).
    func reply(to request: JupyterMessage, _ type: String, _ content: JSONObject, on socket: ZMQSocket? = nil) {
        session.reply(type, content, to: request, on: socket ?? shell)
    }

    /// Ends: the output published, the channel threads stopped, pending messages sent.
    private func close() {
        output.stop()
        context.shutdown()
        shell.close()
        stdin.close()
        iopub.close()
        context.terminate()
    }
}
