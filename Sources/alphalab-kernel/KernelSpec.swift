import AlphaLab
import AlphaLabLua
import Foundation

/// A kernelspec: the folder Jupyter finds a kernel by (`kernel.json` and its logos), as
/// `jupyter kernelspec install` lays it out.
struct KernelSpec {
    /// The kernel's name: the folder's, and what `jupyter kernelspec list` shows.
    var name: String
    /// Whether notebooks run confined, as `alphalab --sandbox` runs scripts.
    var sandboxed: Bool
    /// The kernel program (absolute).
    var program: String
    /// AlphaLab's stdlib (absolute), also where the logos come from.
    var stdlib: String

    /// Where kernelspecs go: `--prefix DIR` (DIR/share/jupyter/kernels), `--user` (Jupyter's
    /// data folder: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter),
    /// else the system's (/usr/local/share/jupyter).
    static func kernelsFolder(user: Bool, prefix: String?, environment: [String: String]) -> String {
        if let prefix { return URL(fileURLWithPath: prefix).appendingPathComponent("share/jupyter/kernels").path }
        guard user else { return "/usr/local/share/jupyter/kernels" }
        if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty { return data + "/kernels" }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return base + "/jupyter/kernels"
    }

    /// kernel.json: the program with `{connection_file}`, the language, SIGINT for interrupts.
    var json: Data {
        get throws {
            let spec: [String: Any] = [
                "argv": [program, "--connection-file", "{connection_file}"] + (sandboxed ? ["--sandbox"] : []),
                "display_name": sandboxed ? "AlphaLab (Lua, sandboxed)" : "AlphaLab (Lua)",
                "language": "lua",
                "interrupt_mode": "signal",
                "env": ["ALPHALAB_STDLIB": stdlib],
                "metadata": ["debugger": false, "alphalab_version": AlphaLabVersion.string] as [String: Any],
            ]
            return try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        }
    }

    /// Writes the kernelspec into `kernels` (kernel.json atomically, the logos); returns its folder.
    func install(into kernels: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
            throw KernelFailure("kernel name '\(name)': use letters, digits, '.', '_' and '-'")
        }
        let folder = kernels + "/" + name.lowercased()
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw KernelFailure("cannot make \(folder): \(error.localizedDescription) (--user installs for you alone, --prefix DIR under DIR)")
        }
        for logo in ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"] {
            guard let data = FileManager.default.contents(atPath: stdlib + "/kernel/" + logo) else { throw KernelFailure("missing \(stdlib)/kernel/\(logo)") }
            try AtomicFile.write(data, to: folder + "/" + logo)
        }
        try AtomicFile.write(try json, to: folder + "/kernel.json")
        return folder
    }
}
