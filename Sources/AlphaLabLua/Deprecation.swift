import Foundation
import Synchronization

/// Lua names that were renamed: the old name keeps working for one release and says so on
/// stderr the first time a process uses it (once per name, so a loop does not flood the
/// output).
enum Deprecation {
    private static let warned = Mutex<Set<String>>([])

    /// Tells, once per process, that `old` is now `new`.
    static func warn(_ old: String, renamed new: String) {
        let first = warned.withLock { $0.insert(old).inserted }
        guard first else { return }
        FileHandle.standardError.write(Data("\(old) is deprecated: it is now \(new); \(old) goes in the next release\n".utf8))
    }
}
