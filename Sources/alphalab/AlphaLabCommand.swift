import AlphaLab
import AlphaLabLua
import ArgumentParser

/// The `alphalab` command.

struct AlphaLabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alphalab",
        abstract: "Walk-forward research on ML stock-selection strategies.",
        discussion: """
        Lua scripts and the REPL follow the standalone lua interpreter's conventions:
          alphalab                       start the REPL
          alphalab FILE.lua [ARGS...]    run a script (also: alphalab run FILE.lua [ARGS...])
          alphalab -e CHUNK              run a chunk; -l MODULE requires a module; -i enters
                                         the REPL after the script; -v prints the version;
                                         - reads the script from stdin
          alphalab FILE.lua [ARGS...] --shard I/N
                                         train shard I of N of the script's trainings into
                                         its disk cache and exit (see `alphalab plan --help`);
                                         --shard auto takes I/N from Slurm or Kubernetes
          alphalab picks (--config FILE | --run ID) [--holdings CSV] [--date D] [data options]
                                         what a config buys at the next open (and the orders)
          alphalab serve [--runs PATH|URL] [--host H] [--port P] [--token T]
                                         the run store in a browser: runs, comparisons, trials
          alphalab kernel install [--user | --prefix DIR] [--sandbox] [--name NAME]
                                         AlphaLab in Jupyter notebooks (JupyterLab, VS Code):
                                         results, tear sheets and verdicts drawn inline
          alphalab verdict (--config FILE | --run ID) [--html PATH] [data options]
                                         does it really work? the config and its audit twins,
                                         a placebo and the ledger: credible, fragile, artefact or inconclusive
          alphalab --sandbox [--output DIR] [--memory-limit MB] [--cpu-limit SECONDS] FILE.lua
                                         run a script from someone else confined: no programs
                                         or native code, reads under its folder, stdlib/,
                                         $ALPHALAB_PATH and the paths among its arguments,
                                         writes under DIR (results); also ALPHALAB_SANDBOX=1
          alphalab rerun ID              run a recorded run again and compare every figure
          alphalab trials [--family KEY | --verify]
                                         the ledger's families of trials: counts, best ratio raw and
                                         deflated, the family's tests; --verify recomputes the chains
          alphalab store init URL --team ROLE; alphalab store add-analyst NAME --runs URL
                                         set up a team's PostgreSQL store and its analysts
          alphalab --no-ledger ...       do not record this process's backtests as trials (every completed
                                         backtest is one, in the --runs / $ALPHALAB_RUNS store or
                                         ~/.local/share/alphalab/ledger.db)
          alphalab --annotations [PATH]  LuaLS annotations of lab (stdlib/meta/lab.lua)
        require() searches the script's folder, AlphaLab's stdlib/, then $ALPHALAB_PATH.
        """,
        version: "alphalab \(AlphaLabVersion.string) (Lua \(LuaHost.luaVersion), XGBoost \(XGBoostModel.libraryVersion))",
        subcommands: [ImportCommand.self, InfoCommand.self, MarketCommand.self, PlanCommand.self, RerunCommand.self, StoreCommand.self, TrialsCommand.self]
    )
}
