import Foundation

/// What OSQP's ADMM needs from a program's matrices: products with `A`, `Aᵀ` and `P`, and
/// the reduced KKT system `P + σI + Aᵀ diag(ρ) A` factored. ``QuadraticProgram`` (dense)
/// and ``FactorQuadraticProgram`` (a factor model's shape) each provide them; the
/// iterations (``OperatorSplitting``) are the same for both.
protocol SplittingOperators {
    associatedtype Factor: ReducedFactor
    var variables: Int { get }
    /// `out = A x`.
    func multiplyA(_ x: [Double], into out: inout [Double])
    /// `out += Aᵀ v`.
    func addTransposeA(_ v: [Double], into out: inout [Double])
    /// `out = P x`.
    func multiplyP(_ x: [Double], into out: inout [Double])
    /// `P + σI + Aᵀ diag(ρ) A`, factored.
    func reducedFactor(sigma: Double, rhos: [Double]) -> Factor
}

/// A factored reduced KKT system.
protocol ReducedFactor {
    /// Overwrites `r` with the system's solution for right-hand side `r`.
    func solve(_ r: inout [Double])
}

/// A Euclidean ball on a group of constraint rows, `‖(A x)_rows - center‖₂ ≤ radius`: a
/// second-order cone, the shape of a tracking-error limit. ADMM projects onto it as
/// onto a box (COSMO, Garstka et al., 2021, does the same for any convex cone).
public struct NormBound: Sendable {
    /// The rows it bounds (consecutive).
    public let rows: Range<Int>
    public let center: [Double]
    public let radius: Double
}

/// The bounds on a program's rows: a box each, except the rows of a ``NormBound``.
struct RowBounds {
    var lower: [Double]
    var upper: [Double]
    var names: [String]
    var balls: [NormBound]

    /// How far `ax` (the rows' values) lies outside the bounds, the largest over rows and balls.
    func violation(_ ax: [Double]) -> Double {
        var worst = 0.0
        for i in ax.indices { worst = max(worst, lower[i] - ax[i], ax[i] - upper[i]) }
        for ball in balls {
            var norm = 0.0
            for (r, c) in zip(ball.rows, ball.center) { norm += (ax[r] - c) * (ax[r] - c) }
            worst = max(worst, norm.squareRoot() - ball.radius)
        }
        return worst
    }
}

/// The ADMM of OSQP (Stellato et al., 2020) on `minimise ½ xᵀPx + qᵀx subject to
/// Ax ∈ C`, `C` a box per row and the balls of ``NormBound``: over-relaxation 1.6, ρ
/// adapted to balance the residuals (refactoring only on a large change), a larger ρ on
/// equality rows and a tiny one on free rows, and a primal infeasibility certificate
/// from the multipliers' change, whose heaviest rows name the constraints in conflict.
/// Each iteration works in place on buffers made once.
enum OperatorSplitting {
    struct Outcome {
        var status: QuadraticSolution.Status
        var x: [Double]
        var y: [Double]
        var z: [Double]
        var iterations: Int
        var conflict: [String]
    }

