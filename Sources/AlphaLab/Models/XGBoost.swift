import CXGBoost
import Foundation

/// XGBoost hyperparameters. The defaults are the seed's final-model settings.
public struct XGBoostParameters: RegressorSpec {
    public var trees = 100
    public var maxDepth = 5
    public var learningRate = 0.05
    public var subsample = 1.0
    public var columnSample = 1.0
    public var minChildWeight = 1.0
    public var lambda = 1.0
    public var seed: UInt64 = 0
    /// Threads for training and prediction; 0 uses every core.
    public var threads = 0

    /// The seed's defaults.
    public init() {}

    /// Parameters with the most often changed fields given.
    public init(trees: Int, maxDepth: Int, learningRate: Double) {
        self.trees = trees
        self.maxDepth = maxDepth
        self.learningRate = learningRate
    }

    public var description: String {
        "xgboost(trees=\(trees), depth=\(maxDepth), lr=\(learningRate), subsample=\(subsample), colsample=\(columnSample), min_child_weight=\(minChildWeight), lambda=\(lambda), seed=\(seed))"
    }

    public func fit(_ rows: FeatureRows, labels: [Float]) throws -> any Regressor {
        try XGBoostModel.train(rows, labels: labels, parameters: self)
    }

    /// Rows times trees is the planning cost of a boosted model.
    public var costPerRow: Double { Double(trees) }
}

/// A gradient-boosted tree model trained through XGBoost's C API (`hist` trees,
/// squared error).
///
/// `base_score` is set to the training labels' mean, as XGBoost 2 does by default
/// and 1.7 does not: with 1.7's 0.5, a 100-tree lr-0.05 model's every prediction
/// would sit ~0.3% high and directional accuracy would be meaningless.
public final class XGBoostModel: PersistableRegressor, ExplainableRegressor, @unchecked Sendable {
    // @unchecked: the handle is used under `lock`; XGBoost boosters are not thread-safe.
    private let handle: BoosterHandle
    private let lock = NSLock()
    public let featureCount: Int

    private init(handle: BoosterHandle, featureCount: Int) {
        self.handle = handle
        self.featureCount = featureCount
    }

    deinit { XGBoosterFree(handle) }

    /// Trains a model.
    public static func train(_ rows: FeatureRows, labels: [Float], parameters p: XGBoostParameters) throws -> XGBoostModel {
        guard labels.count == rows.rowCount else {
            throw ModelError.shape("\(labels.count) labels for \(rows.rowCount) rows")
        }
        guard rows.rowCount > 0 else { throw ModelError.noTrainingRows("empty training set") }
        let (model, matrix) = try booster(on: rows, labels: labels)
        let mean = labels.reduce(0.0) { $0 + Double($1) } / Double(labels.count)
        for (key, value) in trainingSettings(p) + [("base_score", String(mean.isFinite ? mean : 0))] {
            try check(XGBoosterSetParam(model.handle, key, value))
        }
        try model.boost(matrix, rounds: 0..<p.trees)
        // A booster keeps its training matrix alive for its prediction cache: hundreds of
        // megabytes per model when thousands of models are cached. A copy loaded from the
        // model's own JSON predicts bit-identically and holds only the trees.
        return try XGBoostModel(json: model.json(), featureCount: rows.featureCount)
    }

    /// This model continued by `rounds` boosting rounds on `rows` (XGBoost's training
    /// continuation, the Python package's `xgb_model`): the trees so far are kept, with
    /// their base score, and the new ones fit what they leave of `labels`.
    public func continued(on rows: FeatureRows, labels: [Float], parameters p: XGBoostParameters, rounds: Int) throws -> XGBoostModel {
        guard labels.count == rows.rowCount, rows.featureCount == featureCount else {
            throw ModelError.shape("\(labels.count) labels for \(rows.rowCount) rows of \(rows.featureCount) features; the model has \(featureCount)")
        }
        let (model, matrix) = try Self.booster(on: rows, labels: labels)
        let saved = try json()
        try saved.withUnsafeBytes { try check(XGBoosterLoadModelFromBuffer(model.handle, $0.baseAddress, UInt64($0.count))) }
        for (key, value) in Self.trainingSettings(p) { try check(XGBoosterSetParam(model.handle, key, value)) }
        var done: Int32 = 0
        try check(XGBoosterBoostedRounds(model.handle, &done))
        try model.boost(matrix, rounds: Int(done)..<(Int(done) + rounds))
        return try XGBoostModel(json: model.json(), featureCount: featureCount)
    }

