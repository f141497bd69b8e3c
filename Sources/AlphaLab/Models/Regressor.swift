import Foundation

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
    /// The relative cost of fitting one row (trees for a boosted model), for planning.
    var costPerRow: Double { get }
}

extension RegressorSpec {
    /// One unit a row, for models without trees.
    public var costPerRow: Double { 1 }
}

/// Any regressor spec, type-erased so a configuration can hold XGBoost, ridge, or a
/// model added later, and still compare and hash (for the training cache).
public struct AnyRegressorSpec: RegressorSpec {
    /// The wrapped spec.
    public let base: any RegressorSpec

    public init(_ base: some RegressorSpec) { self.base = base }

    public static func == (a: AnyRegressorSpec, b: AnyRegressorSpec) -> Bool { AnyHashable(a.base) == AnyHashable(b.base) }
    public func hash(into hasher: inout Hasher) { AnyHashable(base).hash(into: &hasher) }
    public var description: String { base.description }
    public var costPerRow: Double { base.costPerRow }
    public func fit(_ rows: FeatureRows, labels: [Float]) throws -> any Regressor { try base.fit(rows, labels: labels) }
}

/// A regressor that can say what drives its predictions.
public protocol ExplainableRegressor: Regressor {
    /// Gain importance per feature column (zero for a feature never used).
    func gainImportance() throws -> [Double]
    /// Per row, each feature's additive contribution to the prediction (SHAP values),
    /// row-major (`rowCount x featureCount`), and each row's bias: contributions plus
    /// bias equal the prediction.
    func contributions(_ rows: FeatureRows) throws -> (values: [Float], bias: [Float])
}

/// A regressor that can be written to and read from a file (the disk training cache).
public protocol PersistableRegressor: Regressor {
    /// A short name stored beside the file, to know how to read it back.
    static var kind: String { get }
    /// The model's file contents.
    func encoded() throws -> Data
    /// A model from file contents.
    static func decoded(_ data: Data, featureCount: Int) throws -> Self
}

/// The persistable regressors, by kind.
let persistableRegressors: [String: any PersistableRegressor.Type] = [
    XGBoostModel.kind: XGBoostModel.self, RidgeModel.kind: RidgeModel.self,
]

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
