import AlphaLab
import ArgumentParser
import Foundation

/// `alphalab store init|add-analyst`: a team's PostgreSQL store, set up by its administrator.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Set up a team's PostgreSQL run store: its schema, a team role and its analysts.",
        discussion: """
            Run as the database's administrator (a role that may create roles). Analysts then connect \
            with their own role (postgres://NAME@HOST/DB, password in ~/.pgpass or PGPASSWORD): they insert \
            and read runs and trials, delete only their own runs, and never change the ledger.
            """,
        subcommands: [Init.self, AddAnalyst.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or upgrade the schema at URL and give the team role its privileges (safe to run again).")

        @Argument(help: "The store: postgres://ADMIN@HOST:PORT/DB (the database must exist: createdb DB).")
        var url: String

        @Option(name: .long, help: "The team's group role (created if missing).")
        var team: String

        @Flag(name: .long, help: "Print the privilege statements instead of running them (the schema is still brought up to date).")
        var print = false

        func run() throws {
            do {
                if self.print {
                    _ = try PostgresRunStore(url: url)
                    Swift.print(PostgresTeam.grants(team: try PostgresTeam.checkRole(team, what: "team"),
                                                    database: URL(string: url)?.lastPathComponent ?? "DB").map { $0 + ";" }.joined(separator: "\n"))
                    return
                }
                try PostgresTeam.initialize(url: url, team: team)
            } catch {
                throw CommandFailure(description: "store init: \(error)")
            }
            Swift.print("\(RunStores.redacted(url)): schema up to date; role \(team) may read and record runs and trials; "
                        + "add analysts with `alphalab store add-analyst NAME --runs \(RunStores.redacted(url))`")
        }
    }

    struct AddAnalyst: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-analyst",
            abstract: "Make NAME a login role in the store's team (its password, if the server needs one, is yours to set).")

        @Argument(help: "The analyst's role name.")
        var name: String

        @Option(name: .long, help: ArgumentHelp("The store, as its administrator: postgres://ADMIN@HOST/DB.", discussion: "Default: $ALPHALAB_RUNS."))
        var runs: String?

        func run() throws {
            guard let url = runs ?? RunStores.configuredLocation(), RunStores.isURL(url) else {
                throw CommandFailure(description: "store add-analyst: name the team store with --runs postgres://ADMIN@HOST/DB")
            }
            do { try PostgresTeam.addAnalyst(url: url, name: name) } catch { throw CommandFailure(description: "store add-analyst: \(error)") }
            Swift.print("\(name) is an analyst of \(RunStores.redacted(url)): ALPHALAB_RUNS=postgres://\(name)@HOST/DB")
        }
    }
}
