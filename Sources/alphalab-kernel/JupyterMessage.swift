import Foundation

/// A JSON object as Foundation reads and writes it.
typealias JSONObject = [String: Any]

/// One message of the Jupyter messaging protocol, as it crosses the wire:
/// `[identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...]`.
struct JupyterMessage {
    /// The ROUTER identities of the sender (replies go back through them).
    var identities: [[UInt8]]
    var header: JSONObject
    var parentHeader: JSONObject
    var metadata: JSONObject
    var content: JSONObject
    var buffers: [[UInt8]] = []

    var type: String { header["msg_type"] as? String ?? "" }

    static let delimiter = Array("<IDS|MSG>".utf8)

    /// Why frames were not accepted as a message.
    enum Rejection: Error, CustomStringConvertible {
        case malformed(String)
        case badSignature

        var description: String {
            switch self {
            case .malformed(let why): "malformed message: \(why)"
            case .badSignature: "message with a wrong signature dropped"
            }
        }
    }

    /// Reads frames received from a socket, checking their signature with `signer`.
    init(frames: [[UInt8]], signer: MessageSigner) throws(Rejection) {
        guard let split = frames.firstIndex(of: Self.delimiter) else { throw .malformed("no <IDS|MSG> delimiter") }
        guard frames.count >= split + 6 else { throw .malformed("\(frames.count - split - 1) frames after the delimiter, 5 expected") }
        guard signer.isValid(frames[split + 1], for: frames[(split + 2)...(split + 5)]) else { throw .badSignature }
        func object(_ k: Int, _ name: String) throws(Rejection) -> JSONObject {
            guard let value = try? JSONSerialization.jsonObject(with: Data(frames[split + k])) as? JSONObject else {
                throw .malformed("the \(name) is not a JSON object")
            }
            return value
        }
        identities = Array(frames[..<split])
        header = try object(2, "header")
        parentHeader = try object(3, "parent header")
        metadata = try object(4, "metadata")
        content = try object(5, "content")
        buffers = Array(frames[(split + 6)...])
        guard header["msg_type"] is String else { throw .malformed("the header has no msg_type") }
    }

    init(identities: [[UInt8]], header: JSONObject, parentHeader: JSONObject, metadata: JSONObject = [:], content: JSONObject) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
    }

    /// The frames to send, signed with `signer`.
    func frames(signer: MessageSigner) -> [[UInt8]] {
        let parts = [header, parentHeader, metadata, content].map { object -> [UInt8] in
            Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8))
        }
        return identities + [Self.delimiter, signer.signature(parts[...])] + parts + buffers
    }
}

/// The kernel's side of a session: every message it sends gets a fresh header with this
/// session's id, its parent's header, and a signature.
struct JupyterSession: Sendable {
    let signer: MessageSigner
    let id = UUID().uuidString.lowercased()

    /// The protocol version spoken.
    static let protocolVersion = "5.3"

    private static let timestamp: @Sendable (Date) -> String = { date in
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The message in frames received on `channel`, or nil when it is malformed or its
    /// signature is wrong (then it is logged and dropped).
    func read(_ frames: [[UInt8]], channel: String) -> JupyterMessage? {
        do { return try JupyterMessage(frames: frames, signer: signer) } catch {
            KernelLog.write("\(channel): \(error)")
            return nil
        }
    }

    /// Sends `request`'s reply of `type` on `socket` (the channel it came from); a failure is logged.
    func reply(_ type: String, _ content: JSONObject, to request: JupyterMessage, on socket: ZMQSocket) {
        do { try socket.send(message(type, content: content, parent: request).frames(signer: signer)) } catch {
            KernelLog.write("\(socket.name): \(error)")
        }
    }

    /// A message of `type` answering (or published on behalf of) `parent`.
    func message(_ type: String, content: JSONObject, parent: JupyterMessage?, identities: [[UInt8]]? = nil,
                 metadata: JSONObject = [:]) -> JupyterMessage {
        let header: JSONObject = ["msg_id": UUID().uuidString.lowercased(), "session": id, "username": "alphalab",
                                  "date": Self.timestamp(Date()), "msg_type": type, "version": Self.protocolVersion]
        return JupyterMessage(identities: identities ?? parent?.identities ?? [], header: header,
                              parentHeader: parent?.header ?? [:], metadata: metadata, content: content)
    }
}
