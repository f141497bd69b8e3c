/// The estimate of a run's time left from the periods done so far, by what each did.
struct RemainingTime {
    /// Per kind of period (a full training, an update, none): seconds spent and periods done.
    private var spent: [RetrainKind?: (seconds: Double, periods: Int)] = [:]

    mutating func record(_ kind: RetrainKind?, seconds: Double) {
        spent[kind, default: (0, 0)].seconds += seconds
        spent[kind, default: (0, 0)].periods += 1
    }

    /// The time the periods `left` (by kind) should take; a kind not seen yet is costed at
    /// the mean of every period so far.
    func estimate(_ left: [RetrainKind?: Int]) -> Double {
        let all = spent.values.reduce((seconds: 0.0, periods: 0)) { ($0.seconds + $1.seconds, $0.periods + $1.periods) }
        guard all.periods > 0 else { return 0 }
        return left.reduce(0) { total, entry in
            let mean = spent[entry.key].map { $0.seconds / Double($0.periods) } ?? all.seconds / Double(all.periods)
            return total + mean * Double(entry.value)
        }
    }
}
