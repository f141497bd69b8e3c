import AlphaLab
import AlphaLabLua
import ArgumentParser
import Foundation

/// `alphalab trials [--runs LOCATION] [--family KEY]`: the ledger's families, each with
/// its number of trials and its best Sharpe ratio raw and deflated by the family.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials",
        abstract: "List the ledger's families of trials: how many, the best Sharpe ratio raw and deflated.",
        discussion: """
            A trial is a completed backtest of one config on one dataset; a family is the trials that can be \
            compared (same data, universe, decision period and rebalance frequency). The deflated Sharpe ratio \
            is the probability that the best trial's true Sharpe ratio beats the best of as many luckless \
            trials (Bailey and Lopez de Prado 2014), with \(TrialVerdict.effectiveFormula).
            """
    )

    @Option(name: .long, help: ArgumentHelp("The ledger: a SQLite file or a postgres:// URL.",
                                            discussion: "Default: $ALPHALAB_RUNS, else ~/.local/share/alphalab/ledger.db."))
    var runs: String?

    @Option(name: .long, help: "One family (its key): every trial, best first.")
    var family: String?

    func run() throws {
        let location = runs ?? RunStores.ledgerLocation()
        let store: any RunStore
        do { store = try RunStores.open(location) } catch { throw CommandFailure(description: "\(error)") }
        if let family {
            print(try Self.familyText(family, trials: try store.trials(family: family), location: location))
        } else {
            print(try Self.familiesText(store, location: location))
        }
    }

    /// Every family, most recent first.
    static func familiesText(_ store: any RunStore, location: String) throws -> String {
        let families = try store.families()
        guard !families.isEmpty else { return "no trials in \(location)" }
        var lines = ["\(families.count) famil\(families.count == 1 ? "y" : "ies") of trials in \(location)",
                     "Family            Trials  Effective  Best Sharpe  Deflated  Best trial                Universe, period, rebalance, data"]
        for summary in families {
            let trials = try store.trials(family: summary.key)
            guard let best = trials.max(by: { !($0.sharpe >= $1.sharpe) }) else { continue }
            let verdict = TrialVerdict(best, family: trials)
            lines.append(summary.key + "  " + pad(String(summary.trials), 6) + "  " + pad(Format.num(verdict.effectiveTrials, "%.1f"), 9)
                         + "  " + pad(Format.num(best.annualSharpe, "%.2f"), 11) + "  " + pad(Format.num(verdict.deflated, "%.3f"), 8)
                         + "  " + best.name.padding(toLength: 24, withPad: " ", startingAt: 0) + "  " + summary.family.description)
        }
        lines.append("Deflated: the probability that the best trial's true Sharpe ratio beats the best of as many luckless trials.")
        return lines.joined(separator: "\n")
    }

    /// One family's trials, best first, each judged against the family.
    static func familyText(_ key: String, trials: [Trial], location: String) throws -> String {
        guard let first = trials.first else { throw CommandFailure(description: "no family \(key) in \(location)") }
        var lines = ["family \(key): \(first.family.description); \(trials.count) trials",
                     "Sharpe  Deflated  PSR vs 0  Periods  Config            Name                      User@host, recorded"]
        for trial in trials.sorted(by: { $0.sharpe > $1.sharpe }) {
            let verdict = TrialVerdict(trial, family: trials)
            lines.append(pad(Format.num(trial.annualSharpe, "%.2f"), 6) + "  " + pad(Format.num(verdict.deflated, "%.3f"), 8) + "  "
                         + pad(Format.num(verdict.probabilistic, "%.3f"), 8) + "  " + pad(String(trial.periods), 7) + "  " + trial.configHash
                         + "  " + trial.name.padding(toLength: 24, withPad: " ", startingAt: 0) + "  \(trial.user)@\(trial.host), \(trial.recordedAt)")
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
