import Foundation

/// What a factor analysis gathers date by date before it sums up: each horizon's ICs,
/// spreads, quantile returns and sector ICs, and the signal's own turnover, rank
/// autocorrelation and breadth.
struct FactorAccumulator {
    let signal: FactorSignal
    let panel: Panel
    let options: FactorOptions
    /// Sectors as small integers: grouping by them runs for every date and horizon.
    let sectorNames: [String]
    /// Names a sector needs on a date (with a signal and a return) for its IC that date.
    static let sectorMinimum = 5
    private let sectors: [Int]
    private let allHorizons: [Int]
    private(set) var ics = [Int: [Double]](), spreads = [Int: [Double]]()
    private var quantileSums = [Int: [Double]](), quantileCounts = [Int: [Int]](), sectorICs = [Int: [[Double]]]()
    private(set) var turnovers: [Double] = [], autocorrelations: [Double] = [], breadths: [Double] = []
    private var previousTop: Set<Int>?, previousValues: [Double]?

    init(signal: FactorSignal, panel: Panel, options: FactorOptions) {
        self.signal = signal
        self.panel = panel
        self.options = options
        sectorNames = Array(Set(signal.tickers.map { panel.sector(ofTicker: $0) }.filter { !$0.isEmpty })).sorted()
        let sectorID = Dictionary(uniqueKeysWithValues: sectorNames.enumerated().map { ($1, $0) })
        sectors = signal.tickers.map { sectorID[panel.sector(ofTicker: $0)] ?? -1 }
        allHorizons = Array(Set(options.horizons + options.decayHorizons)).sorted()
        for h in allHorizons {
            ics[h] = []
            spreads[h] = []
            quantileSums[h] = Array(repeating: 0, count: options.quantiles)
            quantileCounts[h] = Array(repeating: 0, count: options.quantiles)
        }
    }

    /// Adds scoring date `k` (trading day `s`): the signal's own figures, then every horizon.
    mutating func add(date k: Int, day s: Int) {
        let row = signal.values[k]
        let known = row.indices.filter { row[$0].isFinite }
        addSignalFigures(row, known: known)
        // The signal's ranks over the known tickers, reused for every horizon whose
        // returns are all known (the usual case): one sort per date instead of one per horizon.
        let knownRanks = Statistics.ranks(known.map { row[$0] })
        for h in allHorizons { addHorizon(h, row: row, known: known, knownRanks: knownRanks, day: s) }
    }

    /// Breadth, top quantile turnover and rank autocorrelation against the previous date.
    private mutating func addSignalFigures(_ row: [Double], known: [Int]) {
        breadths.append(Double(known.count))
        let top = Set(FactorAnalysis.topQuantile(known.map { row[$0] }, quantiles: options.quantiles).map { known[$0] })
        if let previousTop, !top.isEmpty, !previousTop.isEmpty { turnovers.append(Double(top.subtracting(previousTop).count) / Double(top.count)) }
        previousTop = top
        if let previousValues {
            let both = row.indices.filter { row[$0].isFinite && previousValues[$0].isFinite }
            if both.count >= options.minimumTickers {
                autocorrelations.append(Statistics.spearman(both.map { row[$0] }, both.map { previousValues[$0] }))
            }
        }
        previousValues = row
    }

    /// One horizon's IC on the date, and for the report's horizons its quantiles, spread and sector ICs.
    private mutating func addHorizon(_ h: Int, row: [Double], known: [Int], knownRanks: [Double], day s: Int) {
        var x: [Double] = [], y: [Double] = [], columns: [Int] = []
        for i in known {
            let r = ForwardReturn.openToOpen(panel, ticker: signal.tickers[i], scoringDay: s, horizon: h)
            if r.isFinite { x.append(row[i]); y.append(r); columns.append(i) }
        }
        guard x.count >= options.minimumTickers else {
            ics[h]!.append(.nan); spreads[h]!.append(.nan)
            return
        }
        let xRanks = x.count == known.count ? knownRanks : Statistics.ranks(x)
        ics[h]!.append(Statistics.correlation(xRanks, Statistics.ranks(y)))
        guard options.horizons.contains(h) else { return }
        addQuantiles(h, x: x, y: y)
        addSectorICs(h, x: x, y: y, columns: columns)
    }

