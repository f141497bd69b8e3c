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
    /// Who recorded it, on which host (nil for runs recorded before AlphaLab kept them).
    /// A run from someone else, or from another machine, is someone else's code.
    public var user: String?
    public var host: String?
    /// The command-line data options that open the data it ran on again (``Dataset/source``):
    /// with ``workingDirectory``, what `alphalab picks` and `verdict` need; nil when unknown.
    public var dataOptions: [String]? = nil

    /// The user running this process (`$USER`, `$LOGNAME`, else the account's name).
    public static var currentUser: String {
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
    }

    /// This machine's host name.
    public static var currentHost: String { ProcessInfo.processInfo.hostName }

    /// Whether someone else recorded the run, or this user on another host.
    public var isForeign: Bool {
        guard let user, let host else { return false }
        return user != Self.currentUser || host != Self.currentHost
    }

    public init(scriptPath: String?, scriptText: String, arguments: [String], workingDirectory: String, sequence: Int,
                alphalabVersion: String = AlphaLabVersion.string, xgboostVersion: String = XGBoostModel.libraryVersion,
                user: String? = RunProvenance.currentUser, host: String? = RunProvenance.currentHost) {
        self.scriptPath = scriptPath
        self.scriptText = scriptText
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.sequence = sequence
        self.alphalabVersion = alphalabVersion
        self.xgboostVersion = xgboostVersion
        self.user = user
        self.host = host
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
