import Foundation

/// A target portfolio as people and programs read it: a table, CSV and JSON.
extension TargetPortfolio {
    /// The portfolio (and `orders`, when given) as a readable table.
    public func text(orders: [Order]? = nil) -> String {
        var lines = ["picks for \(decisionDate) (scored at the close of \(scoringDate)"
                     + (trainedFor.map { ", model trained for \($0)" } ?? "") + String(format: ", capital %.2f)", capital)]
        if let cashReason { lines.append("cash: \(cashReason)") }
        if let line = breakerLine { lines.append(line) }
        if !positions.isEmpty {
            let stops = positions.contains { $0.stop != nil }
            lines.append("Ticker   Sector                   Score      Weight   Close       Shares" + (stops ? "   Stop" : ""))
            for p in positions {
                lines.append(String(format: "%@ %@ %+.5f  %6.2f%%  %10.2f  %7d", p.ticker.padding(toLength: 8, withPad: " ", startingAt: 0),
                                    String(p.sector.prefix(24)).padding(toLength: 24, withPad: " ", startingAt: 0), p.score, p.weight * 100, p.close, p.shares)
                             + (p.stop.map { String(format: "  %10.2f", $0) } ?? ""))
            }
            if stops { lines.append("stops: close x (1 - stop_loss_pct); once filled, the fill price x the same") }
        }
        if let orders {
            lines.append(orders.isEmpty ? "orders: none (the holdings are the target)" : "orders:")
            for o in orders { lines.append("  \(o.action.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(o.shares) \(o.ticker) (\(o.from) -> \(o.to))") }
        }
        return lines.joined(separator: "\n")
    }

    /// The circuit breaker's state for this decision, when the config has one.
    var breakerLine: String? {
        if let breakerNote { return "breaker: \(breakerNote)" }
        switch breaker {
        case .tripped(let left)?: return "breaker: tripped: cash at this decision (\(left) cash period\(left == 1 ? "" : "s") left, this one included)"
        case .resuming?: return "breaker: its cash periods are over: invested again at this decision"
        case .armed(let level, let peak)?:
            return String(format: "breaker: armed: cash instead if equity at the open is at or below %.2f (peak %.2f)", level, peak)
        case .off?, nil: return nil
        }
    }

    /// One line per position: ticker, sector, score, weight, close, shares (and stop, with a stop-loss).
    public func csv() -> String {
        let stops = positions.contains { $0.stop != nil }
        return (["ticker,sector,score,weight,close,shares" + (stops ? ",stop" : "")] + positions.map { p in
            ([p.ticker, p.sector.contains(",") ? "\"\(p.sector)\"" : p.sector, "\(p.score)", "\(p.weight)", "\(p.close)", "\(p.shares)"]
                + (stops ? [p.stop.map { "\($0)" } ?? ""] : [])).joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    /// The portfolio, and the orders when given, as JSON.
    public func json(orders: [Order]? = nil) throws -> Data {
        struct Output: Encodable {
            struct P: Encodable { var ticker, sector: String; var score, weight, close: Double; var shares: Int; var stop: Double? }
            struct O: Encodable { var action, ticker: String; var shares, from, to: Int }
            struct B: Encodable { var state: String; var cash_at_or_below, peak: Double?; var cash_periods_left: Int?; var note: String? }
            var decision_date, scoring_date: String
            var trained_for: String?
            var capital: Double
            var cash_reason: String?
            var positions: [P]
            var orders: [O]?
            var breaker: B?
        }
        let output = Output(decision_date: decisionDate.description, scoring_date: scoringDate.description, trained_for: trainedFor?.description,
                            capital: capital, cash_reason: cashReason,
                            positions: positions.map { .init(ticker: $0.ticker, sector: $0.sector, score: $0.score, weight: $0.weight, close: $0.close,
                                                             shares: $0.shares, stop: $0.stop) },
                            orders: orders?.map { .init(action: $0.action.rawValue, ticker: $0.ticker, shares: $0.shares, from: $0.from, to: $0.to) },
                            breaker: breakerNote.map { Output.B(state: "unknown", note: $0) } ?? breakerState.map {
                                Output.B(state: $0.state, cash_at_or_below: $0.cashAtOrBelow, peak: $0.peak, cash_periods_left: $0.cashPeriodsLeft)
                            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(output)
    }

    /// The breaker's state by name ("off", "tripped", "resuming", "armed") with its figures.
    public var breakerState: (state: String, cashAtOrBelow: Double?, peak: Double?, cashPeriodsLeft: Int?)? {
        switch breaker {
        case nil: nil
        case .off?: ("off", nil, nil, nil)
        case .tripped(let left)?: ("tripped", nil, nil, left)
        case .resuming?: ("resuming", nil, nil, nil)
        case .armed(let level, let peak)?: ("armed", level, peak, nil)
        }
    }
}
