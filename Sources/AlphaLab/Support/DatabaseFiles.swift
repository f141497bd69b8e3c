import Foundation
import GRDB

/// Opens a SQLite file for writing in WAL mode (a `DatabasePool`), creating its folder,
/// and waiting up to `busyTimeout` seconds for other writers instead of failing.
func openDatabasePool(at path: String, busyTimeout: TimeInterval) throws -> DatabasePool {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    return try DatabasePool(path: path, configuration: config)
}
