import Foundation

/// Where a run's risk and return came from, under the risk model (``RiskModelEstimator``):
/// each period's target weights at their scoring close give the book's factor exposures
/// and predicted risk (with each factor's share of it); the factor returns realised over
/// the period, times the exposures, give each factor's contribution to the book's return,
/// and what is left is the specific part. Returns here are the target weights' close-to-close
/// returns from the scoring close to the close before the exit, so that the parts add up;
/// costs and the open-to-open timing are in the run's own figures, not here.
public struct RiskAttribution: Sendable, Equatable, Codable {
    /// One invested period.
    public struct Period: Sendable, Equatable {
        /// The decision date.
        public var date: Day
        /// The book's exposure to each factor (``RiskAttribution/factors``' order).
        public var exposures: [Double]
        /// Predicted standard deviation of the book's return over the period.
        public var predictedRisk: Double
        /// Each factor's share of the predicted variance (Euler: `x_a (F x)_a / σ²`); the
        /// specific share is one minus their sum.
        public var riskShares: [Double]
        /// Each factor's return realised over the period.
        public var factorReturns: [Double]
        /// The book's return over the period.
        public var bookReturn: Double

        /// Each factor's contribution to the period's return.
        public var contributions: [Double] { zip(exposures, factorReturns).map { $0 * $1 } }
        /// The return no factor explains.
        public var specificReturn: Double { bookReturn - contributions.reduce(0, +) }
    }

    /// The factors: the styles, then `sectors`, the sector factors taken together (for a
    /// fully invested book its exposure is 1; its contribution is the sectors' returns
    /// weighted by the book's sector weights, its risk share theirs summed).
    public var factors: [String]
    public var periods: [Period]
    /// Decision periods a year (52 weekly, 12 monthly), for annualising.
    public var periodsPerYear: Double

