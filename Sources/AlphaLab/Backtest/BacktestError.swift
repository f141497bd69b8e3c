import Foundation

/// Why a walk-forward or a target portfolio cannot be computed.
public enum BacktestError: Error, Equatable, CustomStringConvertible {
    case config(ConfigError)
    /// The span has fewer than two decision dates in the data.
    case noPeriods(String)
    /// Target picks need scores known before the decision (signal_timing = prior_close).
    case lookAheadTiming
    /// The capital to split among the picks is not a positive number.
    case invalidCapital(Double)
    /// The data has no bar to decide from (none at all, or none before the decision).
    case noData(String)
    case unknownFeature(String, [String])
    case noUsableHorizon(weights: [Int: Double], horizons: [Int])
    case scoreCount(label: String, expected: Int, got: Int)
    case unknownUniverse(String, [String])

    public var description: String {
        switch self {
        case .config(let e): e.description
        case .noPeriods(let why): why
        case .lookAheadTiming: "picks score at the last close before the decision: signal_timing must be prior_close"
        case .invalidCapital(let capital): "capital must be positive, got \(capital)"
        case .noData(let why): why
        case .unknownFeature(let name, let valid):
            "unknown feature '\(name)'" + (closestMatch(to: name, in: valid).map { " (did you mean '\($0)'?)" } ?? "")
        case .noUsableHorizon(let weights, let horizons):
            "horizon_weights \(weights.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")) give no weight to the model's horizons \(horizons)"
        case .scoreCount(let label, let expected, let got):
            "scorer '\(label)' returned \(got) scores for \(expected) tickers"
        case .unknownUniverse(let name, let valid):
            "config field 'universe': '\(name)' is not a universe of this data"
                + (closestMatch(to: name, in: valid).map { " (did you mean '\($0)'?)" } ?? "")
                + "; it has: \(valid.joined(separator: ", ")) (import one with `alphalab import membership FILE --universe NAME`)"
        }
    }
}
