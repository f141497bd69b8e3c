/// One ticker's bars with no gaps: the days on which it traded, oldest first.
public struct Bars: Sendable {
    public var open: [Double]
    public var high: [Double]
    public var low: [Double]
    public var close: [Double]
    public var volume: [Double]

    /// Creates bars from columns of equal length.
    public init(open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]) {
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// The number of bars.
    public var count: Int { close.count }
}

/// A named, causal indicator: its value at a bar uses only that bar and earlier ones.
public struct Feature: Sendable {
    /// How the value is computed.
    public enum Computation: Sendable {
        /// From one ticker's own bars.
        case perTicker(@Sendable (Bars) -> [Double])
        /// The percentile rank (0..1] of another feature across the universe on each date.
        case crossSectionalRank(of: @Sendable (Bars) -> [Double])
    }

    /// The name features are known by (`RSI_14`, `MOM_12_1`, ...).
    public let name: String
    /// One line on what it measures.
    public let summary: String
    public let computation: Computation

    /// A feature computed from each ticker's own bars. `compute` must return one value per bar
    /// and must not read bars after the one it computes (the causality test holds it to that).
    public init(name: String, summary: String, compute: @escaping @Sendable (Bars) -> [Double]) {
        self.name = name
        self.summary = summary
        self.computation = .perTicker(compute)
    }

    private init(name: String, summary: String, computation: Computation) {
        self.name = name
        self.summary = summary
        self.computation = computation
    }

    /// A feature ranking `base` across the universe on each date (percentile rank in (0, 1]).
    public static func crossSectionalRank(name: String, summary: String, of base: @escaping @Sendable (Bars) -> [Double]) -> Feature {
        Feature(name: name, summary: summary, computation: .crossSectionalRank(of: base))
    }
}

/// A named list of features: the columns of a model's input.
public struct FeatureSet: Sendable {
    public let name: String
    public let features: [Feature]

    /// A set of features, in column order.
    public init(name: String, features: [Feature]) {
        self.name = name
        self.features = features
    }

    /// A set from catalog names; throws naming an unknown feature.
    public init(name: String, featureNames: [String]) throws(FeatureError) {
        self.init(name: name, features: try featureNames.map { n throws(FeatureError) in
            guard let f = FeatureCatalog.feature(named: n) else { throw FeatureError.unknownFeature(n, known: FeatureCatalog.names) }
            return f
        })
    }

    /// Feature names, in column order.
    public var names: [String] { features.map(\.name) }
}

/// Problems defining or computing features.
public enum FeatureError: Error, Equatable, CustomStringConvertible {
    case unknownFeature(String, known: [String])
    case unknownSet(String, known: [String])
    case wrongLength(feature: String, expected: Int, got: Int)

    public var description: String {
        switch self {
        case .unknownFeature(let name, let known): return "unknown feature '\(name)'; known features: \(known.joined(separator: ", "))"
        case .unknownSet(let name, let known): return "unknown feature set '\(name)'; known sets: \(known.joined(separator: ", "))"
        case .wrongLength(let feature, let expected, let got): return "feature \(feature) returned \(got) values for \(expected) bars"
        }
    }
}
