import AlphaLab
import AlphaLabLua
import Foundation

/// The command line's sandbox and limit options (`--sandbox`, `--output DIR`,
/// `--memory-limit MB`, `--cpu-limit SECONDS`, `--output-limit MB`, `--env NAME`, each
/// also as `--option=value`).
struct Confinement {
    var sandboxed: Bool
    var output: String?
    /// Bytes; nil: the sandbox's default, or none outside it.
    var memoryLimit: Int?
    /// Seconds; nil: the sandbox's default, or none outside it.
    var cpuLimit: Double?
    /// Bytes a sandboxed script may write under its output folder; nil: the sandbox's default.
    var outputLimit: Int?
    /// Environment variables a sandboxed script may read besides `ALPHALAB_*` (`--env NAME`, repeatable).
    var exposed: [String] = []

    /// Options that only mean something under --sandbox.
    var sandboxOnlyOption: String? {
        output != nil ? "--output" : outputLimit != nil ? "--output-limit" : exposed.isEmpty ? nil : "--env"
    }

    struct UsageError: Error, CustomStringConvertible { var description: String }

    /// Consumes the option at `index` of `words` (and its value) if it is one of these; returns whether it was.
    mutating func take(_ words: inout [String], at index: Int) throws(UsageError) -> Bool {
        let word = words[index]
        if word == "--sandbox" {
            sandboxed = true
            words.remove(at: index)
            return true
        }
        let names = ["--output-limit", "--output", "--memory-limit", "--cpu-limit", "--env"]
        guard let name = names.first(where: { word == $0 || word.hasPrefix($0 + "=") }) else { return false }
        let value: String
        if word.hasPrefix(name + "=") {
            value = String(word.dropFirst(name.count + 1))
            words.remove(at: index)
        } else {
            guard index + 1 < words.count else { throw UsageError(description: "'\(name)' needs a value") }
            value = words[index + 1]
            words.removeSubrange(index...(index + 1))
        }
        switch name {
        case "--output":
            guard !value.isEmpty else { throw UsageError(description: "'--output' needs a folder") }
            output = value
        case "--memory-limit", "--output-limit":
            guard let mb = Double(value), mb > 0, mb < Double(1 << 30) else { throw UsageError(description: "'\(name)' needs a positive number of MB, got '\(value)'") }
            if name == "--memory-limit" { memoryLimit = Int(mb * Double(1 << 20)) } else { outputLimit = Int(mb * Double(1 << 20)) }
        case "--env":
            guard value.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                throw UsageError(description: "'--env' needs the name of an environment variable, got '\(value)'")
            }
            exposed.append(value)
        default:
            guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                throw UsageError(description: "'--cpu-limit' needs a positive number of seconds, got '\(value)'")
            }
            cpuLimit = seconds
        }
        return true
    }

    /// The sandbox for a script in `folder` with `arguments`, or nil when not sandboxed.
    func sandbox(folder: String?, arguments: [String], stdlib: String?, environment: [String: String]) -> Sandbox? {
        guard sandboxed else { return nil }
        var sandbox = Sandbox.forScript(folder: folder, arguments: arguments, stdlib: stdlib, output: output, environment: environment,
                                        exposing: exposed)
        if let memoryLimit { sandbox.memoryLimit = memoryLimit }
        if let cpuLimit { sandbox.cpuLimit = cpuLimit }
        if let outputLimit { sandbox.outputLimit = outputLimit }
        return sandbox
    }
}
