/// A selection rule written by a caller (a Lua function through `lab.run{select = ...}`):
/// it orders the period's candidates its own way, and the config's momentum filter and
/// sector cap then admit its picks in that order, `top_n` at most, as they admit the
/// config's own ranking. Qlib's top-k with dropout (`TopkDropoutStrategy`: keep the held
/// names but the `n_drop` worst, fill up with the best others) is one such rule, written
/// in Lua in the stdlib (`selection.topk_dropout`).
public struct FunctionPickRule: PickRule {
    /// What the period's rule is asked: the candidates (the scored members that pass the
    /// universe filter), the tickers held on that side into the decision, the period and
    /// the side.
    public typealias Function = (_ candidates: [Selection.Candidate], _ held: Set<Int>, _ period: Int, _ side: Side) throws -> [Int]

    /// The config's selection, whose filters admit the rule's picks.
    public let selection: Selection
    public let label: String?
    private let function: Function

    /// A rule that returns the tickers (positions in the panel) it picks, best first.
    public init(label: String, selection: Selection, _ function: @escaping Function) {
        self.label = label
        self.selection = selection
        self.function = function
    }

    /// The rule's picks, checked (each a candidate, none twice), then admitted in its order
    /// by the side's filters (``Selection/shorting`` for shorts), `top_n` at most.
    public func pick(_ candidates: [Selection.Candidate], held: Set<Int>, period: Int, side: Side) throws -> [Selection.Candidate] {
        let byTicker = Dictionary(uniqueKeysWithValues: candidates.map { ($0.ticker, $0) })
        var seen = Set<Int>(), picks: [Selection.Candidate] = []
        for ticker in try function(candidates, held, period, side) {
            guard let candidate = byTicker[ticker] else { throw PickRuleError.notACandidate(ticker: ticker, period: period) }
            guard seen.insert(ticker).inserted else { throw PickRuleError.pickedTwice(ticker: ticker, period: period) }
            picks.append(candidate)
        }
        let filters = side == .long ? selection : selection.shorting
        return filters.admitting([(picks, selection.topN)], count: selection.topN)
    }
}

/// A caller's selection rule that picked what it may not.
public enum PickRuleError: Error, Equatable, CustomStringConvertible {
    /// A ticker (position in the panel) that is not among the period's candidates.
    case notACandidate(ticker: Int, period: Int)
    /// A ticker picked twice in one period.
    case pickedTwice(ticker: Int, period: Int)

    public var description: String {
        switch self {
        case .notACandidate(let t, let p): "the selection rule picked ticker #\(t) in period \(p + 1), which is not among the period's candidates"
        case .pickedTwice(let t, let p): "the selection rule picked ticker #\(t) twice in period \(p + 1)"
        }
    }
}
