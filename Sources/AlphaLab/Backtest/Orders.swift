import Foundation

/// A position held now: whole shares of a ticker.
public struct Holding: Sendable, Equatable {
    public var ticker: String
    public var shares: Int

    public init(ticker: String, shares: Int) {
        self.ticker = ticker
        self.shares = shares
    }

    /// The holdings of a CSV file with a header naming a `ticker` (or `symbol`) column and a
    /// `shares` column. Any problem rejects the whole file with its line: orders from half a
    /// list of holdings would buy what is already held.
    public static func read(path: String) throws(ImportError) -> [Holding] {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw .unreadable(path: path) }
        var columns: (ticker: Int, shares: Int)?
        var holdings: [Holding] = [], seen: [String: Int] = [:]
        var failure: ImportError?
        reader.forEachRecord { line, record in
            func fail(_ problem: String) -> Bool {
                failure = .invalid(ImportProblem(file: path, line: line, message: problem, action: .rejectedFile))
                return false
            }
            guard let found = columns else {
                let header = (0..<record.count).map { record.string($0).lowercased().trimmingCharacters(in: .whitespaces) }
                guard let ticker = header.firstIndex(where: { $0 == "ticker" || $0 == "symbol" }),
                      let shares = header.firstIndex(of: "shares") else {
                    return fail("expected a header with ticker (or symbol) and shares columns, got '\(header.joined(separator: ","))'")
                }
                columns = (ticker, shares)
                return true
            }
            guard record.count > max(found.ticker, found.shares) else { return fail("expected \(max(found.ticker, found.shares) + 1) fields, got \(record.count)") }
            let ticker = record.string(found.ticker).trimmingCharacters(in: .whitespaces)
            let text = record.string(found.shares).trimmingCharacters(in: .whitespaces)
            guard !ticker.isEmpty else { return fail("empty ticker") }
            guard let shares = Int(text), shares >= 0 else { return fail("shares '\(text)' of \(ticker) is not a whole number of zero or more") }
            if let first = seen[ticker] { return fail("\(ticker) again (first on line \(first))") }
            seen[ticker] = line
            holdings.append(Holding(ticker: ticker, shares: shares))
            return true
        }
        if let failure { throw failure }
        guard columns != nil else {
            throw .invalid(ImportProblem(file: path, line: nil, message: "empty file (expected a header with ticker and shares)", action: .rejectedFile))
        }
        return holdings
    }
}

/// One order that moves a holding to its target.
public struct Order: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// Open a position or add to one.
        case buy
        /// Reduce a position that stays.
        case trim
        /// Close a position.
        case sell
    }

    public var action: Action
    public var ticker: String
    /// Shares to trade (positive).
    public var shares: Int
    /// Shares held before and after.
    public var from: Int, to: Int

    public init(action: Action, ticker: String, shares: Int, from: Int, to: Int) {
        (self.action, self.ticker, self.shares, self.from, self.to) = (action, ticker, shares, from, to)
    }
}

extension TargetPortfolio {
    /// The orders that turn `holdings` into this target: sells first, then trims, then
    /// buys (the cash from the first pays for the last), each group by ticker.
    public func orders(from holdings: [Holding]) -> [Order] {
        let held = Dictionary(holdings.map { ($0.ticker, $0.shares) }, uniquingKeysWith: +)
        let target = Dictionary(positions.map { ($0.ticker, $0.shares) }, uniquingKeysWith: +)
        var orders: [Order] = []
        for ticker in Set(held.keys).union(target.keys) {
            let from = held[ticker] ?? 0, to = target[ticker] ?? 0
            guard from != to else { continue }
            let action: Order.Action = to > from ? .buy : to == 0 ? .sell : .trim
            orders.append(Order(action: action, ticker: ticker, shares: abs(to - from), from: from, to: to))
        }
        let rank: [Order.Action: Int] = [.sell: 0, .trim: 1, .buy: 2]
        return orders.sorted { rank[$0.action]! != rank[$1.action]! ? rank[$0.action]! < rank[$1.action]! : $0.ticker < $1.ticker }
    }
}
