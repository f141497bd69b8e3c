import Foundation
import Synchronization

/// Lua names that were renamed: the old name keeps working for one release and says so on
/// stderr the first time a process uses it (once per name, so a loop does not flood the
/// output).
enum Deprecation {
    /// Keys of the tables the engine returns that were renamed: old, new. Reading the old
    /// key reads the new one, with the same note (installed in every state by
    /// ``LuaState/init()``).
    static let renamedKeys: KeyValuePairs<String, String> = [
        // A verdict span's t-statistic and the placebo's gross actual, named as the verdict's JSON names them.
        "t": "t_stat", "gross_actual": "actual_gross",
    ]

    private static let warned = Mutex<Set<String>>([])

    /// Tells, once per process, that `old` is now `new`; `kind` names what was renamed
    /// when the name alone does not ("the field ").
    static func warn(_ old: String, renamed new: String, kind: String = "") {
        let first = warned.withLock { $0.insert(kind + old).inserted }
        guard first else { return }
        FileHandle.standardError.write(Data("\(kind)\(old) is deprecated: it is now \(new); \(old) goes in the next release\n".utf8))
    }
}
