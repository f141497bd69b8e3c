/// A selection rule written by a caller (a Lua function through `lab.run{select = ...}`):
/// it orders the period's candidates its own way, and the config's momentum filter and
/// sector cap then admit its picks in that order, `top_n` at most, as they admit the
/// config's own ranking. Qlib's top-k with dropout (`TopkDropoutStrategy`: keep the held
/// names but the `n_drop` worst, fill up with the best others) is one such rule, written
/// in Lua in the stdlib (`selection.topk_dropout`).
public struct FunctionPickRule: PickRule {
    /// What the period's rule is asked: the candidates (the scored members that pass the
    /// universe filter), the tickers held on that side into the decision, the period and
    /// the side. It answers with the tickers it picks, by name, best first.
    public typealias Function = (_ candidates: [Selection.Candidate], _ held: Set<Int>, _ period: Int, _ side: Side) throws -> [String]

    /// The config's selection, whose filters admit the rule's picks.
    public let selection: Selection
    public let label: String?
    /// What the rule is called in its errors ("select function").
    public let name: String
    /// The panel's tickers, by position: what the rule's names are read against.
    private let tickers: [String]
    private let function: Function

    /// A rule named `name` in its errors that returns the tickers it picks from `tickers`
    /// (the panel's), best first.
    public init(label: String, name: String, tickers: [String], selection: Selection, _ function: @escaping Function) {
        self.label = label
        self.name = name
        self.tickers = tickers
        self.selection = selection
        self.function = function
    }

    /// The rule's picks, checked (each a candidate, none twice), then admitted in its order
    /// by the side's filters (``Selection/shorting`` for shorts), `top_n` at most.
    public func pick(_ candidates: [Selection.Candidate], held: Set<Int>, period: Int, side: Side) throws -> [Selection.Candidate] {
        let byName = Dictionary(uniqueKeysWithValues: candidates.map { (tickers[$0.ticker], $0) })
        var seen = Set<String>(), picks: [Selection.Candidate] = []
        for ticker in try function(candidates, held, period, side) {
            guard let candidate = byName[ticker] else { throw PickRuleError.notACandidate(rule: name, ticker: ticker, period: period) }
            guard seen.insert(ticker).inserted else { throw PickRuleError.pickedTwice(rule: name, ticker: ticker, period: period) }
            picks.append(candidate)
        }
        let filters = side == .long ? selection : selection.shorting
        return filters.admitting([(picks, selection.topN)], count: selection.topN)
    }
}

/// A caller's selection rule that picked what it may not.
public enum PickRuleError: Error, Equatable, CustomStringConvertible {
    /// A ticker that is not among the period's candidates (`period` counts from 0).
    case notACandidate(rule: String, ticker: String, period: Int)
    /// A ticker picked twice in one period.
    case pickedTwice(rule: String, ticker: String, period: Int)

    public var description: String {
        switch self {
        case .notACandidate(let rule, let t, let p): "\(rule) picked '\(t)' in period \(p + 1), which is not among the period's candidates"
        case .pickedTwice(let rule, let t, let p): "\(rule) picked '\(t)' twice in period \(p + 1)"
        }
    }
}