    static func solve<Operators: SplittingOperators>(_ operators: Operators, q: [Double], bounds: RowBounds, tolerance: Double,
                                                     maxIterations: Int) -> Outcome {
        let n = operators.variables, m = bounds.lower.count
        let sigma = 1e-6, alpha = 1.6
        var ballOf = [Int](repeating: -1, count: m)
        for (g, ball) in bounds.balls.enumerated() { for r in ball.rows { ballOf[r] = g } }
        var rho = 0.1
        func rhoVector(_ rho: Double) -> [Double] {
            (0..<m).map { i in
                if ballOf[i] >= 0 { return rho }
                if bounds.lower[i] == -.infinity && bounds.upper[i] == .infinity { return 1e-6 }
                return bounds.upper[i] - bounds.lower[i] < 1e-9 ? 1e3 * rho : rho
            }
        }
        /// Projects `v` onto C in place.
        func project(_ v: inout [Double]) {
            for i in 0..<m where ballOf[i] < 0 { v[i] = min(bounds.upper[i], max(bounds.lower[i], v[i])) }
            for ball in bounds.balls {
                var norm = 0.0
                for (r, c) in zip(ball.rows, ball.center) { norm += (v[r] - c) * (v[r] - c) }
                norm = norm.squareRoot()
                guard norm > ball.radius else { continue }
                let shrink = ball.radius / norm
                for (r, c) in zip(ball.rows, ball.center) { v[r] = c + (v[r] - c) * shrink }
            }
        }

        var rhos = rhoVector(rho)
        var factor = operators.reducedFactor(sigma: sigma, rhos: rhos)
        var x = [Double](repeating: 0, count: n)
        var y = [Double](repeating: 0, count: m)
        var z = [Double](repeating: 0, count: m)
        operators.multiplyA(x, into: &z)
        project(&z)
        // Buffers: x̃, A x̃, the relaxed rows, y's last change, and the residuals' products.
        var xTilde = [Double](repeating: 0, count: n), zTilde = [Double](repeating: 0, count: m)
        var relaxed = [Double](repeating: 0, count: m), dy = [Double](repeating: 0, count: m)
        var ax = [Double](repeating: 0, count: m), px = [Double](repeating: 0, count: n), aty = [Double](repeating: 0, count: n)
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            // x̃ from the reduced system with right-hand side σx - q + Aᵀ(ρz - y).
            for j in 0..<n { xTilde[j] = sigma * x[j] - q[j] }
            for i in 0..<m { relaxed[i] = rhos[i] * z[i] - y[i] }
            operators.addTransposeA(relaxed, into: &xTilde)
            factor.solve(&xTilde)
            operators.multiplyA(xTilde, into: &zTilde)
            zTilde.withUnsafeBufferPointer { zTilde in
                rhos.withUnsafeBufferPointer { rhos in
                    for i in 0..<m {
                        relaxed[i] = alpha * zTilde[i] + (1 - alpha) * z[i]
                        z[i] = relaxed[i] + y[i] / rhos[i]
                    }
                }
            }
            project(&z)
            rhos.withUnsafeBufferPointer { rhos in
                for i in 0..<m {
                    dy[i] = rhos[i] * (relaxed[i] - z[i])
                    y[i] += dy[i]
                }
            }
            for j in 0..<n { x[j] = alpha * xTilde[j] + (1 - alpha) * x[j] }
            guard iteration % 25 == 0 || iteration == maxIterations else { continue }

            operators.multiplyA(x, into: &ax)
            operators.multiplyP(x, into: &px)
            for j in 0..<n { aty[j] = 0 }
            operators.addTransposeA(y, into: &aty)
            var primal = 0.0, dual = 0.0, primalScale = 0.0, dualScale = 0.0
            for i in 0..<m {
                primal = max(primal, abs(ax[i] - z[i]))
                primalScale = max(primalScale, abs(ax[i]), abs(z[i]))
            }
            for j in 0..<n {
                dual = max(dual, abs(px[j] + q[j] + aty[j]))
                dualScale = max(dualScale, abs(px[j]), abs(aty[j]), abs(q[j]))
            }
            if primal <= tolerance * (1 + primalScale), dual <= tolerance * (1 + dualScale) {
                return Outcome(status: .solved, x: x, y: y, z: z, iterations: iteration, conflict: [])
            }
            if let conflict = infeasibility(operators, bounds: bounds, ballOf: ballOf, dy: dy) {
                return Outcome(status: .infeasible, x: x, y: y, z: z, iterations: iteration, conflict: conflict)
            }
            let ratio = ((primal / max(primalScale, 1e-12)) / max(dual / max(dualScale, 1e-12), 1e-12)).squareRoot()
            let proposed = min(1e6, max(1e-6, rho * ratio))
            if proposed > 5 * rho || proposed < rho / 5 {
                rho = proposed
                rhos = rhoVector(rho)
                factor = operators.reducedFactor(sigma: sigma, rhos: rhos)
            }
        }
        return Outcome(status: .iterationLimit, x: x, y: y, z: z, iterations: maxIterations, conflict: [])
    }

    /// A primal infeasibility certificate from the multipliers' change `δy`: `Aᵀδy ≈ 0`
    /// with the support function of C at `δy` negative (`uᵀδy₊ + lᵀδy₋` on the boxes,
    /// `centerᵀδy + radius ‖δy‖` on a ball). Returns the constraints it weighs, heaviest
    /// first, or nil.
    private static func infeasibility<Operators: SplittingOperators>(_ operators: Operators, bounds: RowBounds, ballOf: [Int],
                                                                     dy: [Double]) -> [String]? {
        let size = dy.reduce(0) { max($0, abs($1)) }
        guard size > 1e-9 else { return nil }
        var atdy = [Double](repeating: 0, count: operators.variables)
        operators.addTransposeA(dy, into: &atdy)
        guard atdy.reduce(0, { max($0, abs($1)) }) <= 1e-4 * size else { return nil }
        var support = 0.0
        for i in dy.indices where ballOf[i] < 0 {
            if dy[i] > 0 { guard bounds.upper[i].isFinite else { return nil }; support += bounds.upper[i] * dy[i] }
            if dy[i] < 0 { guard bounds.lower[i].isFinite else { return nil }; support += bounds.lower[i] * dy[i] }
        }
        for ball in bounds.balls {
            var norm = 0.0
            for (r, c) in zip(ball.rows, ball.center) { support += c * dy[r]; norm += dy[r] * dy[r] }
            support += ball.radius * norm.squareRoot()
        }
        guard support < -1e-4 * size else { return nil }
        let weighed = dy.indices.filter { abs(dy[$0]) > 1e-3 * size }.sorted { abs(dy[$0]) > abs(dy[$1]) }
        var seen = Set<String>()
        return weighed.map { bounds.names[$0] }.filter { seen.insert($0).inserted }
    }
}

extension Cholesky: ReducedFactor {}
