import AlphaLab
import Foundation

/// `alphalab-bench optimizer`: portfolio construction's costs. One rebalance of every
/// sp500 name with a close (about 500) under sector, beta, position, turnover and
/// tracking-error constraints; one of 3,000 names on a synthetic market of that size; and
/// the risk model for all of sp500 at every weekly scoring close 2005-2020. Each
/// rebalance is timed over several runs (median), its risk model estimated before the clock.
func optimizerBenchmark(dataDir: String, runs: Int) throws {
    let batch = try PriceImporter(format: .alphavantage).read(source: dataDir + "/sp500/daily_adjusted")
    let spy = try PriceImporter(format: .yahoo).read(source: dataDir + "/benchmarks/SPY.csv")
    let info = try readSectorFile(path: dataDir + "/sp500/constituents.csv")
    let sp500 = Dataset(panel: Panel(series: (batch.bars + spy.bars).map(PriceSeries.init(adjusting:)), info: info))
    print("optimizer: \(sp500.panel.tickerCount) tickers x \(sp500.panel.dayCount) days on \(ProcessInfo.processInfo.activeProcessorCount) cores")

    // The risk model at every weekly scoring close 2005-2020, for the names with a close there.
    let panel = sp500.panel
    let days = FactorSignal.scoringDays(panel, cadence: .weekly, from: Day("2005-01-01")!, through: Day("2020-12-31")!)
    var clock = Stopwatch()
    let estimator = sp500.riskModels
    var models = 0, names = 0
    for s in days {
        let tickers = panel.tradableTickers.filter { panel.value(.close, ticker: $0, day: s).isFinite }
        if let model = estimator.model(at: s, tickers: tickers) { models += 1; names += model.tickers.count }
    }
    figure("risk model, all of sp500, weekly 2005-2020", String(format: "%.2f s", clock.seconds), target: "target < 30 s")
    figure("  models (mean names)", "\(models) (\(names / max(1, models)))")

    let constrained = ExperimentConfig("bench") { c in
        (c.weighting, c.rebalance, c.maxPosition, c.turnoverPenalty) = (.optimized, .weekly, 0.05, 1)
        (c.sectorNeutral, c.betaNeutral, c.maxTurnover, c.maxTrackingError) = (true, true, 0.5, 0.08)
    }
    let day = panel.calendar.lastIndex(onOrBefore: Day("2020-06-30")!)!
    try rebalance(constrained, dataset: sp500, scoringDay: day, runs: runs, label: "one rebalance, sp500", target: "target < 20 ms")

    var market = SyntheticMarketConfig()
    (market.tickerCount, market.start, market.end) = (3_000, Day(year: 2019, month: 1, day: 1)!, Day(year: 2020, month: 12, day: 31)!)
    clock = Stopwatch()
    let large = try SyntheticMarket.market(market).dataset()
    print(String(format: "  (a synthetic market of 3,000 names in %.1f s)", clock.seconds))
    let last = large.panel.dayCount - 2
    try rebalance(constrained.with { $0.maxPosition = 0.01 }, dataset: large, scoringDay: last, runs: max(1, runs / 3),
                  label: "one rebalance, 3,000 names", target: "target < 500 ms")
}

/// Times `config`'s construction at scoring close `s` of `dataset` over every name with a
/// close there, held from an equal-weighted book of every 20th of them: median of `runs`.
private func rebalance(_ config: ExperimentConfig, dataset: Dataset, scoringDay s: Int, runs: Int, label: String, target: String) throws {
    let panel = dataset.panel
    let tickers = panel.tradableTickers.filter { panel.value(.close, ticker: $0, day: s).isFinite }
    let momentum = try dataset.matrix(feature: "MOM_12_1")
    let candidates = tickers.map { t in
        Selection.Candidate(ticker: t, score: Double(momentum.value(feature: 0, ticker: t, day: s)), sector: panel.sector(ofTicker: t))
    }.filter(\.score.isFinite)
    let book = stride(from: 0, to: candidates.count, by: 20).map { candidates[$0].ticker }
    let held = Dictionary(uniqueKeysWithValues: book.map { ($0, 1 / Double(book.count)) })
    _ = dataset.riskModels.model(at: s, tickers: [tickers[0]]) // the daily regressions, fitted once, before the clock
    let construction = PortfolioConstruction(config: config, dataset: dataset, costs: FillCosts(config: config))
    var seconds: [Double] = []
    var outcome: PortfolioConstruction.Outcome?
    for _ in 0..<runs {
        let clock = Stopwatch()
        outcome = construction.construct(picks: candidates, candidates: candidates, members: tickers, held: held, scoringDay: s)
        seconds.append(clock.seconds)
    }
    let median = seconds.sorted()[seconds.count / 2]
    figure("\(label) (\(candidates.count) names)", String(format: "%.0f ms", median * 1000), target: target)
    if let outcome {
        figure("  held after", outcome.fallback.map { "kept: \($0)" } ?? "\(outcome.picks.count) names")
        if outcome.fallback == nil, let model = dataset.riskModels.model(at: s, tickers: outcome.picks.map(\.ticker)),
           let active = model.activeVariance(outcome.weights) {
            figure("  tracking error a year", Format.rate((active * 252).squareRoot()))
        }
    }
}
