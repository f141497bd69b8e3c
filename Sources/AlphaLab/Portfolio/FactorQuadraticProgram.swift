import Foundation

/// A convex quadratic program whose quadratic term has a factor model's shape:
/// minimise `½ xᵀ(D + V G Vᵀ)x + qᵀx` subject to `l ≤ Ax ≤ u` and norm bounds
/// `‖(Ax)_rows - c‖₂ ≤ r`, with `D` diagonal, `V` an `n x k` loading matrix, `G` a
/// `k x k` positive semi-definite matrix, and `A`'s rows either sparse or in factor space
/// (`V a` for `k` coefficients `a`: an exposure). A portfolio's risk under a factor model
/// (`X F Xᵀ + specific`) is this shape, and a tracking-error limit a norm bound on the
/// same factors: ``PortfolioConstruction`` solves thousands of names this way where the
/// dense ``QuadraticProgram`` would form and factor an `n x n` matrix.
///
/// Solved by OSQP's ADMM (``OperatorSplitting``). Its reduced KKT system
/// `D + σI + V G Vᵀ + Aᵀ diag(ρ) A` is never formed: the diagonal and the rows with few
/// entries make a block-diagonal `B` (one small block per group of variables those rows
/// tie together: a name's weight and its turnover), the factor rows fold into the factor
/// block (`V (G + Σ ρ a aᵀ) Vᵀ`), the factors and the sparse rows with many entries make
/// a low-rank term `U C Uᵀ`, and the Woodbury identity
/// `(B + UCUᵀ)⁻¹ = B⁻¹ - B⁻¹U C (I + UᵀB⁻¹U C)⁻¹ UᵀB⁻¹` solves it in `O(n s)` per
/// iteration for `s` factors and dense rows. No polishing: the tests hold its solutions
/// to the dense solver's (itself checked against OSQP and cvxpy) and, with norm bounds,
/// to cvxpy's.
public struct FactorQuadraticProgram: Sendable {
    /// One sparse constraint row: its nonzero entries.
    public struct Row: Sendable {
        public var indices: [Int]
        public var values: [Double]

        public init(indices: [Int], values: [Double]) {
            self.indices = indices
            self.values = values
        }
    }

    public let variables: Int
    public var diagonal: [Double]
    /// `V`, `variables x factorCount`, row-major.
    public var loadings: [Double]
    public let factorCount: Int
    /// `G`, `factorCount` squared, row-major.
    public var factorMatrix: [Double]
    public var q: [Double]
    /// Every row's sparse entries (none for a factor row).
    public private(set) var rows: [Row] = []
    /// The factor rows: their positions among the rows and their coefficients, `factorCount` each.
    public private(set) var exposureRows: [Int] = []
    public private(set) var exposureCoefficients: [Double] = []
    public private(set) var lower: [Double] = []
    public private(set) var upper: [Double] = []
    public private(set) var names: [String] = []
    public private(set) var normBounds: [NormBound] = []

    /// Rows with more entries than this join the low-rank term instead of the blocks.
    static let localEntries = 4

    public init(diagonal: [Double], loadings: [Double], factorCount: Int, factorMatrix: [Double], q: [Double]) {
        variables = q.count
        self.diagonal = diagonal
        self.loadings = loadings
        self.factorCount = factorCount
        self.factorMatrix = factorMatrix
        self.q = q
    }

    /// Adds the constraint `lower ≤ Σ values[j] x[indices[j]] ≤ upper` called `name`.
    public mutating func constrain(_ name: String, _ indices: [Int], _ values: [Double], _ lower: Double, _ upper: Double) {
        append(name, Row(indices: indices, values: values), nil, lower, upper)
    }

    /// Adds `lower ≤ (V a)ᵀ x ≤ upper` for the `factorCount` coefficients `a`: a bound on
    /// the exposure to the factors `a` weighs, called `name`.
    public mutating func constrainExposure(_ name: String, _ coefficients: [Double], _ lower: Double, _ upper: Double) {
        precondition(coefficients.count == factorCount, "an exposure row has one coefficient per factor")
        append(name, Row(indices: [], values: []), coefficients, lower, upper)
    }

