/// One ticker's daily bars as a source reports them: prices as traded plus the
/// split- and dividend-adjusted close, dates ascending and unique.
///
/// This is the row shape of the price store (`price_data`); the adjusted view
/// the engine uses is derived from it by ``PriceSeries/init(adjusting:)``.
public struct RawBars: Sendable, Equatable {
    public var ticker: String
    public var days: [Day] = []
    public var open: [Double] = []
    public var high: [Double] = []
    public var low: [Double] = []
    public var close: [Double] = []
    public var adjClose: [Double] = []
    /// Shares traded, split-adjusted where the source says so (see the importers).
    public var volume: [Double] = []

    public init(ticker: String) { self.ticker = ticker }

    /// The number of bars.
    public var count: Int { days.count }

    mutating func append(day: Day, open: Double, high: Double, low: Double, close: Double, adjClose: Double, volume: Double) {
        days.append(day)
        self.open.append(open); self.high.append(high); self.low.append(low)
        self.close.append(close); self.adjClose.append(adjClose); self.volume.append(volume)
    }

    /// These bars with `newer`'s laid over them: every day of either, `newer`'s bar where
    /// both have one (what the store holds after `INSERT OR REPLACE` of `newer`).
    func overlaid(with newer: RawBars) -> RawBars {
        var merged = RawBars(ticker: ticker)
        var i = 0, j = 0
        while i < count || j < newer.count {
            if j < newer.count && (i == count || newer.days[j] <= days[i]) {
                if i < count && newer.days[j] == days[i] { i += 1 }
                merged.append(newer, at: j)
                j += 1
            } else {
                merged.append(self, at: i)
                i += 1
            }
        }
        return merged
    }

    private mutating func append(_ other: RawBars, at i: Int) {
        append(day: other.days[i], open: other.open[i], high: other.high[i], low: other.low[i],
               close: other.close[i], adjClose: other.adjClose[i], volume: other.volume[i])
    }
}

/// What was wrong with an input, where, and what the importer did about it.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// Whether the whole file was rejected or only one row skipped.
    public enum Action: String, Sendable { case rejectedFile = "rejected", skippedRow = "skipped row" }

    public var file: String
    /// 1-based line number, when the problem sits on a line.
    public var line: Int?
    public var message: String
    public var action: Action

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(message) (\(action == .rejectedFile ? "file rejected" : "row skipped"))"
    }
}

/// Errors that stop an import before anything is written.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case unknownFormat(String)
    case noFiles(path: String)
    case invalid(ImportProblem)

    public var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the file"
        case .unknownFormat(let name):
            return "unknown import format '\(name)'; expected one of: \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        case .noFiles(let path): return "\(path): no .csv files found"
        case .invalid(let problem): return problem.description
        }
    }
}
