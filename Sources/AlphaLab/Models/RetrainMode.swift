/// How a walk-forward's model is retrained at each `retrain_weeks` step.
public enum RetrainMode: String, Sendable, Codable, CaseIterable {
    /// A full training on the grown window at every step (the seed's meaning).
    case full
    /// A full training every `full_refit_weeks` periods and, at the steps in between, a
    /// cheap update of that full training on the grown window (``WarmUpdate``).
    case warm
}

/// What a retraining step does.
public enum RetrainKind: String, Sendable, Equatable {
    /// The model trained from nothing on the window.
    case full
    /// The block's full model continued on the grown window.
    case update
}

/// The cheap update of a warm retraining: the block's full model (its trees and each
/// horizon's selected features) continued by a few boosting rounds on the grown window
/// (XGBoost's `xgb_model` continuation): the new trees fit what the full model leaves of
/// the rows it had not seen and of the old ones. Every update of a block starts from the
/// block's full model, not from the update before it, so the models stay the same size
/// and the updates depend only on their full training (any order, any shard that has it).
/// A model with no trees to continue (a ridge) is refitted on the grown window with the
/// full model's features.
///
/// Measured against weekly full retraining (`scripts/retraining_audit.lua`, the momentum
/// model on a 60-ticker synthetic market, 2015-2016): 10 rounds on the grown window kept
/// 86.1% of the picks and the IC within +0.002; the block's full model kept unchanged
/// 84.7% (IC +0.004); 10 rounds on the last year of rows only 69.3% (IC -0.007), and 30
/// rounds on the last four years 75.4%: trees fitted to recent rows alone add noise.
public struct WarmUpdate: Sendable, Hashable, CustomStringConvertible {
    /// Boosting rounds added to the full model.
    public var trees = 10

    public init(trees: Int = 10) { self.trees = trees }

    /// What an update costs a row beyond its rounds, in trees (for plans): the quantile
    /// sketch of the grown window and the full model's margins on it. Measured: an update
    /// took 0.68x the time of a 100-tree full training of the momentum model and 0.35x of
    /// the ensemble's (150 trees a horizon with the feature selection), about 50 trees' worth.
    public static let overheadPerRow = 50.0

    public var description: String { "warm-update(trees=\(trees))" }
}

/// When a walk-forward retrains and how: every `retrainWeeks` decision periods; under
/// `warm`, the first retraining of each block of `fullRefitWeeks` periods is full and the
/// others are warm updates of it.
public struct RetrainSchedule: Sendable, Hashable {
    public var retrainWeeks: Int
    public var mode: RetrainMode
    public var fullRefitWeeks: Int

    public init(retrainWeeks: Int, mode: RetrainMode = .full, fullRefitWeeks: Int = 13) {
        (self.retrainWeeks, self.mode, self.fullRefitWeeks) = (retrainWeeks, mode, fullRefitWeeks)
    }

    /// What the retraining at decision period `period` (from 0) does; nil when it does not retrain.
    public func kind(at period: Int) -> RetrainKind? {
        guard period % retrainWeeks == 0 else { return nil }
        guard mode == .warm else { return .full }
        let previous = period - retrainWeeks
        return previous < 0 || previous / fullRefitWeeks != period / fullRefitWeeks ? .full : .update
    }
}
