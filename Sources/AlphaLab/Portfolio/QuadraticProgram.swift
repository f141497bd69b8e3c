import Foundation

/// A convex quadratic program: minimise `½ xᵀPx + qᵀx` subject to `l ≤ Ax ≤ u`, with
/// `P` positive semi-definite (dense, row-major) and each constraint row named, so that
/// an infeasible problem can say which constraints cannot hold together.
///
/// Solved by ``solve(_:)``: ADMM as OSQP does it (Stellato et al., 2020), dense, since a
/// portfolio's problems have at most a few hundred variables: the reduced KKT system
/// `(P + σI + Aᵀ diag(ρ) A)` factored by Cholesky, over-relaxation α = 1.6, ρ adapted to
/// balance the residuals, infeasibility certificates, then OSQP's polishing (the KKT
/// system on the guessed active set, solved with iterative refinement) for a solution
/// accurate to round-off. No QP solver is in Debian's packages or the local Swift
/// packages; the tests check this one against OSQP and cvxpy from PyPI.
public struct QuadraticProgram: Sendable {
    public var variables: Int
    public var p: [Double]
    public var q: [Double]
    /// Constraint rows, each `variables` long, with their bounds and names.
    public var a: [[Double]] = []
    public var lower: [Double] = []
    public var upper: [Double] = []
    public var names: [String] = []

    public init(p: [Double], q: [Double]) {
        variables = q.count
        self.p = p
        self.q = q
    }

    /// Adds the constraint `lower ≤ row·x ≤ upper` called `name`.
    public mutating func constrain(_ name: String, _ row: [Double], _ lower: Double, _ upper: Double) {
        a.append(row)
        self.lower.append(lower)
        self.upper.append(upper)
        names.append(name)
    }

    /// The objective at `x`.
    public func objective(_ x: [Double]) -> Double {
        var value = 0.0
        for i in 0..<variables {
            var row = 0.0
            for j in 0..<variables { row += p[i * variables + j] * x[j] }
            value += 0.5 * x[i] * row + q[i] * x[i]
        }
        return value
    }

    /// The largest amount by which `x` breaks a constraint (0 when it keeps all).
    public func violation(_ x: [Double]) -> Double {
        bounds.violation(a.map { dot($0, x) })
    }

    var bounds: RowBounds { RowBounds(lower: lower, upper: upper, names: names, balls: []) }
}

/// What a solve found.
public struct QuadraticSolution: Sendable {
    public enum Status: String, Sendable {
        case solved
        /// No x keeps every constraint; ``QuadraticSolution/conflict`` names the ones involved.
        case infeasible
        /// Stopped at the iteration limit: ``QuadraticSolution/x`` is the last iterate.
        case iterationLimit = "iteration_limit"
    }

    public var status: Status
    public var x: [Double]
    /// The constraints' multipliers (OSQP's sign convention: negative at a lower bound).
    public var y: [Double]
    public var objective: Double
    public var iterations: Int
    /// Whether polishing made the solution exact on its active set.
    public var polished: Bool
    /// For an infeasible problem: the names of the constraints the certificate weighs, heaviest first.
    public var conflict: [String]
}

extension QuadraticProgram: SplittingOperators {
    /// Solves the program (see the type's documentation); `tolerance` is OSQP's absolute
    /// and relative tolerance before polishing.
    public func solve(tolerance: Double = 1e-9, maxIterations: Int = 50_000) -> QuadraticSolution {
        let outcome = OperatorSplitting.solve(self, q: q, bounds: bounds, tolerance: tolerance, maxIterations: maxIterations)
        switch outcome.status {
        case .solved:
            return polish(x: outcome.x, z: outcome.z, y: outcome.y, iterations: outcome.iterations)
        case .infeasible:
            return QuadraticSolution(status: .infeasible, x: outcome.x, y: outcome.y, objective: .nan, iterations: outcome.iterations,
                                     polished: false, conflict: outcome.conflict)
        case .iterationLimit:
            return QuadraticSolution(status: .iterationLimit, x: outcome.x, y: outcome.y, objective: objective(outcome.x),
                                     iterations: outcome.iterations, polished: false, conflict: [])
        }
    }

