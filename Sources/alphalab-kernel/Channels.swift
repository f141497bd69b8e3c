import Foundation

/// Whether the shell is running a request and whether the kernel was asked to stop,
/// shared by the shell (main) thread and the control thread.
final class KernelActivity: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var stopping = false

    var isBusy: Bool { lock.withLock { busy } }
    var isStopping: Bool { lock.withLock { stopping } }
    func setBusy(_ value: Bool) { lock.withLock { busy = value } }

    /// shutdown_request, on the control or the shell channel: answered there and on iopub,
    /// then the shell loop is asked to end (the running cell interrupted first, if any).
    /// A restart is the front end's: it starts a new process.
    func shutDown(answering request: JupyterMessage, on socket: ZMQSocket, session: JupyterSession, iopub: IOPub) {
        let content: JSONObject = ["status": "ok", "restart": request.content["restart"] as? Bool ?? false]
        session.reply("shutdown_reply", content, to: request, on: socket)
        iopub.publish("shutdown_reply", content, parent: request)
        let interrupt = lock.withLock { stopping = true; return busy }
        if interrupt { Self.interruptRunningCell() }
    }

    /// Stops the running cell as Ctrl-C stops a run in the REPL: the SIGINT handler the
    /// host installs while a cell runs interrupts Lua code and the engine's work.
    /// Between cells SIGINT is ignored, so an interrupt that comes late does no harm.
    static func interruptRunningCell() { kill(getpid(), SIGINT) }
}

/// The heartbeat channel: echoes every message, so a front end can tell the kernel lives
/// even while a cell runs. Its own thread; ends when the context shuts down.
enum Heartbeat {
    static func start(_ socket: ZMQSocket) {
        let thread = Thread {
            while true {
                do throws(ZMQError) { try socket.send(try socket.receive()) } catch {
                    if !error.isTermination { KernelLog.write("heartbeat: \(error)") }
                    break
                }
            }
            socket.close()
        }
        thread.name = "heartbeat"
        thread.start()
    }
}

/// The control channel, on a thread of its own so that it answers while a cell runs:
/// interrupt_request (interrupt_mode "message"), shutdown_request (also restarts: the
/// front end starts a new process) and kernel_info_request.
struct ControlChannel: Sendable {
    let socket: ZMQSocket
    let session: JupyterSession
    let iopub: IOPub
    let activity: KernelActivity

    func start() {
        let thread = Thread { self.loop() }
        thread.name = "control"
        thread.start()
    }

    private func loop() {
        while true {
            let frames: [[UInt8]]
            do throws(ZMQError) { frames = try socket.receive() } catch {
                if !error.isTermination { KernelLog.write("control: \(error)") }
                break
            }
            if let request = session.read(frames, channel: "control") { handle(request) }
        }
        socket.close()
    }

    private func handle(_ request: JupyterMessage) {
        iopub.status("busy", parent: request)
        defer { iopub.status("idle", parent: request) }
        switch request.type {
        case "interrupt_request":
            if activity.isBusy { KernelActivity.interruptRunningCell() }
            session.reply("interrupt_reply", ["status": "ok"], to: request, on: socket)
        case "shutdown_request":
            activity.shutDown(answering: request, on: socket, session: session, iopub: iopub)
        case "kernel_info_request":
            session.reply("kernel_info_reply", KernelInfo.content, to: request, on: socket)
        default:
            KernelLog.write("control: no handler for \(request.type)")
        }
    }
}