    /// The date's mean return of each quantile and its top-minus-bottom spread.
    private mutating func addQuantiles(_ h: Int, x: [Double], y: [Double]) {
        let q = FactorAnalysis.quantileIndices(x, quantiles: options.quantiles)
        var sums = [Double](repeating: 0, count: options.quantiles), counts = [Int](repeating: 0, count: options.quantiles)
        for (j, bucket) in q.enumerated() { sums[bucket] += y[j]; counts[bucket] += 1 }
        for b in 0..<options.quantiles where counts[b] > 0 {
            quantileSums[h]![b] += sums[b] / Double(counts[b]); quantileCounts[h]![b] += 1
        }
        let last = options.quantiles - 1
        spreads[h]!.append(counts[last] > 0 && counts[0] > 0 ? sums[last] / Double(counts[last]) - sums[0] / Double(counts[0]) : .nan)
    }

    /// The date's IC within each sector with at least five tickers.
    private mutating func addSectorICs(_ h: Int, x: [Double], y: [Double], columns: [Int]) {
        var sectorX = [[Double]](repeating: [], count: sectorNames.count), sectorY = sectorX
        for (j, i) in columns.enumerated() where sectors[i] >= 0 {
            sectorX[sectors[i]].append(x[j]); sectorY[sectors[i]].append(y[j])
        }
        if sectorICs[h] == nil { sectorICs[h] = Array(repeating: [], count: sectorNames.count) }
        for k in sectorNames.indices where sectorX[k].count >= Self.sectorMinimum {
            let ic = Statistics.spearman(sectorX[k], sectorY[k])
            if ic.isFinite { sectorICs[h]![k].append(ic) }
        }
    }

    /// The figures of horizon `h` over `dates`, scoring dates `spacing` trading days apart.
    func horizon(_ h: Int, dates: [Day], spacing: Int) -> FactorReport.Horizon {
        let ics = self.ics[h]!, valid = ics.filter(\.isFinite)
        let lags = max(0, Int((Double(h) / Double(spacing)).rounded(.up)) - 1)
        var byYear: [Int: [Double]] = [:]
        for (d, ic) in zip(dates, ics) where ic.isFinite { byYear[d.year, default: []].append(ic) }
        let spreads = self.spreads[h]!
        let cumulative = FactorReport.cumulativeSpread(spreads, horizon: h, spacing: spacing)
        let validSpreads = spreads.filter(\.isFinite)
        return FactorReport.Horizon(
            horizon: h, ics: ics, meanIC: Statistics.mean(valid), icT: Statistics.neweyWestT(valid, lags: lags).t, lags: lags,
            positiveShare: valid.isEmpty ? .nan : Double(valid.filter { $0 > 0 }.count) / Double(valid.count),
            icByYear: byYear.mapValues(Statistics.mean),
            // Every sector, NaN where it never had enough names on a date: a table that leaves it out says nothing of why.
            icBySector: Dictionary(uniqueKeysWithValues: (sectorICs[h] ?? []).enumerated().map { k, ics in
                (sectorNames[k], ics.isEmpty ? .nan : Statistics.mean(ics))
            }),
            quantileReturns: zip(quantileSums[h]!, quantileCounts[h]!).map { $1 > 0 ? $0 / Double($1) : .nan },
            spreads: spreads, meanSpread: Statistics.mean(validSpreads),
            spreadT: Statistics.neweyWestT(validSpreads, lags: lags).t, cumulativeSpread: cumulative)
    }
}
