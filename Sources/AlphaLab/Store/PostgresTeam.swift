import Foundation

/// A team's PostgreSQL store set up so that every analyst can open it, in any order, and
/// none can edit the ledger: the administrator creates the schema (so analysts never need
/// to), a group role for the team, and the privileges each table needs (analysts insert
/// and read; they update only a run's verdict headline and delete only their own runs);
/// each analyst is a login role in the group. The database's role is the analyst's
/// identity: the server records it with every row.
public enum PostgresTeam {
    /// Why a team set-up cannot go ahead.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A role name PostgreSQL takes unquoted.
    public static func checkRole(_ name: String, what: String) throws -> String {
        guard name.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw Failure(description: "\(what) '\(name)' is not a plain role name (lowercase letters, digits and _, starting with a letter or _)")
        }
        return name
    }

    /// The statements that give `team` its privileges on the schema in database `database`
    /// (run by the administrator, after the schema is up to date).
    public static func grants(team: String, database: String) -> [String] {
        [
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(team)') THEN CREATE ROLE \(team) NOLOGIN; END IF; END $$",
            "CREATE TABLE IF NOT EXISTS alphalab_team (name TEXT NOT NULL, owner TEXT NOT NULL)",
            "DELETE FROM alphalab_team",
            "INSERT INTO alphalab_team (name, owner) VALUES ('\(team)', current_user)",
            "GRANT CONNECT ON DATABASE \"\(database)\" TO \(team)",
            "GRANT USAGE ON SCHEMA public TO \(team)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(team)",
            "GRANT INSERT ON runs, trials, run_tombstones, run_verdicts, run_annotations TO \(team)",
            "GRANT UPDATE (verdict_headline, tags) ON runs TO \(team)",
            "GRANT DELETE ON runs TO \(team)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(team)",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO \(team)",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO \(team)",
        ]
    }

    /// Sets up the store at `url`, connected as its administrator: the schema brought up to
    /// date, then the team's role and grants. Safe to run again (after an upgrade, to apply
    /// new schema versions). Returns the statements run after the schema.
    @discardableResult
    public static func initialize(url: String, team: String) throws -> [String] {
        let team = try checkRole(team, what: "team")
        _ = try PostgresRunStore(url: url) // the schema, created by the administrator
        let connection = try PostgresConnection(url: url)
        let database = try connection.execute("SELECT current_database() AS db")[0, "db"] ?? ""
        let statements = grants(team: team, database: database)
        try connection.transaction {
            for sql in statements { try connection.execute(sql) }
        }
        return statements
    }

    /// Makes `name` a login role in the store's team (created by ``initialize(url:team:)``).
    /// Its password, if the server asks for one, is the administrator's to set.
    public static func addAnalyst(url: String, name: String) throws {
        let name = try checkRole(name, what: "analyst")
        let connection = try PostgresConnection(url: url)
        guard try connection.execute("SELECT to_regclass('alphalab_team') IS NOT NULL AS set")[0, "set"] == "t",
              let team = try connection.execute("SELECT name FROM alphalab_team")[safe: 0, "name"] else {
            throw Failure(description: "\(connection.location) has no team: run `alphalab store init URL --team ROLE` first")
        }
        try connection.transaction {
            try connection.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(name)') THEN CREATE ROLE \(name) LOGIN; END IF; END $$")
            try connection.execute("GRANT \(team) TO \(name)")
        }
    }
}
