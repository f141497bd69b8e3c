/// Rows of features for training or prediction: row-major Float32, NaN for missing.
public struct FeatureRows: Sendable {
    public var values: [Float]
    public let featureCount: Int

    /// Rows from a row-major buffer of `featureCount` columns.
    public init(values: [Float], featureCount: Int) {
        precondition(featureCount > 0 && values.count % featureCount == 0, "FeatureRows: values must fill whole rows")
        self.values = values
        self.featureCount = featureCount
    }

    /// The number of rows.
    public var rowCount: Int { values.count / featureCount }

    /// The same rows with only the given columns, in that order.
    public func selecting(columns: [Int]) -> FeatureRows {
        var out = [Float]()
        out.reserveCapacity(rowCount * columns.count)
        values.withUnsafeBufferPointer { v in
            for r in 0..<rowCount {
                let base = r * featureCount
                for c in columns { out.append(v[base + c]) }
            }
        }
        return FeatureRows(values: out, featureCount: columns.count)
    }
}

/// A trained model mapping feature rows to a prediction each.
public protocol Regressor: Sendable {
    /// The number of feature columns the model expects.
    var featureCount: Int { get }
    /// One prediction per row.
    func predict(_ rows: FeatureRows) throws -> [Float]
}

/// A way to train a regressor: its kind and hyperparameters. Two specs that compare
/// equal train the same model from the same data (the training cache relies on it).
public protocol RegressorSpec: Sendable, Hashable, CustomStringConvertible {
    /// Fits a model to rows and their labels.
    func fit(_ rows: FeatureRows, labels: [Float]) throws -> any Regressor
}

/// Errors of model training and prediction.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case xgboost(String)
    case shape(String)
    case noTrainingRows(String)

    public var description: String {
        switch self {
        case .xgboost(let message): return "XGBoost: \(message)"
        case .shape(let message): return message
        case .noTrainingRows(let context): return "no training rows: \(context)"
        }
    }
}
