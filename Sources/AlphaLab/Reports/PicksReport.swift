import Foundation

/// A target portfolio as people and programs read it: a table, CSV and JSON.
extension TargetPortfolio {
    /// The portfolio (and `orders`, when given) as a readable table.
    public func text(orders: [Order]? = nil) -> String {
        var lines = ["picks for \(decisionDate) (scored at the close of \(scoringDate)"
                     + (trainedFor.map { ", model trained for \($0)" } ?? "") + String(format: ", capital %.2f)", capital)]
        if let cashReason { lines.append("cash: \(cashReason)") }
        if !positions.isEmpty {
            lines.append("Ticker   Sector                   Score      Weight   Close       Shares")
            for p in positions {
                lines.append(String(format: "%@ %@ %+.5f  %6.2f%%  %10.2f  %7d", p.ticker.padding(toLength: 8, withPad: " ", startingAt: 0),
                                    String(p.sector.prefix(24)).padding(toLength: 24, withPad: " ", startingAt: 0), p.score, p.weight * 100, p.close, p.shares))
            }
        }
        if let orders {
            lines.append(orders.isEmpty ? "orders: none (the holdings are the target)" : "orders:")
            for o in orders { lines.append("  \(o.action.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(o.shares) \(o.ticker) (\(o.from) -> \(o.to))") }
        }
        return lines.joined(separator: "\n")
    }

    /// One line per position: ticker, sector, score, weight, close, shares.
    public func csv() -> String {
        (["ticker,sector,score,weight,close,shares"] + positions.map { p in
            [p.ticker, p.sector.contains(",") ? "\"\(p.sector)\"" : p.sector, "\(p.score)", "\(p.weight)", "\(p.close)", "\(p.shares)"].joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    /// The portfolio, and the orders when given, as JSON.
    public func json(orders: [Order]? = nil) throws -> Data {
        struct Output: Encodable {
            struct P: Encodable { var ticker, sector: String; var score, weight, close: Double; var shares: Int }
            struct O: Encodable { var action, ticker: String; var shares, from, to: Int }
            var decision_date, scoring_date: String
            var trained_for: String?
            var capital: Double
            var cash_reason: String?
            var positions: [P]
            var orders: [O]?
        }
        let output = Output(decision_date: decisionDate.description, scoring_date: scoringDate.description, trained_for: trainedFor?.description,
                            capital: capital, cash_reason: cashReason,
                            positions: positions.map { .init(ticker: $0.ticker, sector: $0.sector, score: $0.score, weight: $0.weight, close: $0.close, shares: $0.shares) },
                            orders: orders?.map { .init(action: $0.action.rawValue, ticker: $0.ticker, shares: $0.shares, from: $0.from, to: $0.to) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(output)
    }
}
