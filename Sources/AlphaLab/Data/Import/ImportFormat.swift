import Foundation

/// The price sources AlphaLab imports.
public enum ImportFormat: String, CaseIterable, Sendable {
    /// AlphaVantage "daily adjusted" CSV, one file per ticker, ticker from the file name
    /// (`DA-AAPL-T-2021-04-21.csv` or `AAPL.csv`). Volumes are split-adjusted on import
    /// from `split_coefficient`, so a 4:1 split does not quadruple the volume series.
    case alphavantage
    /// Yahoo Finance CSV (`Date,Open,High,Low,Close,Adj Close,Volume`), one file per ticker.
    case yahoo
    /// One CSV with a ticker column (`ticker,date,open,high,low,close[,adj_close],volume`).
    case long
    /// The seed project's SQLite cache, table `price_data`.
    case marketdb

    /// The columns a CSV format needs, by accepted header names (compared case-insensitively).
    var layout: CSVLayout? {
        switch self {
        case .alphavantage:
            return CSVLayout(date: ["timestamp", "date"], ticker: nil, adjClose: ["adjusted_close"],
                             adjCloseRequired: true, split: ["split_coefficient"])
        case .yahoo:
            return CSVLayout(date: ["date"], ticker: nil, adjClose: ["adj close", "adj_close"],
                             adjCloseRequired: true, split: nil)
        case .long:
            return CSVLayout(date: ["date", "timestamp"], ticker: ["ticker", "symbol"],
                             adjClose: ["adj_close", "adj close", "adjusted_close"], adjCloseRequired: false, split: nil)
        case .marketdb:
            return nil
        }
    }
}

/// What an import may be told about a CSV source beyond its format.
public struct CSVImportOptions: Sendable, Equatable {
    /// For long files: the header of the ticker column when it is not `ticker` or `symbol`
    /// (a popular Kaggle S&P 500 file calls it `Name`).
    public var tickerColumn: String?
    /// How the date column is written.
    public var dateFormat: DateFormat

    public init(tickerColumn: String? = nil, dateFormat: DateFormat = .iso) {
        self.tickerColumn = tickerColumn
        self.dateFormat = dateFormat
    }
}

/// Where a CSV format keeps each column.
struct CSVLayout {
    var date: [String]
    /// Nil when the ticker comes from the file name.
    var ticker: [String]?
    var adjClose: [String]
    var adjCloseRequired: Bool
    var split: [String]?
}

/// The ticker a per-ticker file holds, from its name: `SPY.csv` is SPY, and the
/// AlphaVantage dump's `DA-BRK.B-T-2021-04-21.csv` is BRK.B.
public func tickerFromFileName(_ path: String) -> String {
    var name = (path as NSString).lastPathComponent
    if let dot = name.range(of: ".", options: .backwards), name[dot.upperBound...].lowercased() == "csv" {
        name = String(name[..<dot.lowerBound])
    }
    let parts = name.split(separator: "-", omittingEmptySubsequences: false)
    // DA-<TICKER>-T-YYYY-MM-DD
    if parts.count >= 6, parts[0] == "DA", parts[parts.count - 4] == "T",
       Day(parts[(parts.count - 3)...].joined(separator: "-")) != nil {
        return parts[1..<(parts.count - 4)].joined(separator: "-").uppercased()
    }
    return name.uppercased()
}
