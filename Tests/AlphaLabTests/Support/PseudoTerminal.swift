import Foundation

/// Runs a program on a pseudo-terminal that is its controlling terminal (through
/// util-linux's `setsid --ctty`), so it sees a real tty and Ctrl-C (byte 0x03) becomes
/// SIGINT, as when a person types at it.
final class PseudoTerminal {
    let master: Int32
    let process = Process()
    private(set) var transcript = ""
    private var consumed = 0

    init(_ executable: String, arguments: [String] = [], environment: [String: String]) throws {
        master = PTY.openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.ptsname(master) else {
            throw POSIXError(.ENOTTY)
        }
        // Close-on-exec: children that other tests start meanwhile must not inherit the
        // terminal, or it would stay open after our program ends.
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw POSIXError(.ENOTTY) }
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", "--wait", executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["TERM": "xterm"]) { $1 }) { $1 }
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        try process.run()
        try terminal.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    /// Types `text`, after a pause: libedit switches the terminal to raw mode after it
    /// prints its prompt, and input typed before that may be discarded, as a person
    /// typing ahead of a slow prompt would find too.
    func send(_ text: String) {
        Thread.sleep(forTimeInterval: 0.1)
        _ = text.withCString { write(master, $0, strlen($0)) }
    }

    /// Ends the session with Ctrl-D, repeated until the program has gone (a Ctrl-D that
    /// arrives while the line editor is still setting up the terminal is discarded).
    func leave(timeout: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            send("\u{04}")
            if let status = exitStatus(timeout: 1) { return status }
        }
        return nil
    }

    /// Waits until the output since the last `expect` contains `fragment`; returns that
    /// output (terminal line endings normalised). Records an issue on timeout.
    @discardableResult
    func expect(_ fragment: String, timeout: Double = 20) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let pending = String(transcript.dropFirst(consumed))
            if let range = pending.range(of: fragment) {
                let waited = timeout - deadline.timeIntervalSinceNow
                if waited > 3 { FileHandle.standardError.write(Data("pty: waited \(Int(waited)) s for \(fragment.debugDescription)\n".utf8)) }
                consumed += pending.distance(from: pending.startIndex, to: range.upperBound)
                return String(pending[..<range.upperBound])
            }
            readAvailable(wait: 0.05)
        }
        return "<timeout waiting for \(fragment.debugDescription); output so far: \(String(transcript.dropFirst(consumed)).debugDescription)>"
    }

    private func readAvailable(wait: Double) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(wait * 1000)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        if n > 0 { transcript += String(decoding: buffer[..<n], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n") }
    }

    /// Waits for the program to end and returns its exit status. The end shows first on
    /// the terminal (reading the master fails once no process holds the terminal open);
    /// Foundation reaps the child on a dispatch queue, which a loaded machine may delay.
    func exitStatus(timeout: Double = 60) -> Int32? {
        if !process.isRunning { return process.terminationStatus }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var closed = false
        while Date() < deadline {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 50) > 0 {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { closed = true; break }
                transcript += String(decoding: buffer[..<n], as: UTF8.self)
            }
        }
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning && closed {
            // The terminal is closed: the program has ended; Foundation reaps it on a queue.
            let late = Date().addingTimeInterval(60)
            while process.isRunning && Date() < late { Thread.sleep(forTimeInterval: 0.05) }
        }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// glibc's pseudo-terminal functions, which Swift's Glibc module does not export
/// (they sit behind _XOPEN_SOURCE): looked up in the C library at run time.
private enum PTY {
    static func symbol<T>(_ name: String, as type: T.Type) -> T {
        guard let pointer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { fatalError("\(name) not found in libc") }
        return unsafeBitCast(pointer, to: type)
    }
    static let openpt = symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grantpt = symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlockpt = symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let ptsname = symbol("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
}
