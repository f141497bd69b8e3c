import Foundation

/// The connection file a Jupyter front end writes for the kernel it starts: where each
/// of the five channels listens and the key that signs messages.
struct ConnectionFile: Decodable {
    var transport = "tcp"
    var ip = "127.0.0.1"
    var shellPort: Int
    var iopubPort: Int
    var stdinPort: Int
    var controlPort: Int
    var hbPort: Int
    var key = ""
    var signatureScheme = "hmac-sha256"

    enum CodingKeys: String, CodingKey {
        case transport, ip, key
        case shellPort = "shell_port", iopubPort = "iopub_port", stdinPort = "stdin_port"
        case controlPort = "control_port", hbPort = "hb_port", signatureScheme = "signature_scheme"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        transport = try c.decodeIfPresent(String.self, forKey: .transport) ?? "tcp"
        ip = try c.decodeIfPresent(String.self, forKey: .ip) ?? "127.0.0.1"
        shellPort = try c.decode(Int.self, forKey: .shellPort)
        iopubPort = try c.decode(Int.self, forKey: .iopubPort)
        stdinPort = try c.decode(Int.self, forKey: .stdinPort)
        controlPort = try c.decode(Int.self, forKey: .controlPort)
        hbPort = try c.decode(Int.self, forKey: .hbPort)
        key = try c.decodeIfPresent(String.self, forKey: .key) ?? ""
        signatureScheme = try c.decodeIfPresent(String.self, forKey: .signatureScheme) ?? "hmac-sha256"
    }

    /// Reads `path`; a missing file, bad JSON, a missing port or another signature scheme is an error naming the file.
    static func read(_ path: String) throws -> ConnectionFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw KernelFailure("cannot read the connection file \(path)") }
        let file: ConnectionFile
        do { file = try JSONDecoder().decode(ConnectionFile.self, from: data) } catch {
            throw KernelFailure("the connection file \(path) is not valid: \(Self.reason(error))")
        }
        guard file.signatureScheme == "hmac-sha256" else {
            throw KernelFailure("the connection file \(path) asks for \(file.signatureScheme) signatures; this kernel signs with hmac-sha256")
        }
        guard ["tcp", "ipc"].contains(file.transport) else { throw KernelFailure("the connection file \(path) names transport '\(file.transport)' (tcp or ipc)") }
        return file
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "no \(key.stringValue)"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
        default: "not JSON"
        }
    }

    /// The endpoint of a channel's port (ipc: a socket file named after the ip and port, as jupyter_client does).
    func endpoint(_ port: Int) -> String { transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)" }
}

/// A reason the kernel cannot start or go on, for its log and exit status.
struct KernelFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
