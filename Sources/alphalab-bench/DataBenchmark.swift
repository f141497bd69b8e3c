import AlphaLab
import Foundation

/// `alphalab-bench data`: the import of all of sp500 into a new store, against sqlite3's own
/// `.import` of the same rows into a table of the same schema (the ratio is the figure that
/// travels between machines), then the load of the whole store, the membership and the
/// synthetic market.
func dataBenchmark(dataDir: String) throws {
    let folder = try scratchFolder("data")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let storePath = folder + "/market.db"
    print("data layer: \(dataDir)/sp500 on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    let clock = Stopwatch()
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let parsed = clock.seconds
    let info = try readSectorFile(path: dataDir + "/sp500/constituents.csv")
    try PriceStore(path: storePath).write(batch, info: info, format: .alphavantage, source: dataDir)
    let total = clock.seconds
    figure("import: rows", "\(batch.rowCount)")
    figure("import: read + parse", String(format: "%.2f s", parsed))
    figure("import: total into new store", String(format: "%.2f s", total), target: "target < 15 s")
    let sqlite = try sqliteImportSeconds(batch, folder: folder)
    figure("sqlite3 .import of the same rows", String(format: "%.2f s", sqlite))
    figure("import against sqlite3 .import", String(format: "%.2fx", total / sqlite), target: "target <= 1.5x")

    let (seconds, memory, panel) = try loadInFreshProcess(storePath)
    figure("load: whole store into a panel", String(format: "%.3f s", seconds), target: "target < 1 s")
    figure("load: peak memory", megabytes(memory), target: "target < 1 GB")
    figure("load: panel", panel)

    // The point-in-time S&P 500 membership, read and stored in one transaction.
    let membershipFile = dataDir + "/sp500/membership/sp500_ticker_start_end.csv"
    let membershipClock = Stopwatch()
    let membership = try MembershipFile.read(path: membershipFile, name: "sp500")
    try PriceStore(path: storePath).write(membership, source: membershipFile)
    figure("import membership: \(membership.spells.count) spells", String(format: "%.3f s", membershipClock.seconds), target: "target < 1 s")

    let synth = Stopwatch()
    let market = try SyntheticMarket.generate()
    figure("synthetic market: generate", String(format: "%.3f s", synth.seconds))
    figure("synthetic market: size", "\(market.tickerCount) tickers x \(market.dayCount) days")
}

/// The seconds sqlite3 (the command-line tool, its defaults) takes to `.import` the batch's
/// rows, written first as one CSV of `price_data`'s columns, into a new database with the
/// store's `price_data` table.
private func sqliteImportSeconds(_ batch: ImportBatch, folder: String) throws -> Double {
    let csv = folder + "/rows.csv", database = folder + "/sqlite3.db"
    var text = ""
    for bars in batch.bars {
        for i in 0..<bars.count {
            text += "\(bars.ticker),\(bars.days[i]),\(bars.open[i]),\(bars.high[i]),\(bars.low[i]),\(bars.close[i]),\(bars.volume[i]),\(bars.adjClose[i])\n"
        }
    }
    try text.write(toFile: csv, atomically: false, encoding: .utf8)
    _ = try shell(["sqlite3", database, """
        CREATE TABLE price_data (ticker TEXT NOT NULL, date TEXT NOT NULL, open REAL, high REAL, low REAL,
            close REAL, volume REAL, adj_close REAL, PRIMARY KEY (ticker, date));
        """])
    let clock = Stopwatch()
    _ = try shell(["sqlite3", database, ".import --csv \(csv) price_data"])
    let seconds = clock.seconds
    let count = try shell(["sqlite3", database, "SELECT COUNT(*) FROM price_data"]).trimmingCharacters(in: .whitespacesAndNewlines)
    guard count == String(batch.rowCount) else {
        throw BenchmarkFailure(description: "sqlite3 imported \(count) rows of \(batch.rowCount)")
    }
    return seconds
}

/// Loads the store in a child process (`alphalab-bench load`) so that the peak memory is the
/// load's alone: its seconds, peak resident bytes and the panel's size.
private func loadInFreshProcess(_ storePath: String) throws -> (Double, Int, String) {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: RunningProgram.path)
    child.arguments = ["load", storePath]
    let pipe = Pipe()
    child.standardOutput = pipe
    try child.run()
    child.waitUntilExit()
    let fields = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
    guard child.terminationStatus == 0, fields.count == 5, let seconds = Double(fields[0]), let memory = Int(fields[1]) else {
        throw BenchmarkFailure(description: "the load process failed")
    }
    return (seconds, memory, "\(fields[2]) tickers x \(fields[3]) days, \(fields[4]) bars")
}
