import AlphaLab
import Foundation

/// The properties a CSV import keeps whatever bytes it is given, checked one file at a
/// time (the property test and `alphalab-bench fuzz` both use it):
/// - it returns or throws, in time: no crash, no hang (each file within `timeLimit`);
/// - every bar it accepts is in the input: a line holding the bar's date also holds its close;
/// - a rejected file adds no bars, and writing what was accepted never touches the store's
///   other data (a ticker `BASE` stored first stays bar for bar as it was).
public final class ImportFuzzer {
    public let folder: String
    public let store: PriceStore
    /// Seconds one file may take.
    public var timeLimit = 10.0
    /// Whether the last file checked was refused whole (a thrown error or a rejected file).
    public private(set) var lastRefused = false
    private let baseCloses: [Double]

    /// A scratch store in `folder` holding the ticker BASE.
    public init(folder: String) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = try PriceStore(path: folder + "/fuzz.db")
        let base = folder + "/base.csv"
        try Data("date,open,high,low,close,volume,ticker\n2020-01-02,10,11,9,10.5,100,BASE\n2020-01-03,10.5,12,10,11.25,200,BASE\n".utf8)
            .write(to: URL(fileURLWithPath: base))
        try store.write(try PriceImporter(format: .long).read(source: base))
        baseCloses = try Self.closes(of: store)
    }

    private static func closes(of store: PriceStore) throws -> [Double] {
        Array(try store.loadPanel(tickers: ["BASE"]).series(.close, "BASE") ?? [])
    }

    /// Imports `bytes` as the file `name` in `format` and writes what it accepts; returns the
    /// properties broken (empty when none).
    public func check(_ bytes: [UInt8], name: String, format: ImportFormat) -> [String] {
        let path = folder + "/" + name
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch { return ["cannot write \(path): \(error)"] }
        let started = Date()
        let batch: ImportBatch
        lastRefused = true
        do { batch = try PriceImporter(format: format).read(source: path) } catch {
            return Date().timeIntervalSince(started) > timeLimit ? ["refusing took \(Date().timeIntervalSince(started)) s"] : []
        }
        lastRefused = !batch.rejectedFiles.isEmpty
        var broken: [String] = []
        let seconds = Date().timeIntervalSince(started)
        if seconds > timeLimit { broken.append(String(format: "reading took %.1f s", seconds)) }
        if !batch.rejectedFiles.isEmpty && !batch.bars.isEmpty { broken.append("the file was rejected but \(batch.rowCount) bars were accepted") }
        broken += invented(batch, input: bytes)
        if !batch.bars.isEmpty {
            do { try store.write(batch) } catch { /* a write that fails rolls back: checked below */ }
        }
        if (try? Self.closes(of: store)) != baseCloses { broken.append("the store's other ticker changed") }
        return broken
    }

    /// The accepted bars whose date and close are on no line of the input.
    private func invented(_ batch: ImportBatch, input: [UInt8]) -> [String] {
        var linesByDate: [String: [Substring]] = [:]
        let text = String(decoding: input, as: UTF8.self)
        // Lines as the reader sees them: ended by "\n" or "\r\n" (one Character), not by a bare "\r".
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            for field in line.split(separator: ",") where field.count >= 10 {
                let date = field.trimmingCharacters(in: CharacterSet(charactersIn: " \"\t\u{FEFF}")).prefix(10)
                if Day(String(date)) != nil { linesByDate[String(date), default: []].append(line) }
            }
        }
        var broken: [String] = []
        for bars in batch.bars {
            let closes = bars.close
            for (i, day) in bars.days.enumerated() {
                let numbers = (linesByDate[day.description] ?? []).flatMap { $0.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) } }
                if !numbers.contains(closes[i]) { broken.append("\(bars.ticker) \(day) close \(closes[i]) is on no line of the input") }
                if broken.count >= 3 { return broken }
            }
        }
        return broken
    }

    /// The files read whole or not at all, fuzzed alike.
    public enum DataFile: Sendable, CaseIterable { case delistings, membership }

    /// Reads `bytes` as a delisting or membership file and stores what it reads; returns the
    /// properties broken: it returns or throws in time, every ticker it reads is on a line of
    /// the input (with its return, for a delisting), and a store write that fails leaves the
    /// store's delistings (and its prices) as they were.
    public func check(_ bytes: [UInt8], dataFile: DataFile) -> [String] {
        let path = folder + "/data-file.csv"
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch { return ["cannot write \(path): \(error)"] }
        let started = Date()
        let read: [(ticker: String, value: Double?)]
        do {
            switch dataFile {
            case .delistings:
                let delistings = try DelistingFile.read(path: path)
                let before = try store.delistings()
                do { try store.write(delistings) } catch {
                    if (try? store.delistings()) != before { return ["a failed delisting write changed the store"] }
                }
                read = delistings.map { ($0.ticker, $0.delistingReturn) }
            case .membership:
                read = try MembershipFile.read(path: path, name: "fuzz").spells.map { ($0.ticker, nil) }
            }
        } catch {
            read = []
        }
        var broken: [String] = []
        let seconds = Date().timeIntervalSince(started)
        if seconds > timeLimit { broken.append(String(format: "reading took %.1f s", seconds)) }
        // Lines as the reader sees them (ended by "\n" or "\r\n", a bare "\r" is inside a
        // field), quotes dropped: a quoted field's text is what the reader reads.
        let lines = String(decoding: bytes.filter { $0 != UInt8(ascii: "\"") }, as: UTF8.self).uppercased()
            .split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        for (ticker, value) in read where !lines.contains(where: { line in
            line.contains(ticker) && (value.map { v in line.split(separator: ",").contains { Self.number($0).map { $0 == v || $0 / 100 == v } ?? false } } ?? true)
        }) {
            broken.append("\(ticker) \(value.map(String.init(describing:)) ?? "") is on no line of the input")
        }
        if (try? Self.closes(of: store)) != baseCloses { broken.append("the store's other ticker changed") }
        return broken
    }

    private static func number(_ field: Substring) -> Double? {
        let text = field.trimmingCharacters(in: .whitespacesAndNewlines)
        return Double(text.hasSuffix("%") ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text)
    }
}
