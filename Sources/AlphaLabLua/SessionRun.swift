import AlphaLab

/// A backtest the session ran: its result, its wall time and its verdict against the
/// ledger (when a store is configured).
public struct SessionRun {
    public let result: ExperimentResult
    public let seconds: Double
    public let verdict: TrialVerdict?
}

extension LabSession {
    /// The one door for running a config (read and checked where it came in) in a session (`lab.run`, and so every script, the
    /// REPL, the kernel, `alphalab rerun` and the cluster's workers): a result a sweep shard
    /// stored is returned instead of running; in a sweep, runs are dealt to shards and the
    /// others run on stand-ins (no training); the walk-forward runs with its risk attribution
    /// and progress (a caller's, else a bar on a terminal); a sweep shard stores what it ran;
    /// the run's trial goes to the ledger.
    ///
    /// `scorer` and `rule` replace the config's model and selection (a Lua function each):
    /// such a run cannot be keyed, so it is never stored or found in the result cache.
    public func run(_ checked: CheckedConfig, on dataset: Dataset, scorer: (any Scorer)? = nil, rule: ((Dataset) -> any PickRule)? = nil,
                    progress: ((WalkForwardProgress) throws -> Void)? = nil) throws -> SessionRun {
        let config = checked.config
        // A run with the config's own scorer and selection is stored by a sweep shard and
        // found again by the script's ordinary run.
        let stored = scorer == nil && rule == nil ? dataset.trainingCache.directory.map(ResultCache.init(trainingDirectory:)) : nil
        let key = try stored.map { _ in try ResultCache.key(config: config, dataset: dataset) }
        // Dealt before looking for a stored result, so every shard deals alike whatever is stored already.
        let real = stored != nil && takeSweepRun()
        if let stored, let key, let result = stored.load(key: key) {
            return SessionRun(result: result, seconds: 0, verdict: recordTrial(result))
        }
        let data = sweep == nil || real ? dataset : standIn(for: dataset)
        var walk = WalkForward(checked: checked, dataset: data, attributesRisk: true)
        let bar = progress == nil && drawsProgress ? TerminalProgress() : nil
        walk.progress = progress ?? bar.map { bar in { bar.update($0) } }
        defer { bar?.finish() }
        let clock = Stopwatch()
        let result = try walk.run(scorer: scorer, rule: rule?(data))
        if sweep != nil, real, let stored, let key { try stored.store(result, key: key) }
        return SessionRun(result: result, seconds: clock.seconds, verdict: recordTrial(result))
    }
}
