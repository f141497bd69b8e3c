/// The two forward returns of the engine, named so that every figure says which it uses:
///
/// - the model's label, ``TrainingSet/forwardReturn(_:ticker:day:horizon:)``:
///   `close[t + h] / close[t] - 1`, what the regressors learn to predict;
/// - the tradable return, ``ForwardReturn/openToOpen(_:ticker:scoringDay:horizon:)``:
///   `open[s + 1 + h] / open[s + 1] - 1`, what a position opened at the first open after the
///   scoring close `s` and held `h` trading days earns. Factor analysis and the
///   walk-forward's realised returns use it: a signal known at a close can be traded only
///   from the next open.
public enum ForwardReturn {
    /// `open[s + 1 + h] / open[s + 1] - 1`, NaN when an open is missing or past the data.
    public static func openToOpen(_ panel: Panel, ticker t: Int, scoringDay s: Int, horizon h: Int) -> Double {
        let entry = s + 1, exit = s + 1 + h
        guard exit < panel.dayCount else { return .nan }
        let a = panel.value(.open, ticker: t, day: entry), b = panel.value(.open, ticker: t, day: exit)
        return a > 0 && b.isFinite ? b / a - 1 : .nan
    }
}
