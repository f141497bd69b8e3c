import AlphaLab
import Foundation

// Benchmarks print figures; they are never timed tests.
//
//   alphalab-bench data [DATA_DIR]    import of ../shared/data/sp500 into a new store,
//                                     then load time and peak memory of the whole store
//   alphalab-bench load STORE         (internal) load a store into a panel in a fresh process

let arguments = CommandLine.arguments
let command = arguments.count > 1 ? arguments[1] : "data"

func figure(_ name: String, _ value: String, target: String = "") {
    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
    print(pad(name, 34) + pad(value, 16) + target)
}

func megabytes(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1_048_576) }

switch command {
case "load":
    // Run in its own process so that peak memory is the load's alone.
    let clock = Stopwatch()
    let panel = try PriceStore(readingExisting: arguments[2]).loadPanel()
    let seconds = clock.seconds
    print("\(seconds) \(peakResidentMemory()) \(panel.tickerCount) \(panel.dayCount) \(panel.barCount)")

case "data":
    let dataDir = arguments.count > 2 ? arguments[2] : "../shared/data"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alphalab-bench-\(getpid())").path
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

    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    child.arguments = ["load", storePath]
    let pipe = Pipe()
    child.standardOutput = pipe
    try child.run()
    child.waitUntilExit()
    let fields = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
    guard child.terminationStatus == 0, fields.count == 5 else { fatalError("load process failed") }
    figure("load: whole store into a panel", String(format: "%.3f s", Double(fields[0])!), target: "target < 1 s")
    figure("load: peak memory", megabytes(Int(fields[1])!), target: "target < 1 GB")
    figure("load: panel", "\(fields[2]) tickers x \(fields[3]) days, \(fields[4].trimmingCharacters(in: .whitespacesAndNewlines)) bars")

    let synth = Stopwatch()
    let market = try SyntheticMarket.generate()
    figure("synthetic market: generate", String(format: "%.3f s", synth.seconds))
    figure("synthetic market: size", "\(market.tickerCount) tickers x \(market.dayCount) days")

default:
    print("usage: alphalab-bench [data [DATA_DIR]]")
    exit(2)
}