    /// An empty booster that trains on `rows` with `labels`, and their matrix (kept alive
    /// while it trains).
    private static func booster(on rows: FeatureRows, labels: [Float]) throws -> (XGBoostModel, DMatrix) {
        let matrix = try DMatrix(rows)
        try check(labels.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(matrix.handle, "label", $0.baseAddress, UInt64($0.count)) })
        var handle: BoosterHandle?
        var inputs: [DMatrixHandle?] = [matrix.handle]
        try check(XGBoosterCreate(&inputs, 1, &handle))
        return (XGBoostModel(handle: handle!, featureCount: rows.featureCount), matrix)
    }

    /// The training parameters of `p` (all but the base score, which a model keeps).
    private static func trainingSettings(_ p: XGBoostParameters) -> [(String, String)] {
        [("objective", "reg:squarederror"), ("tree_method", "hist"), ("verbosity", "1"),
         ("max_depth", String(p.maxDepth)), ("eta", String(p.learningRate)), ("subsample", String(p.subsample)),
         ("colsample_bytree", String(p.columnSample)), ("min_child_weight", String(p.minChildWeight)),
         ("lambda", String(p.lambda)), ("seed", String(p.seed)), ("nthread", String(p.threads))]
    }

    /// Boosting rounds `rounds` (numbered, as XGBoost seeds its sampling by the round) on `matrix`.
    private func boost(_ matrix: DMatrix, rounds: Range<Int>) throws {
        for round in rounds {
            try Cancellation.check()
            try check(XGBoosterUpdateOneIter(handle, Int32(round), matrix.handle))
        }
    }

    public func predict(_ rows: FeatureRows) throws -> [Float] {
        guard rows.featureCount == featureCount else {
            throw ModelError.shape("the model expects \(featureCount) features, got \(rows.featureCount)")
        }
        guard rows.rowCount > 0 else { return [] }
        let matrix = try DMatrix(rows)
        lock.lock(); defer { lock.unlock() }
        var length: UInt64 = 0
        var result: UnsafePointer<Float>?
        try check(XGBoosterPredict(handle, matrix.handle, 0, 0, 0, &length, &result))
        return Array(UnsafeBufferPointer(start: result, count: Int(length)))
    }

    /// Exact TreeSHAP contributions from XGBoost's own contribution prediction: per row,
    /// one value per feature and the bias (the expected prediction), summing to the prediction.
    public func contributions(_ rows: FeatureRows) throws -> (values: [Float], bias: [Float]) {
        guard rows.featureCount == featureCount else {
            throw ModelError.shape("the model expects \(featureCount) features, got \(rows.featureCount)")
        }
        guard rows.rowCount > 0 else { return ([], []) }
        let matrix = try DMatrix(rows)
        lock.lock(); defer { lock.unlock() }
        var shape: UnsafePointer<UInt64>?
        var dimension: UInt64 = 0
        var result: UnsafePointer<Float>?
        try check(XGBoosterPredictFromDMatrix(handle, matrix.handle, #"{"type": 2, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}"#,
                                              &shape, &dimension, &result))
        let width = featureCount + 1
        let all = UnsafeBufferPointer(start: result, count: rows.rowCount * width)
        var values = [Float](), bias = [Float]()
        values.reserveCapacity(rows.rowCount * featureCount)
        for r in 0..<rows.rowCount {
            values += all[(r * width)..<(r * width + featureCount)]
            bias.append(all[r * width + featureCount])
        }
        return (values, bias)
    }

    /// Gain importance (average gain of the splits on a feature) per feature column;
    /// zero for a feature no tree splits on.
    public func gainImportance() throws -> [Double] {
        lock.lock(); defer { lock.unlock() }
        var count: UInt64 = 0, dimension: UInt64 = 0
        var names: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var shape: UnsafePointer<UInt64>?
        var scores: UnsafePointer<Float>?
        try check(XGBoosterFeatureScore(handle, #"{"importance_type": "gain"}"#, &count, &names, &dimension, &shape, &scores))
        var importance = [Double](repeating: 0, count: featureCount)
        for i in 0..<Int(count) {
            // Unnamed features are reported as f0, f1, ...
            let name = String(cString: names![i]!)
            if let column = Int(name.dropFirst()), column < featureCount { importance[column] = Double(scores![i]) }
        }
        return importance
    }

    /// The model as XGBoost JSON (loadable by the Python package's `Booster.load_model`).
    public func json() throws -> Data {
        lock.lock(); defer { lock.unlock() }
        var length: UInt64 = 0
        var bytes: UnsafePointer<CChar>?
        try check(XGBoosterSaveModelToBuffer(handle, #"{"format": "json"}"#, &length, &bytes))
        return Data(bytes: bytes!, count: Int(length))
    }

    /// A model from XGBoost JSON.
    public convenience init(json: Data, featureCount: Int) throws {
        var handle: BoosterHandle?
        try check(XGBoosterCreate(nil, 0, &handle))
        self.init(handle: handle!, featureCount: featureCount)
        try json.withUnsafeBytes { try check(XGBoosterLoadModelFromBuffer(self.handle, $0.baseAddress, UInt64($0.count))) }
        var features: UInt64 = 0
        try check(XGBoosterGetNumFeature(self.handle, &features))
        guard Int(features) == featureCount else {
            throw ModelError.shape("the model file has \(features) features, expected \(featureCount)")
        }
    }

    /// Writes the model as an XGBoost JSON file, atomically.
    public func save(to path: String) throws {
        try json().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads an XGBoost JSON model file.
    public static func load(from path: String, featureCount: Int) throws -> XGBoostModel {
        try XGBoostModel(json: try Data(contentsOf: URL(fileURLWithPath: path)), featureCount: featureCount)
    }

    public static let kind = "xgboost"

    public func encoded() throws -> Data { try json() }

    public static func decoded(_ data: Data, featureCount: Int) throws -> XGBoostModel {
        try XGBoostModel(json: data, featureCount: featureCount)
    }

    /// The linked library's version, e.g. `1.7.4`.
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        XGBoostVersion(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

/// An XGBoost data matrix over dense rows (NaN is missing).
private final class DMatrix {
    let handle: DMatrixHandle

    init(_ rows: FeatureRows) throws {
        var handle: DMatrixHandle?
        try check(rows.values.withUnsafeBufferPointer {
            XGDMatrixCreateFromMat_omp($0.baseAddress, UInt64(rows.rowCount), UInt64(rows.featureCount), .nan, &handle, 0)
        })
        self.handle = handle!
    }

    deinit { XGDMatrixFree(handle) }
}

/// Turns an XGBoost return code into a Swift error carrying XGBoost's own message.
private func check(_ code: Int32) throws {
    if code != 0 { throw ModelError.xgboost(String(cString: XGBGetLastError()).trimmingCharacters(in: .whitespacesAndNewlines)) }
}