    /// Adds `‖B x - center‖₂ ≤ radius` called `name`, `B`'s rows the factor rows of
    /// `exposures` (coefficients, as ``constrainExposure(_:_:_:_:)`` takes them) then
    /// the sparse `rows`; `center` has one entry per row of `B`.
    public mutating func constrainNorm(_ name: String, exposures: [[Double]], rows sparse: [Row], center: [Double], radius: Double) {
        precondition(center.count == exposures.count + sparse.count, "a norm bound's center has one entry per row")
        let first = rows.count
        for a in exposures { append(name, Row(indices: [], values: []), a, -.infinity, .infinity) }
        for row in sparse { append(name, row, nil, -.infinity, .infinity) }
        normBounds.append(NormBound(rows: first..<rows.count, center: center, radius: radius))
    }

    private mutating func append(_ name: String, _ row: Row, _ exposure: [Double]?, _ lower: Double, _ upper: Double) {
        if let exposure {
            exposureRows.append(rows.count)
            exposureCoefficients += exposure
        }
        rows.append(row)
        self.lower.append(lower)
        self.upper.append(upper)
        names.append(name)
    }

    /// `A x`, every row's value.
    public func rowValues(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: rows.count)
        FactorOperators(self).multiplyA(x, into: &out)
        return out
    }

    /// The objective at `x`.
    public func objective(_ x: [Double]) -> Double {
        objective(x, FactorOperators(self))
    }

    private func objective(_ x: [Double], _ operators: FactorOperators) -> Double {
        var px = [Double](repeating: 0, count: variables)
        operators.multiplyP(x, into: &px)
        var value = 0.0
        for i in 0..<variables { value += 0.5 * x[i] * px[i] + q[i] * x[i] }
        return value
    }

    /// The largest amount by which `x` breaks a constraint or a norm bound (0 when it keeps all).
    public func violation(_ x: [Double]) -> Double {
        bounds.violation(rowValues(x))
    }

    var bounds: RowBounds { RowBounds(lower: lower, upper: upper, names: names, balls: normBounds) }

    /// The same program with `P` and the factor rows formed: what the tests compare it
    /// with (a program without norm bounds, which the dense solver does not take).
    public var dense: QuadraticProgram {
        precondition(normBounds.isEmpty, "the dense solver takes no norm bounds")
        let n = variables, operators = FactorOperators(self)
        var p = [Double](repeating: 0, count: n * n)
        var e = [Double](repeating: 0, count: n), column = [Double](repeating: 0, count: n)
        var a = [[Double]](repeating: [Double](repeating: 0, count: n), count: rows.count)
        var unit = [Double](repeating: 0, count: rows.count)
        for j in 0..<n {
            e[j] = 1
            operators.multiplyP(e, into: &column)
            for i in 0..<n { p[i * n + j] = column[i] }
            operators.multiplyA(e, into: &unit)
            for r in rows.indices { a[r][j] = unit[r] }
            e[j] = 0
        }
        var program = QuadraticProgram(p: p, q: q)
        for r in rows.indices { program.constrain(names[r], a[r], lower[r], upper[r]) }
        return program
    }

    /// Solves the program; `tolerance` is OSQP's absolute and relative tolerance.
    public func solve(tolerance: Double = 1e-8, maxIterations: Int = 20_000) -> QuadraticSolution {
        let operators = FactorOperators(self)
        let outcome = OperatorSplitting.solve(operators, q: q, bounds: bounds, tolerance: tolerance, maxIterations: maxIterations)
        return QuadraticSolution(status: outcome.status, x: outcome.x, y: outcome.y,
                                 objective: outcome.status == .infeasible ? .nan : objective(outcome.x, operators),
                                 iterations: outcome.iterations, polished: false, conflict: outcome.conflict)
    }
}

/// A ``FactorQuadraticProgram``'s products and reduced system, its sparse rows compressed
/// (CSR) for the iterations.
private struct FactorOperators: SplittingOperators {
    let variables: Int, k: Int
    /// Variables with loadings: the leading ones (a book's weights; its turnover and gross
    /// variables have none).
    let loaded: Int
    let diagonal: [Double], loadings: [Double], factorMatrix: [Double]
    let rowStart: [Int], index: [Int], value: [Double]
    let exposureRows: [Int], exposureCoefficients: [Double]
    let program: FactorQuadraticProgram

