import AlphaLab
import AlphaLabLua
import Foundation

extension Kernel {
    /// execute_request: the cell runs as a line typed at the REPL does (an expression's
    /// values are shown, here as rich output through the display module); its output goes
    /// out as streams, its value as execute_result, its error with its traceback.
    func execute(_ request: JupyterMessage) {
        let code = request.content["code"] as? String ?? ""
        let silent = request.content["silent"] as? Bool ?? false
        if (request.content["store_history"] as? Bool ?? true) && !silent {
            executionCount += 1
            history.append((executionCount, code, nil))
        }
        if !silent { iopub.publish("execute_input", ["code": code, "execution_count": executionCount], parent: request) }
        var failure: LuaError?
        running = request
        output.attribute(to: request)
        activity.setBusy(true)
        if !code.allSatisfy(\.isWhitespace) {
            do { try host.evaluate(code, name: "=[\(executionCount)]", showing: .module("display", function: "result")) } catch { failure = error }
        }
        activity.setBusy(false)
        output.drain()
        running = nil
        guard let failure else {
            reply(to: request, "execute_reply", ["status": "ok", "execution_count": executionCount, "payload": [JSONObject](),
                                                  "user_expressions": userExpressions(request.content["user_expressions"] as? [String: String] ?? [:])])
            return
        }
        var content = Self.errorContent(failure)
        iopub.publish("error", content, parent: request)
        // Before the reply: what the front end sends once it has seen the error must run.
        if request.content["stop_on_error"] as? Bool ?? true { abortQueuedExecutions() }
        content["status"] = "error"
        content["execution_count"] = executionCount
        reply(to: request, "execute_reply", content)
    }

    /// A Lua error as Jupyter shows errors: its kind, its message and the traceback's lines.
    static func errorContent(_ error: LuaError) -> JSONObject {
        let ename = error.isSyntaxError ? "SyntaxError" : error.headline.hasSuffix("interrupted!") ? "Interrupted" : "LuaError"
        return ["ename": ename, "evalue": error.headline, "traceback": error.message.components(separatedBy: "\n")]
    }

    /// After an error, the cells already queued behind it do not run (they relied on it):
    /// each gets an "aborted" reply, as IPython's kernel does.
    private func abortQueuedExecutions() {
        while (try? shell.isReadable(within: 0)) == true, let frames = try? shell.receive() {
            // Parsed here only to tell execute requests apart; `handle` reads (and logs) the rest itself.
            guard let request = try? JupyterMessage(frames: frames, signer: session.signer), request.type == "execute_request" else {
                handle(frames)
                continue
            }
            iopub.status("busy", parent: request)
            reply(to: request, "execute_reply", ["status": "aborted", "execution_count": executionCount])
            iopub.status("idle", parent: request)
        }
    }

    /// user_expressions: each evaluated after the cell, as its display bundle or its error.
    private func userExpressions(_ expressions: [String: String]) -> JSONObject {
        var results: JSONObject = [:]
        for (name, expression) in expressions {
            do throws(LuaError) {
                let values = try host.run("return require('display').bundle((\(expression)\n))", name: "=user_expressions")
                guard case .map(let bundle)? = values.first else { throw LuaError("no value") }
                results[name] = ["status": "ok", "data": bundle.compactMapValues { if case .string(let s) = $0 { s } else { nil } }, "metadata": JSONObject()] as JSONObject
            } catch {
                var content = Self.errorContent(error)
                content["status"] = "error"
                results[name] = content
            }
        }
        return results
    }
}
