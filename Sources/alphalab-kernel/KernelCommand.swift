import AlphaLab
import AlphaLabLua
import ArgumentParser
import Foundation

/// `alphalab kernel` (the `alphalab-kernel` program): AlphaLab as a Jupyter kernel, and
/// its installation as a kernelspec.
@main
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alphalab kernel",
        abstract: "AlphaLab in Jupyter: a kernel for notebooks (JupyterLab, VS Code, nbclient).",
        discussion: """
        Install it once (alphalab kernel install --user), then pick "AlphaLab (Lua)" in
        JupyterLab or VS Code. A cell runs as a line typed at the REPL: an expression's
        value is shown, a result as its summary table and equity curve, a factor as its
        tear sheet; display(value), display.html(text) and display.svg(text) draw more.
        """,
        subcommands: [Start.self, Install.self],
        defaultSubcommand: Start.self)

    /// Serves one notebook: started by Jupyter with the connection file it wrote.
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Run the kernel (Jupyter starts it with --connection-file).")

        @Option(help: "The connection file the front end wrote (ports and signing key).")
        var connectionFile: String
        @Flag(help: "Run the notebook confined, as alphalab --sandbox runs a script (reads under the notebook's folder, writes under results/).")
        var sandbox = false

        func run() throws {
            // Between cells an interrupt has nothing to stop; while a cell runs the host takes SIGINT.
            signal(SIGINT, SIG_IGN)
            let connection = try ConnectionFile.read(connectionFile)
            let environment = ProcessInfo.processInfo.environment
            let folder = FileManager.default.currentDirectoryPath
            let confinement = sandbox || ["1", "true", "yes"].contains(environment["ALPHALAB_SANDBOX"]?.lowercased() ?? "")
            let box = confinement ? Sandbox.forScript(folder: folder, arguments: [], stdlib: LuaHost.locateStdlib(environment: environment),
                                                      output: nil, environment: environment) : nil
            let host = LuaHost(scriptFolder: folder, environment: environment, sandbox: box)
            try Kernel(connection: connection, host: host).run()
        }
    }

    /// Writes the kernelspec Jupyter finds the kernel by.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "install", abstract: "Install the kernelspec (kernel.json and logos) for Jupyter.")

        @Flag(help: "Install for this user (Jupyter's data folder) instead of system-wide (/usr/local/share/jupyter).")
        var user = false
        @Option(help: "Install under DIR/share/jupyter/kernels (a virtual environment's prefix, say).")
        var prefix: String?
        @Flag(help: "A kernel that runs notebooks confined, as alphalab --sandbox runs scripts.")
        var sandbox = false
        @Option(help: "The kernel's name (default alphalab, or alphalab-sandbox with --sandbox).")
        var name: String?

        func validate() throws {
            if user && prefix != nil { throw ValidationError("--user and --prefix choose different places: give one") }
        }

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            guard let stdlib = LuaHost.locateStdlib(environment: environment) else {
                throw KernelFailure("cannot find AlphaLab's stdlib/ (set ALPHALAB_STDLIB to its folder)")
            }
            let program = URL(fileURLWithPath: RunningProgram.path).standardizedFileURL.path
            let spec = KernelSpec(name: name ?? (sandbox ? "alphalab-sandbox" : "alphalab"), sandboxed: sandbox, program: program,
                                  stdlib: URL(fileURLWithPath: stdlib).standardizedFileURL.path)
            let folder = try spec.install(into: KernelSpec.kernelsFolder(user: user, prefix: prefix, environment: environment))
            print("installed kernel \(spec.name) in \(folder)")
        }
    }
}
