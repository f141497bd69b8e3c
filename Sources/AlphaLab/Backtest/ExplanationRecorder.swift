/// Collects what `explain = true` keeps while a walk-forward runs: every period's scores,
/// and for a model each horizon's predictions and the features' importance by retraining.
struct ExplanationRecorder {
    private var explanation: Explanation
    private let column: [Int: Int]
    private var block: (date: Day, sums: [Int: (absoluteSHAP: [Double], rows: Int, gain: [Double])])?
    private var features: [String] = []

    init(dataset: Dataset) {
        let tickers = dataset.tradableTickers
        explanation = Explanation(tickers: tickers.map { dataset.panel.tickers[$0] })
        column = Dictionary(uniqueKeysWithValues: tickers.enumerated().map { ($1, $0) })
    }

    private func row(_ values: [Double], _ members: [Int]) -> [Float] {
        var row = [Float](repeating: .nan, count: column.count)
        for (i, t) in members.enumerated() { row[column[t]!] = Float(values[i]) }
        return row
    }

    /// One period's scores, and for a model its horizons' predictions and explanation.
    mutating func record(scores: [Double], members: [Int], scorer: any Scorer, retrain: Bool, date: Day) {
        explanation.scores.append(row(scores, members))
        guard let model = scorer as? ModelScorer else { return }
        for (h, predictions) in model.lastPredictions { explanation.horizonScores[h, default: []].append(row(predictions, members)) }
        features = model.featureNames
        if retrain || block == nil {
            flush()
            block = (date, [:])
        }
        for (h, e) in model.lastExplanation {
            var sum = block!.sums[h] ?? ([Double](repeating: 0, count: e.absoluteSHAP.count), 0, e.gain)
            for j in sum.absoluteSHAP.indices { sum.absoluteSHAP[j] += e.absoluteSHAP[j] }
            sum.rows += e.rows
            sum.gain = e.gain
            block!.sums[h] = sum
        }
    }

    private mutating func flush() {
        guard let block else { return }
        for (h, sum) in block.sums.sorted(by: { $0.key < $1.key }) {
            explanation.importance.append(.init(date: block.date, horizon: h, features: features, gain: sum.gain,
                                                meanAbsoluteSHAP: sum.absoluteSHAP.map { sum.rows > 0 ? $0 / Double(sum.rows) : 0 }, rows: sum.rows))
        }
        self.block = nil
    }

    /// The explanation, the last retraining period included.
    mutating func finished() -> Explanation {
        flush()
        return explanation
    }
}
