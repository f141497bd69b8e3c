import AlphaLab
import AlphaLabLua
import Foundation

extension Kernel {
    /// Connects the Lua side to the channels: the display module draws in the notebook
    /// (display_data, update_display_data, execute_result), and `input()` and `io.read()`
    /// ask the front end through the stdin channel.
    func installLuaSide() throws {
        guard host.stdlib != nil else { throw KernelFailure("cannot find AlphaLab's stdlib/ (set ALPHALAB_STDLIB to its folder)") }
        host.state.session.helpPrints = false // help(x) returns its text, shown as the cell's value
        host.state.push(function: "display.publish") { [unowned self] call in
            // An empty table reads as a list (display.clear's bundle).
            let bundle: [String: LuaValue] = switch try call.table(1) { case .map(let m): m; default: [:] }
            let options: [String: LuaValue] = if case .map(let m)? = try call.optionalTable(2) { m } else { [:] }
            publish(bundle.compactMapValues { if case .string(let s) = $0 { s } else { nil } }, options: options)
            return 0
        }
        host.state.setGlobalFromTop("__alphalab_publish")
        host.state.push(function: "input") { [unowned self] call in
            let line = try requestInput(prompt: try call.optionalString(1) ?? "", password: call.isNil(2) ? false : try call.boolean(2))
            return call.results(.string(line))
        }
        host.state.setGlobalFromTop("__alphalab_input")
        try host.run("""
            local publish, input = __alphalab_publish, __alphalab_input
            __alphalab_publish, __alphalab_input = nil, nil
            display = require "display"
            display.rich, display.publish = true, publish
            io.stdout:setvbuf("line") -- a cell's lines reach the notebook as they are printed
            --- input([prompt [, password]]) -> the line the user typed in the notebook
            _G.input = input
            -- io.read() reads from the notebook: one line per format ("n": a number, "L": with its newline, k: k bytes)
            io.read = function(...)
              local formats, values = select("#", ...) == 0 and { "l" } or { ... }, {}
              for i, format in ipairs(formats) do
                local line = input("")
                format = type(format) == "string" and format:gsub("^%*", "") or format
                if format == "n" then values[i] = tonumber(line)
                elseif format == "L" then values[i] = line .. "\\n"
                elseif math.type(format) == "integer" then values[i] = line:sub(1, format)
                else values[i] = line end
              end
              return table.unpack(values, 1, #formats)
            end
            """, name: "=(kernel)")
    }

    /// A display bundle from Lua: execute_result for a cell's value, update_display_data
    /// to redraw a display, clear_output to clear the cell, display_data otherwise. Output
    /// printed before it goes first.
    private func publish(_ bundle: [String: String], options: [String: LuaValue]) {
        guard let request = running else { return }
        output.drain()
        if options["clear"] == .boolean(true) {
            iopub.publish("clear_output", ["wait": options["wait"] == .boolean(true)], parent: request)
            return
        }
        if options["result"] == .boolean(true) {
            guard request.content["silent"] as? Bool != true else { return }
            if history.last?.count == executionCount { history[history.count - 1].output = bundle["text/plain"] }
            iopub.publish("execute_result", ["execution_count": executionCount, "data": bundle, "metadata": JSONObject()], parent: request)
            return
        }
        var content: JSONObject = ["data": bundle, "metadata": JSONObject()]
        if case .string(let id)? = options["id"] { content["transient"] = ["display_id": id] }
        iopub.publish(options["update"] == .boolean(true) ? "update_display_data" : "display_data", content, parent: request)
    }

    /// Asks the front end for a line through the stdin channel and waits for it (Ctrl-C or
    /// an interrupt request stops the wait).
    private func requestInput(prompt: String, password: Bool) throws -> String {
        guard let request = running, request.content["allow_stdin"] as? Bool == true else {
            throw LuaError("input: this notebook front end does not take input (allow_stdin is false)")
        }
        output.drain()
        reply(to: request, "input_request", ["prompt": prompt, "password": password], on: stdin)
        while !Cancellation.process.isRequested {
            guard try stdin.isReadable(within: 50) else { continue }
            guard let answer = session.read(try stdin.receive(), channel: "stdin"), answer.type == "input_reply" else { continue }
            return answer.content["value"] as? String ?? ""
        }
        throw LuaError("interrupted!")
    }
}
