import AlphaLab
import Foundation

/// What a script from someone else may do: read files only under some folders, write
/// only under the output folder, hold at most so much memory, run Lua code for at most
/// so long. Every route to a file obeys it: Lua's `io`, `os`, `load*`, `dofile` and
/// `require` (see ``SandboxPrelude``), and every `lab` function (through ``LabSession``).
///
/// Paths are compared after resolving symbolic links and `..`, so neither leads out.
public struct Sandbox: Sendable, Equatable {
    /// Folders (or single files) whose contents may be read.
    public private(set) var readable: [String]
    /// The folder under which files may be written (and read).
    public let output: String
    /// The most memory Lua code may hold, in bytes.
    public var memoryLimit: Int
    /// The most CPU time Lua code may run per chunk, in seconds (time in engine calls does not count).
    public var cpuLimit: Double
    /// The PostgreSQL run stores (URLs) a script may open: those named on the command
    /// line or in `ALPHALAB_RUNS`. A shared store holds the whole team's runs; a script
    /// from someone else must not reach another one.
    public var stores: [String] = []
    /// The environment variables a script may read with `os.getenv`: `ALPHALAB_*` and those
    /// named with `--env NAME`. Others (API keys, tokens, passwords) stay out of reach: a
    /// shared script could copy them into results a colleague then shares.
    public var environment: [String: String] = [:]
    /// The most bytes a script may write under the output folder, through Lua's `io` and
    /// `lab`'s files together.
    public var outputLimit: Int = Sandbox.defaultOutputLimit

    /// The output folder when none is given.
    public static let defaultOutput = "results"
    /// Defaults generous for every script in `scripts/`, which keep their data in the
    /// engine: Lua holds tables of results and text.
    public static let defaultMemoryLimit = 1024 << 20
    public static let defaultCPULimit = 300.0
    public static let defaultOutputLimit = 1024 << 20

    /// A sandbox reading under `readable` and `output`, writing under `output`.
    public init(readable: [String], output: String = Sandbox.defaultOutput,
                memoryLimit: Int = Sandbox.defaultMemoryLimit, cpuLimit: Double = Sandbox.defaultCPULimit) {
        self.output = Self.resolve(output)
        self.readable = readable.map(Self.resolve)
        self.memoryLimit = memoryLimit
        self.cpuLimit = cpuLimit
    }

    /// The sandbox of a script run from the command line: it reads the script's folder,
    /// AlphaLab's stdlib, the `ALPHALAB_PATH` folders, the output folder, and the files
    /// and folders its arguments name (`PATH` or `--option=PATH`: the data given on the
    /// command line); it writes only under the output folder; it sees the `ALPHALAB_*`
    /// variables of `environment` and those named in `exposing`.
    public static func forScript(folder: String?, arguments: [String], stdlib: String?, output: String?,
                                 environment: [String: String] = ProcessInfo.processInfo.environment,
                                 exposing: [String] = []) -> Sandbox {
        var roots = LuaHost.moduleFolders(scriptFolder: folder, stdlib: stdlib, environment: environment)
        var stores = RunStores.configuredLocation(environment: environment).map { RunStores.isURL($0) ? [$0] : [] } ?? []
        for argument in arguments {
            let value = argument.hasPrefix("--") ? argument.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) : argument
            if let value, !value.isEmpty, FileManager.default.fileExists(atPath: value) { roots.append(value) }
            if let value, RunStores.isURL(value) { stores.append(value) }
        }
        var sandbox = Sandbox(readable: roots, output: output ?? defaultOutput)
        sandbox.stores = stores
        sandbox.environment = environment.filter { $0.key.hasPrefix("ALPHALAB_") || exposing.contains($0.key) }
        return sandbox
    }

    /// Throws unless the PostgreSQL store at `url` was named on the command line (or in `ALPHALAB_RUNS`).
    public func checkStore(_ url: String) throws(SandboxError) {
        guard stores.contains(url) else { throw SandboxError(path: url, access: "open", allowed: stores) }
    }

    /// Throws unless `path` may be read.
    public func checkRead(_ path: String) throws(SandboxError) {
        let resolved = Self.resolve(path)
        guard Self.isUnder(resolved, output) || readable.contains(where: { Self.isUnder(resolved, $0) }) else {
            throw SandboxError(path: path, access: "read", allowed: readable + [output])
        }
    }

    /// Throws unless `path` may be written (created, replaced, removed). /dev/null, where
    /// a dry run or a rerun sends the files a script writes, is always allowed.
    public func checkWrite(_ path: String) throws(SandboxError) {
        let resolved = Self.resolve(path)
        guard Self.isUnder(resolved, output) || resolved == "/dev/null" else { throw SandboxError(path: path, access: "write", allowed: [output]) }
    }

    /// Whether writing to `path` counts against ``outputLimit`` (it is under the output folder).
    public func countsTowardOutput(_ path: String) -> Bool { Self.isUnder(Self.resolve(path), output) }

    static func isUnder(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    /// `path` made absolute, its existing part with symbolic links resolved (realpath),
    /// the rest with `.` and `..` applied: where the system would really read or write.
    public static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var rest: [String] = []
        while true {
            let candidate = "/" + existing.joined(separator: "/")
            if let real = realpath(candidate, nil) {
                defer { free(real) }
                var parts = String(cString: real).split(separator: "/").map(String.init)
                for part in rest.reversed() {
                    switch part {
                    case ".": continue
                    case "..": if !parts.isEmpty { parts.removeLast() }
                    default: parts.append(part)
                    }
                }
                return "/" + parts.joined(separator: "/")
            }
            guard let last = existing.popLast() else { return absolute }
            rest.append(last)
        }
    }
}

/// A file access the sandbox refuses: which path, which access, where it may go.
public struct SandboxError: Error, CustomStringConvertible, Equatable {
    public var path: String
    /// "read", "write", or "open" (a run store).
    public var access: String
    public var allowed: [String]
    /// For access "exceed": the output limit in bytes.
    public var limit: Int?

    public init(path: String, access: String, allowed: [String], limit: Int? = nil) {
        self.path = path
        self.access = access
        self.allowed = allowed
        self.limit = limit
    }

    public var description: String {
        if access == "exceed", let limit {
            return "sandbox: writing '\(path)' passes the output limit of \(Self.megabytes(limit)) written under the output folder"
                + " (alphalab --sandbox --output-limit MB)"
        }
        if access == "open" {
            return "sandbox: cannot open the run store '\(path)': a sandboxed script opens only the stores named on its command line"
                + (allowed.isEmpty ? " (none was)" : " (" + allowed.map { "'\($0)'" }.joined(separator: ", ") + ")")
        }
        return "sandbox: cannot \(access) '\(path)': \(access == "write" ? "files are written only under" : "files are read only under") "
            + allowed.map { "'\($0)'" }.joined(separator: ", ")
            + (access == "write" ? " (the output folder: alphalab --sandbox --output DIR)" : "")
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : String(format: "%.2f MB", Double(bytes) / Double(1 << 20))
    }
}
