import Foundation
import GRDB

/// Opens a SQLite file for writing in WAL mode (a `DatabasePool`), creating its folder,
/// and waiting up to `busyTimeout` seconds for other writers instead of failing.
///
/// Switching a new file to WAL needs an exclusive lock, and SQLite reports a second
/// process doing the same at that moment as busy without calling the busy handler;
/// the open is retried until the timeout instead.
func openDatabasePool(at path: String, busyTimeout: TimeInterval) throws -> DatabasePool {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    let deadline = Date(timeIntervalSinceNow: busyTimeout)
    while true {
        do {
            return try DatabasePool(path: path, configuration: config)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
            usleep(20_000)
        }
    }
}
