// Dense linear algebra for the few small systems AlphaLab solves (ridge normal
// equations, a day's factor regression, a portfolio's QP): matrices are row-major
// `[Double]`, a few hundred rows at most.

/// The dot product of two vectors of equal length.
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
}

/// `out[i] += scale · Σ_c matrix[i, c] v[c]` over the first `rows` rows of a row-major
/// matrix with `v.count` columns: the factor solver's `V c` and `Y C w`.
func accumulateProduct(_ matrix: UnsafeBufferPointer<Double>, rows: Int, _ v: UnsafeBufferPointer<Double>, scale: Double,
                       into out: UnsafeMutableBufferPointer<Double>) {
    let columns = v.count
    for i in 0..<rows {
        var sum = 0.0
        let base = i * columns
        for c in 0..<columns { sum += matrix[base + c] * v[c] }
        out[i] += scale * sum
    }
}

/// A dense Cholesky factor `L Lᵀ` of a symmetric matrix. A pivot that is not positive
/// (the matrix is not positive definite) is clamped to a tiny positive one and noted in
/// ``isPositiveDefinite``: the QP's matrices are positive definite by construction,
/// while ``choleskySolve(_:_:size:)`` refuses such a matrix.
struct Cholesky {
    let l: [Double]
    let n: Int
    /// Whether every pivot was positive.
    let isPositiveDefinite: Bool

    init(_ a: [Double], size n: Int) {
        var l = [Double](repeating: 0, count: n * n)
        var positive = true
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    if !(s > 0) { positive = false }
                    l[i * n + i] = max(s, 1e-300).squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        self.l = l
        self.n = n
        isPositiveDefinite = positive
    }

    /// The solution of `A x = b`, by forward and back substitution.
    func solve(_ b: [Double]) -> [Double] {
        var y = b
        solve(&y)
        return y
    }
}

extension Cholesky {
    /// Overwrites `y` with the solution of `A x = y`.
    func solve(_ y: inout [Double]) {
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * y[k] }
            y[i] = s / l[i * n + i]
        }
    }
}

/// A dense LU factorisation with partial pivoting (for the indefinite KKT systems of polishing).
struct LUFactor {
    let lu: [Double]
    let pivots: [Int]
    let n: Int

    init?(_ a: [Double], size n: Int) {
        var lu = a, pivots = Array(0..<n)
        for k in 0..<n {
            var best = k
            for i in (k + 1)..<max(n, k + 1) where abs(lu[i * n + k]) > abs(lu[best * n + k]) { best = i }
            guard abs(lu[best * n + k]) > 1e-300 else { return nil }
            if best != k {
                for j in 0..<n { lu.swapAt(k * n + j, best * n + j) }
                pivots.swapAt(k, best)
            }
            let pivot = lu[k * n + k]
            for i in (k + 1)..<max(n, k + 1) {
                let f = lu[i * n + k] / pivot
                guard f != 0 else { continue }
                lu[i * n + k] = f
                for j in (k + 1)..<n { lu[i * n + j] -= f * lu[k * n + j] }
            }
        }
        self.lu = lu
        self.pivots = pivots
        self.n = n
    }

    func solve(_ b: [Double]) -> [Double] {
        var x = pivots.map { b[$0] }
        for i in 0..<n { for k in 0..<i { x[i] -= lu[i * n + k] * x[k] } }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(n, i + 1) { x[i] -= lu[i * n + k] * x[k] }
            x[i] /= lu[i * n + i]
        }
        return x
    }
}