    func multiplyA(_ x: [Double], into out: inout [Double]) {
        for i in a.indices { out[i] = dot(a[i], x) }
    }

    func addTransposeA(_ v: [Double], into out: inout [Double]) {
        for i in a.indices where v[i] != 0 { for j in 0..<variables where a[i][j] != 0 { out[j] += a[i][j] * v[i] } }
    }

    func multiplyP(_ x: [Double], into out: inout [Double]) {
        for i in 0..<variables {
            var s = 0.0
            for j in 0..<variables { s += p[i * variables + j] * x[j] }
            out[i] = s
        }
    }

    /// The Cholesky factor of `P + σI + Aᵀ diag(ρ) A`.
    func reducedFactor(sigma: Double, rhos: [Double]) -> Cholesky {
        let n = variables
        var k = p
        for i in 0..<n { k[i * n + i] += sigma }
        for (r, row) in a.enumerated() {
            let nonzero = row.indices.filter { row[$0] != 0 }
            for i in nonzero { for j in nonzero { k[i * n + j] += rhos[r] * row[i] * row[j] } }
        }
        return Cholesky(k, size: n)
    }

    /// OSQP's polishing: the constraints guessed active from (z, y) held as equalities,
    /// the KKT system solved with a small regularisation and iterative refinement. Kept
    /// only when it keeps the constraints and does not worsen the objective.
    private func polish(x: [Double], z: [Double], y: [Double], iterations: Int) -> QuadraticSolution {
        let n = variables
        let lowerActive = a.indices.filter { z[$0] - lower[$0] < -y[$0] }
        let upperActive = a.indices.filter { upper[$0] - z[$0] < y[$0] && !lowerActive.contains($0) }
        let active = lowerActive.map { ($0, lower[$0]) } + upperActive.map { ($0, upper[$0]) }
        let size = n + active.count, delta = 1e-9
        var kkt = [Double](repeating: 0, count: size * size)
        for i in 0..<n { for j in 0..<n { kkt[i * size + j] = p[i * n + j] } }
        for (r, (row, _)) in active.enumerated() {
            for j in 0..<n { kkt[(n + r) * size + j] = a[row][j]; kkt[j * size + n + r] = a[row][j] }
        }
        var regularised = kkt
        for i in 0..<n { regularised[i * size + i] += delta }
        for r in 0..<active.count { regularised[(n + r) * size + n + r] -= delta }
        let rhs = q.map { -$0 } + active.map(\.1)
        let fallback = QuadraticSolution(status: .solved, x: x, y: y, objective: objective(x), iterations: iterations, polished: false, conflict: [])
        guard let lu = LUFactor(regularised, size: size) else { return fallback }
        var solution = lu.solve(rhs)
        for _ in 0..<5 {
            // Refine against the exact KKT system.
            let residual = (0..<size).map { i in rhs[i] - (0..<size).reduce(0) { $0 + kkt[i * size + $1] * solution[$1] } }
            let step = lu.solve(residual)
            solution = zip(solution, step).map { $0 + $1 }
        }
        let polishedX = Array(solution[0..<n])
        guard polishedX.allSatisfy(\.isFinite) else { return fallback }
        var polishedY = [Double](repeating: 0, count: a.count)
        for (r, (row, _)) in active.enumerated() { polishedY[row] = solution[n + r] }
        let value = objective(polishedX)
        guard violation(polishedX) <= 1e-9, value <= fallback.objective + 1e-9 * max(1, abs(fallback.objective)) else { return fallback }
        return QuadraticSolution(status: .solved, x: polishedX, y: polishedY, objective: value, iterations: iterations, polished: true, conflict: [])
    }
}
