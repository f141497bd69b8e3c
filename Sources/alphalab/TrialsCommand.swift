import AlphaLab
import AlphaLabLua
import ArgumentParser
import Foundation

/// `alphalab trials [--runs LOCATION] [--family KEY]`: the ledger's families, each with
/// its number of trials and its best Sharpe ratio raw and deflated by the family.
struct TrialsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trials",
        abstract: "List the ledger's families of trials: how many, the best ratio raw and deflated, and the family's multiple-testing tests.",
        discussion: """
            A trial is a completed backtest of one config on one dataset; a family is the trials that can be \
            compared (same data, universe, decision period and rebalance frequency). Each trial is judged on the \
            statistic its config claims: the information ratio of its returns over SPY (claim = active, the \
            default) or its Sharpe ratio over the risk-free rate (claim = absolute), computed from the stored \
            returns. The deflated ratio is the probability that the best trial's true ratio beats the best of as \
            many luckless trials (Bailey and Lopez de Prado 2014), with \(TrialVerdict.effectiveFormula). \
            --family adds Hansen's SPA, White's Reality Check, Romano-Wolf's StepM, the CSCV probability of \
            backtest overfitting and the Harvey-Liu-Zhu haircut for the family's best trial.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The ledger: a SQLite file or a postgres:// URL.",
                                            discussion: "Default: $ALPHALAB_RUNS, else ~/.local/share/alphalab/ledger.db."))
    var runs: String?

    @Option(name: .long, help: "One family (its key): every trial, best first.")
    var family: String?

    @Flag(name: .long, help: ArgumentHelp("Recompute every family's hash chain and every trial's ratio from the stored rows; name any row altered, inserted out of order or removed.",
                                          discussion: "Exits 1 when a problem is found."))
    var verify = false

    func run() throws {
        let location = runs ?? RunStores.ledgerLocation()
        let store: any RunStore
        do { store = try RunStores.open(location) } catch { throw CommandFailure(description: "\(error)") }
        if verify {
            let verification = try store.verifyLedger()
            let tombstones = try store.tombstones()
            print("ledger \(location): " + verification.report)
            if !tombstones.isEmpty {
                print("\(tombstones.count) deleted run\(tombstones.count == 1 ? "" : "s") (their trials still count):")
                for t in tombstones { print("  run \(t.runID) (\(t.name)) deleted by \(t.deletedBy) at \(t.deletedAt)\(t.reason.isEmpty ? "" : ": \(t.reason)")") }
            }
            if !verification.isIntact { throw ExitCode(1) }
            return
        }
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
                     "Family            Trials  Effective  Best ratio  Deflated  Best trial                Universe, period, rebalance, data"]
        for summary in families {
            let trials = try store.trials(family: summary.key)
            guard let best = trials.max(by: { !($0.sharpe >= $1.sharpe) }) else { continue }
            let verdict = TrialVerdict(best, family: trials)
            lines.append(summary.key + "  " + pad(String(summary.trials), 6) + "  " + pad(Format.num(verdict.effectiveTrials, "%.1f"), 9)
                         + "  " + pad(best.claim.abbreviation + " " + Format.num(best.annualSharpe, "%.2f"), 10) + "  " + pad(Format.num(verdict.deflated, "%.3f"), 8)
                         + "  " + best.name.padding(toLength: 24, withPad: " ", startingAt: 0) + "  " + summary.family.description)
        }
        lines.append("Ratio: the claimed statistic a year (IR: information ratio over SPY; Sharpe: over the risk-free rate), from the stored returns.")
        lines.append("Deflated: the probability that the best trial's true ratio beats the best of as many luckless trials.")
        return lines.joined(separator: "\n")
    }

    /// One family's trials, best first, each judged against the family.
    static func familyText(_ key: String, trials: [Trial], location: String) throws -> String {
        guard let first = trials.first else { throw CommandFailure(description: "no family \(key) in \(location)") }
        var lines = ["family \(key): \(first.family.description); \(trials.count) trials",
                     "     Ratio  Deflated  PSR vs 0  Periods  Config            Name                      User@host, recorded"]
        // Best first by the annualised ratio shown (NaN last).
        let ranked = trials.sorted { !($0.annualSharpe <= $1.annualSharpe) && !$0.annualSharpe.isNaN || $1.annualSharpe.isNaN && !$0.annualSharpe.isNaN }
        for trial in ranked {
            let verdict = TrialVerdict(trial, family: trials)
            lines.append(pad(trial.claim.abbreviation + " " + Format.num(trial.annualSharpe, "%.2f"), 10) + "  " + pad(Format.num(verdict.deflated, "%.3f"), 8) + "  "
                         + pad(Format.num(verdict.probabilistic, "%.3f"), 8) + "  " + pad(String(trial.periods), 7) + "  " + trial.configHash
                         + "  " + trial.name.padding(toLength: 24, withPad: " ", startingAt: 0) + "  \(trial.user)@\(trial.host), \(trial.recordedAt)")
        }
        if trials.count > 1, let best = ranked.first {
            let verdict = TrialVerdict(best, family: trials)
            lines.append("")
            lines.append("best trial \(best.name): \(verdict.summary)")
            lines += FamilyTests(sample: best.sample, family: trials.map(\.sample)).lines
        }
        return lines.joined(separator: "\n")
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
