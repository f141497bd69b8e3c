import Foundation

/// Where a recorded run came from, enough to run it again: the script's text (not
/// just its path: the file may change), its arguments and working folder, which of
/// the script's recorded runs it was, and the versions that computed it. The data's
/// fingerprint is in the result itself.
public struct RunProvenance: Sendable, Equatable, Codable {
    /// The script as given on the command line; nil for a chunk given with `-e`.
    public var scriptPath: String?
    /// The text that ran.
    public var scriptText: String
    /// The script's arguments (`arg[1..n]`).
    public var arguments: [String]
    /// The folder the script ran in: its relative paths are relative to it.
    public var workingDirectory: String
    /// 1 for the first run the script recorded, 2 for the second, ...
    public var sequence: Int
    public var alphalabVersion: String
    public var xgboostVersion: String

    public init(scriptPath: String?, scriptText: String, arguments: [String], workingDirectory: String, sequence: Int,
                alphalabVersion: String = AlphaLabVersion.string, xgboostVersion: String = XGBoostModel.libraryVersion) {
        self.scriptPath = scriptPath
        self.scriptText = scriptText
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.sequence = sequence
        self.alphalabVersion = alphalabVersion
        self.xgboostVersion = xgboostVersion
    }

    /// The hash of the script's text (FNV-1a, 16 hex digits): equal texts, equal hashes.
    public var scriptHash: String { Self.hash(scriptText) }

    /// The hash ``scriptHash`` uses, for comparing a file's text now.
    public static func hash(_ text: String) -> String {
        var f = Fingerprint()
        f.add(text)
        return f.hex
    }
}
