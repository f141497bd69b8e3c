import Foundation

/// The program running now, as a file: to find what is installed or built beside it (the
/// stdlib, `alphalab-serve`, `alphalab-kernel`) and to write its absolute path into a
/// kernelspec.
public enum RunningProgram {
    /// The program's file, symbolic links resolved (/proc/self/exe), else argv[0].
    public static var path: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The folder the program is in.
    public static var folder: URL { URL(fileURLWithPath: path).deletingLastPathComponent() }

    /// The path of the program `name` beside this one.
    public static func sibling(_ name: String) -> String { folder.appendingPathComponent(name).path }
}
