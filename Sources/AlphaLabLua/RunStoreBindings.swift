import AlphaLab
import CLua

/// `RunStore` userdata: a run store (either backend) from Lua.
final class RunStoreObject {
    let store: any RunStore
    init(_ store: any RunStore) { self.store = store }
}

/// The `RunStore` type's methods and fields.
enum RunStoreBindings {
    /// A stored run's summary as Lua sees it: the run's own fields, then every stored figure
    /// (``ResultField/columns``) under its key (nil where the run lacks it).
    static func summary(_ s: RunSummary) -> LuaValue {
        var fields: [String: LuaValue] = [
            "id": .integer(s.id), "created_at": .string(s.createdAt), "seconds": .number(s.seconds),
            "alphalab_version": .string(s.version), "script_hash": s.scriptHash.map(LuaValue.string) ?? .nil,
            "xgboost_version": s.xgboostVersion.map(LuaValue.string) ?? .nil, "verdict": s.verdict.map(LuaValue.string) ?? .nil,
            "universe": s.universe.map(LuaValue.string) ?? .nil, "user": s.user.map(LuaValue.string) ?? .nil,
            "script_path": s.scriptPath.map(LuaValue.string) ?? .nil, "family": s.family.map(LuaValue.string) ?? .nil,
            "rebalance": s.rebalance.map(LuaValue.string) ?? .nil, "config_hash": s.configHash.map(LuaValue.string) ?? .nil,
            "tags": .array(s.tags.map(LuaValue.string)), "strategy": s.strategy.map(LuaValue.string) ?? .nil,
            "parameters": s.parameters.map(LuaValue.string) ?? .nil]
        for (key, value) in s.figures {
            switch value {
            case .number(let x): fields[key] = .finite(x)
            case .integer(let n): fields[key] = .integer(Int64(n))
            case .text(let t): fields[key] = .string(t)
            }
        }
        return .map(fields)
    }

    /// The editor type of ``summary(_:)``'s fields, in LuaLS notation.
    static let summaryFields = ["id: integer", "created_at: string", "seconds: number", "alphalab_version: string", "script_hash?: string",
                                "xgboost_version?: string", "verdict?: string", "universe?: string", "user?: string", "script_path?: string",
                                "family?: string", "rebalance?: string", "config_hash?: string", "tags: string[]", "strategy?: string",
                                "parameters?: string"]
        + ResultField.columns.map { "\($0.key)\($0.column!.required ? "" : "?"): \($0.kind.rawValue)" }

    static func define(in state: LuaState) {
        state.defineType(RunStoreObject.self, name: "RunStore", methods: [
            ("save", """
            store:save(result) -> id: records the run (config, metrics, curves, picks, timing, data fingerprint,
              AlphaLab and XGBoost versions, and the script's text, hash and arguments: alphalab rerun ID runs it again)
            """, { o, call in
                let result = try call.object(2, ResultObject.self)
                return call.results(.integer(try call.state.session.save(result.result, seconds: result.seconds, dataOptions: result.dataOptions, in: o.store)))
            }),
            ("list", """
            store:list([filter]) -> {{id, name, created_at, seconds, total_return, sharpe, ...}, ...}
            \(LabOptionSet.runFilter.help(heading: "filter"))
            """, { store, call in
                let o = try LuaOptions(call, 2, .runFilter)
                var filter = RunFilter(name: try o.string("name"), since: try o.string("since"), minSharpe: try o.number("min_sharpe"),
                                       orderBy: try o.string("order") ?? "created", limit: try o.integer("limit") ?? 1000)
                (filter.script, filter.user, filter.until) = (try o.string("script"), try o.string("user"), try o.string("until"))
                (filter.universe, filter.execution, filter.timing) = (try o.string("universe"), try o.string("execution"), try o.string("timing"))
                filter.descending = try o.boolean("descending")
                filter.tag = try o.string("tag")
                filter.offset = try o.integer("offset") ?? 0
                return call.results(.array(try store.store.list(filter).map(summary)))
            }),
            ("load", "store:load(id) -> the stored result", { store, call in
                let r = ResultObject(try store.store.load(id: Int64(try call.integer(2))))
                return call.result(object: r)
            }),
            ("delete", "store:delete(id [, reason]) -> whether the run existed; its trial stays in the ledger and a tombstone (who, when, why) is kept", { store, call in
                call.results(.boolean(try store.store.delete(id: Int64(try call.integer(2)), reason: call.isNil(3) ? "" : try call.string(3))))
            }),
            ("tag", "store:tag(id, tag, ...): puts the tags on run id (1 to 40 letters, digits, - _ . : or /); shown and filterable in alphalab serve", { o, call in
                try o.store.tag(Int64(try call.integer(2)), try (3...max(3, call.count)).map { try call.string(Int32($0)) })
                return 0
            }),
            ("untag", "store:untag(id, tag, ...): takes the tags off run id (the history keeps that they were there)", { o, call in
                try o.store.untag(Int64(try call.integer(2)), try (3...max(3, call.count)).map { try call.string(Int32($0)) })
                return 0
            }),
            ("note", "store:note(id, text): adds a note about run id, kept with who wrote it and when (shown on its page in alphalab serve)", { o, call in
                try o.store.note(Int64(try call.integer(2)), try call.string(3))
                return 0
            }),
            ("annotations", "store:annotations(id) -> {{kind, text, user, created_at}, ...}: every tag put on or taken off run id and every note, oldest first", { o, call in
                call.results(.array(try o.store.annotations(id: Int64(try call.integer(2))).map { a in
                    .map(["kind": .string(a.kind.rawValue), "text": .string(a.text), "user": .string(a.user), "created_at": .string(a.createdAt)])
                }))
            }),
            ("save_verdict", "store:save_verdict(id, verdict): keeps a verdict (lab.verdict) with run id, replacing one kept before", { o, call in
                let verdict = try call.object(3, VerdictObject.self)
                try call.state.session.saveVerdict(verdict.verdict, run: Int64(try call.integer(2)), in: o.store)
                return 0
            }),
            ("verdict", "store:verdict(id) -> the verdict kept with run id, or nil", { o, call in
                guard let verdict = try o.store.verdict(id: Int64(try call.integer(2))) else { return call.results(.nil) }
                return call.result(object: VerdictObject(verdict))
            }),
            ("count", "store:count() -> the number of stored runs", { store, call in
                call.results(.integer(Int64(try store.store.count())))
            }),
        ], fields: { o, key in
            switch key {
            case "location": return .string(o.store.location)
            case "path":
                Deprecation.warn("store.path", renamed: "store.location")
                return .string(o.store.location)
            default: return nil
            }
        }, fieldNames: ["location", "path"],
           fieldHelp: ["location": "where the store is: a SQLite file, or a postgres:// URL (without its password)",
                       "path": "deprecated: the old name of location (a warning on first use; gone in the next release)"],
           tostring: { o in "RunStore(\(o.store.location), \((try? o.store.count()) ?? 0) runs)" })
    }
}