    init(_ program: FactorQuadraticProgram) {
        self.program = program
        variables = program.variables
        k = program.factorCount
        diagonal = program.diagonal
        loadings = program.loadings
        factorMatrix = program.factorMatrix
        let lastLoaded = (0..<variables).last { i in (0..<program.factorCount).contains { program.loadings[i * program.factorCount + $0] != 0 } }
        loaded = (lastLoaded ?? -1) + 1
        var start = [0], index: [Int] = [], value: [Double] = []
        for row in program.rows {
            index += row.indices
            value += row.values
            start.append(index.count)
        }
        (rowStart, self.index, self.value) = (start, index, value)
        exposureRows = program.exposureRows
        exposureCoefficients = program.exposureCoefficients
    }

    /// `Vᵀ x`.
    func factorExposure(_ x: [Double]) -> [Double] {
        var vx = [Double](repeating: 0, count: k)
        let k = k
        loadings.withUnsafeBufferPointer { v in
            x.withUnsafeBufferPointer { x in
                vx.withUnsafeMutableBufferPointer { vx in
                    for i in 0..<loaded where x[i] != 0 {
                        let xi = x[i], base = i * k
                        for a in 0..<k { vx[a] += v[base + a] * xi }
                    }
                }
            }
        }
        return vx
    }

    /// `out += V c`.
    func addLoadings(_ c: [Double], into out: inout [Double]) {
        loadings.withUnsafeBufferPointer { v in
            c.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { out in accumulateProduct(v, rows: loaded, c, scale: 1, into: out) }
            }
        }
    }

    func multiplyA(_ x: [Double], into out: inout [Double]) {
        rowStart.withUnsafeBufferPointer { start in
            index.withUnsafeBufferPointer { index in
                value.withUnsafeBufferPointer { value in
                    x.withUnsafeBufferPointer { x in
                        out.withUnsafeMutableBufferPointer { out in
                            for r in 0..<(start.count - 1) {
                                var s = 0.0
                                for p in start[r]..<start[r + 1] { s += value[p] * x[index[p]] }
                                out[r] = s
                            }
                        }
                    }
                }
            }
        }
        guard !exposureRows.isEmpty else { return }
        let vx = factorExposure(x)
        for (e, r) in exposureRows.enumerated() {
            var s = 0.0
            for a in 0..<k { s += exposureCoefficients[e * k + a] * vx[a] }
            out[r] = s
        }
    }

    func addTransposeA(_ v: [Double], into out: inout [Double]) {
        rowStart.withUnsafeBufferPointer { start in
            index.withUnsafeBufferPointer { index in
                value.withUnsafeBufferPointer { value in
                    v.withUnsafeBufferPointer { v in
                        out.withUnsafeMutableBufferPointer { out in
                            for r in 0..<(start.count - 1) where v[r] != 0 {
                                let vr = v[r]
                                for p in start[r]..<start[r + 1] { out[index[p]] += value[p] * vr }
                            }
                        }
                    }
                }
            }
        }
        guard !exposureRows.isEmpty else { return }
        var c = [Double](repeating: 0, count: k)
        for (e, r) in exposureRows.enumerated() where v[r] != 0 {
            for a in 0..<k { c[a] += exposureCoefficients[e * k + a] * v[r] }
        }
        addLoadings(c, into: &out)
    }

    func multiplyP(_ x: [Double], into out: inout [Double]) {
        let vx = factorExposure(x)
        var gvx = [Double](repeating: 0, count: k)
        for a in 0..<k { for b in 0..<k { gvx[a] += factorMatrix[a * k + b] * vx[b] } }
        for i in 0..<variables { out[i] = diagonal[i] * x[i] }
        addLoadings(gvx, into: &out)
    }

    func reducedFactor(sigma: Double, rhos: [Double]) -> ReducedSystem {
        ReducedSystem(self, sigma: sigma, rhos: rhos)
    }
}

