import Foundation

/// What a run of the `alphalab` executable did.
struct Outcome {
    var status: Int32
    var out: String
    var err: String
}

extension Fixtures {
    /// Runs the built `alphalab` with `arguments`, reading stdout and stderr concurrently
    /// (so neither pipe can fill up and stall the child).
    static func alphalab(_ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                         directory: String? = nil, executable: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? products.appendingPathComponent("alphalab").path)
        process.arguments = arguments
        // The per-user ledger goes to a scratch folder unless the caller (or tools/test.sh) chose one.
        var inherited = ProcessInfo.processInfo.environment
        if inherited["XDG_DATA_HOME"] == nil { inherited["XDG_DATA_HOME"] = temporaryFolder("ledger") }
        process.environment = inherited.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                       err: String(decoding: errData, as: UTF8.self))
    }
}

extension Fixtures {
    /// Runs any program with `arguments`, as ``alphalab(_:environment:input:directory:executable:)`` runs alphalab.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        try alphalab(arguments, environment: environment, executable: executable)
    }
}
