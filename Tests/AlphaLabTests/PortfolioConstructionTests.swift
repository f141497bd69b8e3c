import AlphaLab
import Foundation
import Testing

/// `weighting = "optimized"`: the risk model and the QP inside the walk-forward. Its
/// decisions see nothing after their scoring close, its constraints hold at every
/// decision, and a problem that cannot be solved keeps the book with a warning.
@Suite("Portfolio construction", .serialized)
struct PortfolioConstructionTests {
    static let market: Dataset = {
        var config = SyntheticMarketConfig()
        (config.tickerCount, config.start, config.end) = (60, Day(year: 2010, month: 1, day: 1)!, Day(year: 2016, month: 12, day: 31)!)
        return try! SyntheticMarket.market(config).dataset()
    }()

    static func optimized(_ body: (inout ExperimentConfig) -> Void = { _ in }) -> ExperimentConfig {
        ExperimentConfig.momentum12_1(startYear: 2014, endYear: 2016).with { c in
            c.name = "optimized"
            (c.rebalance, c.weighting, c.topN) = (.weekly, .optimized, 10)
            body(&c)
        }
    }

    @Test("Decisions before a cut are the same on the data cut there: the optimizer and its risk model see no later bar")
    func truncation() throws {
        let config = Self.optimized { $0.turnoverPenalty = 2 }
        let full = try WalkForward(config: config, dataset: Self.market).run()
        let cutDay = Day(year: 2015, month: 6, day: 30)!
        let cut = try WalkForward(config: config, dataset: Dataset(panel: Self.market.panel.truncated(through: cutDay))).run()
        // The cut run's last period is sold at its end; every earlier one matches the full run's.
        let compared = cut.periods.dropLast()
        #expect(compared.count > 70)
        for (a, b) in zip(full.periods, compared) {
            #expect(a.date == b.date && a.picks.map(\.ticker) == b.picks.map(\.ticker) && a.picks.map(\.weight) == b.picks.map(\.weight),
                    "\(a.date): \(zip(a.picks, b.picks).map { abs($0.weight - $1.weight) }.max() ?? -1)")
        }
        // Optimized weights are not equal weights.
        #expect(full.periods.contains { p in Set(p.picks.map { ($0.weight * 1e6).rounded() }).count > 1 })
    }

    @Test("beta_neutral and sector_neutral hold at every decision under the risk model; max_position too")
    func constraintsHold() throws {
        let config = Self.optimized { ($0.betaNeutral, $0.sectorNeutral, $0.maxPosition) = (true, true, 0.15) }
        let result = try WalkForward(config: config, dataset: Self.market).run()
        let panel = Self.market.panel
        let universe = try Self.market.universe(named: config.universe)
        var checked = 0
        for p in result.periods where p.cashReason == nil {
            let s = try #require(panel.calendar.index(of: p.scoringDate))
            let tickers = p.picks.map { panel.tickerIndex[$0.ticker]! }
            let model = try #require(Self.market.riskModels.model(at: s, tickers: tickers))
            let exposure = model.factorExposure(p.picks.map(\.weight))
            let beta = try #require(model.factors.firstIndex(of: "beta"))
            #expect(abs(exposure[beta]) < 1e-4, "\(p.date): beta exposure \(exposure[beta])")
            // Within the solver's tolerance (PortfolioConstruction.tolerance, 1e-6, relative).
            #expect(p.picks.allSatisfy { $0.weight <= 0.15 * (1 + 1e-5) }, "\(p.date): \(p.picks.map(\.weight).max() ?? 0)")
            let members = universe.members(day: s)
            for sector in Set(members.map { panel.sector(ofTicker: $0) }) {
                let share = Double(members.filter { panel.sector(ofTicker: $0) == sector }.count) / Double(members.count)
                let held = p.picks.filter { $0.sector == sector }.reduce(0) { $0 + $1.weight }
                #expect(abs(held - share) <= 0.05 + 1e-4, "\(p.date) \(sector): \(held) against \(share)")
            }
            checked += 1
        }
        #expect(checked > 100 && !result.warnings.contains { $0.hasPrefix("optimizer:") }, "\(result.warnings)")
    }

    @Test("A turnover penalty trades less; max_turnover caps each period's one-way turnover")
    func turnover() throws {
        let free = try WalkForward(config: Self.optimized { $0.turnoverPenalty = 0 }, dataset: Self.market).run()
        let penalised = try WalkForward(config: Self.optimized { $0.turnoverPenalty = 3 }, dataset: Self.market).run()
        #expect(penalised.turnover < free.turnover / 2, "\(penalised.turnover) against \(free.turnover)")
        let capped = try WalkForward(config: Self.optimized { ($0.turnoverPenalty, $0.maxTurnover) = (0, 0.2) }, dataset: Self.market).run()
        // Turnover is traded notional over equity (both sides): at most twice the one-way cap,
        // give or take the drift between the scoring close and the open, after the first period.
        for p in capped.periods.dropFirst() where p.cashReason == nil { #expect(p.turnover <= 0.4 + 0.02, "\(p.date): \(p.turnover)") }
    }

    @Test("Constraints that cannot hold: each period keeps its book (none here: cash), never equal weights, and the warning names the constraint")
    func infeasible() throws {
        let result = try WalkForward(config: Self.optimized { $0.maxPosition = 0.05 }, dataset: Self.market).run()
        #expect(result.periods.allSatisfy { $0.picks.isEmpty })
        let warning = try #require(result.warnings.first { $0.hasPrefix("optimizer:") })
        #expect(warning.contains("\(result.periods.count) of \(result.periods.count) periods kept their book") && warning.contains("max_position 0.05 x 10 names < 1"), "\(warning)")
    }

    /// Each invested period's predicted tracking error to SPY, annualised, under the risk model at its scoring close.
    static func trackingErrors(_ result: ExperimentResult) throws -> [Double] {
        let panel = market.panel
        return try result.periods.filter { $0.cashReason == nil && !$0.picks.isEmpty }.map { p in
            let s = try #require(panel.calendar.index(of: p.scoringDate))
            let model = try #require(market.riskModels.model(at: s, tickers: p.picks.map { panel.tickerIndex[$0.ticker]! }))
            return (try #require(model.activeVariance(p.picks.map(\.weight))) * 252).squareRoot()
        }
    }

    @Test("max_tracking_error holds the book's predicted tracking error to SPY within the bound at every decision; a bound the picks cannot meet keeps the book with a warning")
    func trackingError() throws {
        let free = try Self.trackingErrors(WalkForward(config: Self.optimized { $0.maxPosition = 0.3 }, dataset: Self.market).run())
        let result = try WalkForward(config: Self.optimized { ($0.maxPosition, $0.maxTrackingError) = (0.3, 0.08) }, dataset: Self.market).run()
        let bounded = try Self.trackingErrors(result)
        print("tracking error: median \(Statistics.median(free)) free, \(Statistics.median(bounded)) under max_tracking_error 0.08")
        // The bound binds: without it most books track further than 8% a year.
        #expect(Statistics.median(free) > 0.09, "\(Statistics.median(free))")
        // Every period the optimizer solved tracks within the bound (one that kept its book says so in the warning).
        let kept = result.warnings.first { $0.hasPrefix("optimizer:") }
        let within = bounded.filter { $0 <= 0.08 * 1.001 }.count
        #expect(within >= bounded.count * 9 / 10 && bounded.count > 100, "\(within) of \(bounded.count); \(kept ?? "")")

        // Below what the benchmark's own residual risk allows, and below what the candidates allow.
        let impossible = try WalkForward(config: Self.optimized { ($0.maxTrackingError, $0.startYear) = (0.001, 2016) }, dataset: Self.market).run()
        let warning = try #require(impossible.warnings.first { $0.hasPrefix("optimizer:") })
        #expect(warning.contains("max_tracking_error 0.1% cannot hold: the benchmark's own risk outside the factors is"), "\(warning)")
        let unreachable = try WalkForward(config: Self.optimized { ($0.maxTrackingError, $0.startYear) = (0.053, 2016) }, dataset: Self.market).run()
        let closest = try #require(unreachable.warnings.first { $0.hasPrefix("optimizer:") })
        #expect(closest.contains("max_tracking_error 5.3% cannot hold: the closest book the candidates allow tracks at"), "\(closest)")
    }
}