/// `D + σI + V G Vᵀ + Aᵀ diag(ρ) A`, factored as blocks plus a low-rank term (see
/// ``FactorQuadraticProgram``). Solving works in place.
private struct ReducedSystem: ReducedFactor {
    let n: Int, k: Int, loaded: Int
    /// The blocks: their variables (consecutive per block), where each block starts in
    /// that list and in `factors`, and each block's Cholesky factor (row-major).
    let order: [Int], blockStart: [Int], factorStart: [Int], factors: [Double]
    /// `U`'s columns after `V`'s: the sparse rows with many entries.
    let denseRows: [Int]
    let operators: FactorOperators
    /// `s = k + denseRows.count`; `C`'s factor block `G + Σ ρ a aᵀ` and its diagonal (ρ) for the dense rows.
    let s: Int
    let factorBlock: [Double], denseRhos: [Double]
    /// `Y = B⁻¹U` (`n x s`, row-major) and the LU of `I + UᵀY C`.
    var y: [Double] = []
    var inner: LUFactor?
    /// The size of the largest block.
    let largestBlock: Int

    init(_ operators: FactorOperators, sigma: Double, rhos: [Double]) {
        self.operators = operators
        let program = operators.program
        n = operators.variables
        k = operators.k
        loaded = operators.loaded
        var dense: [Int] = [], local: [Int] = []
        let isExposure = Set(operators.exposureRows)
        for (r, row) in program.rows.enumerated() where !isExposure.contains(r) {
            if row.indices.count > FactorQuadraticProgram.localEntries { dense.append(r) } else if !row.indices.isEmpty { local.append(r) }
        }
        denseRows = dense
        denseRhos = dense.map { rhos[$0] }
        s = k + dense.count
        var block = operators.factorMatrix
        for (e, r) in operators.exposureRows.enumerated() {
            for a in 0..<k {
                for b in 0..<k { block[a * k + b] += rhos[r] * operators.exposureCoefficients[e * k + a] * operators.exposureCoefficients[e * k + b] }
            }
        }
        factorBlock = block

        // The blocks: variables the local rows tie together (union-find).
        var parent = Array(0..<n)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for r in local {
            let idx = program.rows[r].indices
            for j in idx.dropFirst() { parent[root(j)] = root(idx[0]) }
        }
        var members: [Int: [Int]] = [:]
        for i in 0..<n { members[root(i), default: []].append(i) }
        let groups = members.keys.sorted().map { members[$0]! }
        var blockOf = [Int](repeating: 0, count: n), position = [Int](repeating: 0, count: n)
        for (b, group) in groups.enumerated() { for (p, i) in group.enumerated() { (blockOf[i], position[i]) = (b, p) } }
        var matrices = groups.map { g in [Double](repeating: 0, count: g.count * g.count) }
        for (b, group) in groups.enumerated() {
            for (p, i) in group.enumerated() { matrices[b][p * group.count + p] = operators.diagonal[i] + sigma }
        }
        for r in local {
            let row = program.rows[r], b = blockOf[row.indices[0]], size = groups[b].count
            for (i, vi) in zip(row.indices, row.values) {
                for (j, vj) in zip(row.indices, row.values) { matrices[b][position[i] * size + position[j]] += rhos[r] * vi * vj }
            }
        }
        var order: [Int] = [], blockStart = [0], factorStart = [0], factors: [Double] = []
        for (group, matrix) in zip(groups, matrices) {
            order += group
            blockStart.append(order.count)
            factors += Cholesky(matrix, size: group.count).l
            factorStart.append(factors.count)
        }
        (self.order, self.blockStart, self.factorStart, self.factors) = (order, blockStart, factorStart, factors)
        largestBlock = groups.map(\.count).max() ?? 0

        // Y = B⁻¹U column by column, then I + UᵀY C.
        var y = [Double](repeating: 0, count: n * s)
        var column = [Double](repeating: 0, count: n)
        for c in 0..<s {
            for i in 0..<n { column[i] = 0 }
            if c < k {
                for i in 0..<loaded { column[i] = operators.loadings[i * k + c] }
            } else {
                let r = dense[c - k]
                for p in operators.rowStart[r]..<operators.rowStart[r + 1] { column[operators.index[p]] += operators.value[p] }
            }
            solveBlocks(&column)
            for i in 0..<n { y[i * s + c] = column[i] }
        }
        self.y = y
        guard s > 0 else { return }
        var uty = [Double](repeating: 0, count: s * s)
        for r in 0..<s {
            if r < k {
                for i in 0..<loaded {
                    let l = operators.loadings[i * k + r]
                    guard l != 0 else { continue }
                    for c in 0..<s { uty[r * s + c] += l * y[i * s + c] }
                }
            } else {
                let row = dense[r - k]
                for p in operators.rowStart[row]..<operators.rowStart[row + 1] {
                    let (j, value) = (operators.index[p], operators.value[p])
                    for c in 0..<s { uty[r * s + c] += value * y[j * s + c] }
                }
            }
        }
        var matrix = [Double](repeating: 0, count: s * s)
        for r in 0..<s {
            for c in 0..<s {
                var sum = 0.0
                if c < k {
                    for a in 0..<k { sum += uty[r * s + a] * block[a * k + c] }
                } else {
                    sum = uty[r * s + c] * denseRhos[c - k]
                }
                matrix[r * s + c] = (r == c ? 1 : 0) + sum
            }
        }
        inner = LUFactor(matrix, size: s)
    }

