import Foundation

/// Ridge regression, closed form: a fast linear baseline beside XGBoost.
///
/// Features are standardised with the training rows' means and deviations; rows
/// with a missing feature are left out of training, and a missing feature at
/// prediction time counts as its training mean.
public struct RidgeParameters: RegressorSpec {
    /// The L2 penalty on the standardised coefficients (the intercept is not penalised).
    public var lambda = 1.0

    public init(lambda: Double = 1.0) { self.lambda = lambda }

    public var description: String { "ridge(lambda=\(lambda))" }

    public func fit(_ rows: FeatureRows, labels: [Float]) throws -> any Regressor {
        try RidgeModel.train(rows, labels: labels, lambda: lambda)
    }
}

/// A fitted ridge regression.
public struct RidgeModel: PersistableRegressor, Codable {
    public let featureCount: Int
    /// Per-feature mean and standard deviation of the training rows.
    public let means: [Double]
    public let deviations: [Double]
    /// Coefficients on the standardised features, and the intercept.
    public let coefficients: [Double]
    public let intercept: Double

    /// Fits by solving `(Z'Z + lambda I) b = Z'y` on standardised, centred data.
    public static func train(_ rows: FeatureRows, labels: [Float], lambda: Double) throws -> RidgeModel {
        guard labels.count == rows.rowCount else { throw ModelError.shape("\(labels.count) labels for \(rows.rowCount) rows") }
        let f = rows.featureCount
        let complete = (0..<rows.rowCount).filter { r in
            labels[r].isFinite && (0..<f).allSatisfy { rows.values[r * f + $0].isFinite }
        }
        guard complete.count > f else { throw ModelError.noTrainingRows("ridge needs more complete rows (\(complete.count)) than features (\(f))") }
        let n = Double(complete.count)
        var means = [Double](repeating: 0, count: f), deviations = means
        var yMean = 0.0
        for r in complete {
            for j in 0..<f { means[j] += Double(rows.values[r * f + j]) }
            yMean += Double(labels[r])
        }
        means = means.map { $0 / n }
        yMean /= n
        for r in complete { for j in 0..<f { let d = Double(rows.values[r * f + j]) - means[j]; deviations[j] += d * d } }
        deviations = deviations.map { max(($0 / n).squareRoot(), 1e-12) }
        // Normal equations on standardised features.
        var gram = [Double](repeating: 0, count: f * f), rhs = [Double](repeating: 0, count: f)
        var z = [Double](repeating: 0, count: f)
        for r in complete {
            for j in 0..<f { z[j] = (Double(rows.values[r * f + j]) - means[j]) / deviations[j] }
            let y = Double(labels[r]) - yMean
            for j in 0..<f {
                rhs[j] += z[j] * y
                for k in j..<f { gram[j * f + k] += z[j] * z[k] }
            }
        }
        for j in 0..<f { gram[j * f + j] += lambda; for k in 0..<j { gram[j * f + k] = gram[k * f + j] } }
        let b = try choleskySolve(gram, rhs, size: f)
        return RidgeModel(featureCount: f, means: means, deviations: deviations, coefficients: b, intercept: yMean)
    }

    public static let kind = "ridge"

    public func encoded() throws -> Data { try JSONEncoder().encode(self) }

    public static func decoded(_ data: Data, featureCount: Int) throws -> RidgeModel {
        let model = try JSONDecoder().decode(RidgeModel.self, from: data)
        guard model.featureCount == featureCount else {
            throw ModelError.shape("the model file has \(model.featureCount) features, expected \(featureCount)")
        }
        return model
    }

    public func predict(_ rows: FeatureRows) throws -> [Float] {
        guard rows.featureCount == featureCount else {
            throw ModelError.shape("the model expects \(featureCount) features, got \(rows.featureCount)")
        }
        return (0..<rows.rowCount).map { r in
            var y = intercept
            for j in 0..<featureCount {
                let v = Double(rows.values[r * featureCount + j])
                if v.isFinite { y += coefficients[j] * (v - means[j]) / deviations[j] }
            }
            return Float(y)
        }
    }
}

/// Solves `A x = b` for a symmetric positive-definite `A` (row-major, size x size).
func choleskySolve(_ a: [Double], _ b: [Double], size n: Int) throws -> [Double] {
    let factor = Cholesky(a, size: n)
    guard factor.isPositiveDefinite else { throw ModelError.shape("the normal equations are not positive definite") }
    return factor.solve(b)
}