    // Stored by column (a list per figure, a list per factor), not a record per period:
    // a ten-year weekly run's attribution decodes in a third of the time, and the run
    // page reads it on every request.
    enum CodingKeys: String, CodingKey {
        case factors, periodsPerYear = "periods_per_year", dates, predictedRisk = "predicted_risk", bookReturn = "book_return"
        case exposures, riskShares = "risk_shares", factorReturns = "factor_returns"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(factors, forKey: .factors)
        try c.encode(periodsPerYear, forKey: .periodsPerYear)
        try c.encode(periods.map(\.date), forKey: .dates)
        try c.encode(periods.map(\.predictedRisk), forKey: .predictedRisk)
        try c.encode(periods.map(\.bookReturn), forKey: .bookReturn)
        try c.encode(factors.indices.map { a in periods.map { $0.exposures[a] } }, forKey: .exposures)
        try c.encode(factors.indices.map { a in periods.map { $0.riskShares[a] } }, forKey: .riskShares)
        try c.encode(factors.indices.map { a in periods.map { $0.factorReturns[a] } }, forKey: .factorReturns)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        factors = try c.decode([String].self, forKey: .factors)
        periodsPerYear = try c.decode(Double.self, forKey: .periodsPerYear)
        let dates = try c.decode([Day].self, forKey: .dates)
        let risk = try c.decode([Double].self, forKey: .predictedRisk), book = try c.decode([Double].self, forKey: .bookReturn)
        let exposures = try c.decode([[Double]].self, forKey: .exposures), shares = try c.decode([[Double]].self, forKey: .riskShares)
        let returns = try c.decode([[Double]].self, forKey: .factorReturns)
        let k = factors.count, n = dates.count
        guard risk.count == n, book.count == n, [exposures, shares, returns].allSatisfy({ $0.count == k && $0.allSatisfy { $0.count == n } }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "the attribution's columns differ in length"))
        }
        periods = (0..<n).map { t in
            Period(date: dates[t], exposures: exposures.map { $0[t] }, predictedRisk: risk[t], riskShares: shares.map { $0[t] },
                   factorReturns: returns.map { $0[t] }, bookReturn: book[t])
        }
    }

    /// Each factor's contribution to return summed over the periods.
    public var contributions: [Double] {
        factors.indices.map { a in periods.reduce(0) { $0 + $1.contributions[a] } }
    }
    /// The specific return summed over the periods.
    public var specificReturn: Double { periods.reduce(0) { $0 + $1.specificReturn } }
    /// Predicted risk a year: the root mean predicted variance, annualised.
    public var predictedRisk: Double {
        guard !periods.isEmpty else { return .nan }
        return (periods.reduce(0) { $0 + $1.predictedRisk * $1.predictedRisk } / Double(periods.count) * periodsPerYear).squareRoot()
    }
    /// Realised risk a year: the standard deviation of the book's period returns, annualised.
    public var realisedRisk: Double {
        periods.count > 1 ? Statistics.standardDeviation(periods.map(\.bookReturn)) * periodsPerYear.squareRoot() : .nan
    }
    /// Each factor's mean exposure, and its mean share of predicted variance.
    public var meanExposures: [Double] { factors.indices.map { a in Statistics.mean(periods.map { $0.exposures[a] }) } }
    public var meanRiskShares: [Double] { factors.indices.map { a in Statistics.mean(periods.map { $0.riskShares[a] }) } }
    /// The specific part's mean share of predicted variance.
    public var meanSpecificShare: Double { 1 - meanRiskShares.reduce(0, +) }

    /// One book to attribute: `weights` of `tickers` (panel positions) set at scoring close
    /// `scoringDay`, held to close `endDay`.
    public struct Book: Sendable {
        public var date: Day
        public var scoringDay: Int
        public var endDay: Int
        public var tickers: [Int]
        public var weights: [Double]

        public init(date: Day, scoringDay: Int, endDay: Int, tickers: [Int], weights: [Double]) {
            self.date = date
            self.scoringDay = scoringDay
            self.endDay = endDay
            self.tickers = tickers
            self.weights = weights
        }
    }

    /// The attribution of `result`'s invested periods on `dataset` (nil when no period has
    /// a risk model: too little history before the first decision).
    public init?(result: ExperimentResult, dataset: Dataset) {
        let panel = dataset.panel
        let books = result.periods.compactMap { p -> Book? in
            guard p.cashReason == nil, !p.picks.isEmpty, let s = panel.calendar.index(of: p.scoringDate),
                  let exit = panel.calendar.index(of: p.exitDate) else { return nil }
            let tickers = p.picks.compactMap { panel.tickerIndex[$0.ticker] }
            guard tickers.count == p.picks.count else { return nil }
            return Book(date: p.date, scoringDay: s, endDay: max(s, exit - 1), tickers: tickers, weights: p.picks.map(\.weight))
        }
        self.init(books: books, dataset: dataset, periodsPerYear: result.config.rebalance.periodsPerYear)
    }

    /// The attribution of `books` on `dataset`, `periodsPerYear` of them a year (nil when
    /// no book has a risk model: too little history before the first).
    public init?(books: [Book], dataset: Dataset, periodsPerYear: Double) {
        let panel = dataset.panel, estimator = dataset.riskModels
        var periods: [Period] = []
        for book in books {
            let (s, end, tickers, weights) = (book.scoringDay, book.endDay, book.tickers, book.weights)
            guard let model = estimator.model(at: s, tickers: tickers) else { continue }
            let k = model.factors.count, styles = RiskStyle.allCases.count
            let x = model.factorExposure(weights)
            let fx = (0..<k).map { a in (0..<k).reduce(0) { $0 + model.factorCovariance[a * k + $1] * x[$1] } }
            let variance = model.variance(weights)
            let total = variance.factor + variance.specific
            let days = Double(max(1, end - s))
            let bookReturn = zip(tickers, weights).reduce(0.0) { sum, pair in
                let r = panel.value(.close, ticker: pair.0, day: end) / panel.value(.close, ticker: pair.0, day: s) - 1
                return sum + (r.isFinite ? pair.1 * r : 0)
            }
            let f = estimator.factorReturns(after: s, through: end)
            let shares = (0..<k).map { total > 0 ? x[$0] * fx[$0] / total : 0 }
            // The sectors as one factor: exposure, return and share such that exposure x return is their contribution.
            let sectorExposure = x[styles...].reduce(0, +)
            let sectorContribution = (styles..<k).reduce(0) { $0 + x[$1] * f[$1] }
            let period = Period(date: book.date, exposures: Array(x[..<styles]) + [sectorExposure], predictedRisk: (total * days).squareRoot(),
                                  riskShares: Array(shares[..<styles]) + [shares[styles...].reduce(0, +)],
                                  factorReturns: Array(f[..<styles]) + [sectorExposure != 0 ? sectorContribution / sectorExposure : 0],
                                  bookReturn: bookReturn)
            // JSON has no NaN: a period the model cannot price in full is left out.
            guard ([period.predictedRisk, period.bookReturn] + period.exposures + period.riskShares + period.factorReturns).allSatisfy(\.isFinite) else { continue }
            periods.append(period)
        }
        guard !periods.isEmpty else { return nil }
        factors = RiskStyle.allCases.map(\.rawValue) + ["sectors"]
        self.periods = periods
        self.periodsPerYear = periodsPerYear
    }

    /// A line a summary prints.
    public var summary: String {
        String(format: "risk: predicted %.1f%% a year, realised %.1f%% (risk model, %d periods); specific %.0f%% of predicted variance",
               predictedRisk * 100, realisedRisk * 100, periods.count, meanSpecificShare * 100)
    }
}