    /// `B⁻¹ r` in place.
    func solveBlocks(_ r: inout [Double]) {
        r.withUnsafeMutableBufferPointer { r in solveBlocks(r) }
    }

    private func solveBlocks(_ r: UnsafeMutableBufferPointer<Double>) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, largestBlock)) { scratch in
            order.withUnsafeBufferPointer { order in
                factors.withUnsafeBufferPointer { factors in
                    for b in 0..<(blockStart.count - 1) {
                        let first = blockStart[b], size = blockStart[b + 1] - first, l = factorStart[b]
                        if size == 1 {
                            let d = factors[l]
                            r[order[first]] /= d * d
                            continue
                        }
                        for p in 0..<size { scratch[p] = r[order[first + p]] }
                        for i in 0..<size {
                            var sum = scratch[i]
                            for j in 0..<i { sum -= factors[l + i * size + j] * scratch[j] }
                            scratch[i] = sum / factors[l + i * size + i]
                        }
                        for i in stride(from: size - 1, through: 0, by: -1) {
                            var sum = scratch[i]
                            for j in (i + 1)..<max(size, i + 1) { sum -= factors[l + j * size + i] * scratch[j] }
                            scratch[i] = sum / factors[l + i * size + i]
                        }
                        for p in 0..<size { r[order[first + p]] = scratch[p] }
                    }
                }
            }
        }
    }

    /// `(B + U C Uᵀ)⁻¹ r` in place.
    func solve(_ r: inout [Double]) {
        guard s > 0, let inner else { return solveBlocks(&r) }
        let (n, k, s, loaded) = (n, k, s, loaded)
        r.withUnsafeMutableBufferPointer { r in
            solveBlocks(r)
            // v = Uᵀ(B⁻¹r), w = (I + UᵀY C)⁻¹ v, r -= Y C w.
            var v = [Double](repeating: 0, count: s)
            operators.loadings.withUnsafeBufferPointer { loadings in
                for i in 0..<loaded where r[i] != 0 {
                    let ri = r[i], base = i * k
                    for a in 0..<k { v[a] += loadings[base + a] * ri }
                }
            }
            for (d, row) in denseRows.enumerated() {
                var sum = 0.0
                for p in operators.rowStart[row]..<operators.rowStart[row + 1] { sum += operators.value[p] * r[operators.index[p]] }
                v[k + d] = sum
            }
            let w = inner.solve(v)
            var cw = [Double](repeating: 0, count: s)
            for a in 0..<k {
                var sum = 0.0
                for b in 0..<k { sum += factorBlock[a * k + b] * w[b] }
                cw[a] = sum
            }
            for d in 0..<denseRows.count { cw[k + d] = denseRhos[d] * w[k + d] }
            y.withUnsafeBufferPointer { y in
                cw.withUnsafeBufferPointer { cw in accumulateProduct(y, rows: n, cw, scale: -1, into: r) }
            }
        }
    }
}
