/// The forward returns of the engine, named so that every figure says which it uses:
///
/// - the model's label, ``TrainingSet/forwardReturn(_:ticker:day:horizon:)``:
///   `close[t + h] / close[t] - 1`, what the regressors learn to predict;
/// - the realised return, ``ForwardReturn/realised(_:ticker:entryDay:exitDay:)``: what a
///   position bought at one open and held to a later open earns before costs, settled at
///   the last close (with its delisting return) when the exit day has no open. The
///   walk-forward compares its scores with it (IC, hit rate) and benchmarks SPY with it,
///   and its round trips sell at the same exit price;
/// - the factor horizon's return, ``ForwardReturn/openToOpen(_:ticker:scoringDay:horizon:)``:
///   `open[s + 1 + h] / open[s + 1] - 1`, what factor analysis ranks signals known at the
///   close `s` against (a signal known at a close can be traded only from the next
///   open). A ticker that delists within the horizon is settled as a holder would be,
///   at its last close times one plus its delisting return (``Delisting``): dropping it,
///   as alphalens does, leaves the losers of bankruptcies out of every IC. Otherwise NaN
///   where either open is missing, so a horizon that runs past the bars of a ticker with
///   no known delisting drops out of that day's cross-section.
public enum ForwardReturn {
    /// `open[s + 1 + h] / open[s + 1] - 1`, with the delisting's settlement for the exit when
    /// the ticker delisted before it; NaN when an open is missing otherwise or past the data.
    public static func openToOpen(_ panel: Panel, ticker t: Int, scoringDay s: Int, horizon h: Int) -> Double {
        let entry = s + 1, exit = s + 1 + h
        guard exit < panel.dayCount else { return .nan }
        let a = panel.value(.open, ticker: t, day: entry)
        var b = panel.value(.open, ticker: t, day: exit)
        if !b.isFinite && panel.hasDelisted(ticker: t, before: exit) { b = panel.settlementPrice(ticker: t, day: exit) }
        return a > 0 && b.isFinite ? b / a - 1 : .nan
    }

    /// The return of ticker `t` bought at the open of `entryDay` and held to `exitDay`,
    /// without costs: `exitPrice / open[entryDay] - 1`; NaN when it has no open on `entryDay`.
    public static func realised(_ panel: Panel, ticker t: Int, entryDay: Int, exitDay: Int) -> Double {
        let open = panel.value(.open, ticker: t, day: entryDay)
        guard open.isFinite, open > 0 else { return .nan }
        return exitPrice(panel, ticker: t, exitDay: exitDay, fallback: open) / open - 1
    }

    /// The price a position held to `exitDay` is sold at, before costs: its
    /// ``Panel/holdingPrice(ticker:day:)``, or `fallback` when it has none.
    static func exitPrice(_ panel: Panel, ticker t: Int, exitDay: Int, fallback: Double) -> Double {
        let price = panel.holdingPrice(ticker: t, day: exitDay)
        return price.isFinite ? price : fallback
    }
}
