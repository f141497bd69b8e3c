import AlphaLab
import AlphaLabLua
import Foundation

extension Kernel {
    /// The characters of a name being completed or inspected: `lab.run`, `r:summary`, `experiment.config`.
    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "." || c == ":" || (c.isASCII && (c.properties.isAlphabetic || c.properties.numericType != nil))
    }

    /// The code as code points and the cursor within it (Jupyter counts code points since 5.2).
    private static func scalars(_ content: JSONObject) -> (text: [Unicode.Scalar], cursor: Int) {
        let text = Array((content["code"] as? String ?? "").unicodeScalars)
        return (text, min(max(content["cursor_pos"] as? Int ?? text.count, 0), text.count))
    }

    /// complete_request: the REPL's completions of the name before the cursor.
    func completion(_ content: JSONObject) -> JSONObject {
        let (text, cursor) = Self.scalars(content)
        var start = cursor
        while start > 0, Self.isNameCharacter(text[start - 1]) { start -= 1 }
        let word = String(String.UnicodeScalarView(text[start..<cursor]))
        // The line before the word: inside `lab.synthetic{` the function's options complete.
        var lineStart = start
        while lineStart > 0, text[lineStart - 1] != "\n" { lineStart -= 1 }
        let before = String(String.UnicodeScalarView(text[lineStart..<start]))
        let matches = word.isEmpty && !before.hasSuffix("{") ? [] : host.complete(word, before: before)
        return ["status": "ok", "matches": matches, "cursor_start": start, "cursor_end": cursor, "metadata": JSONObject()]
    }

    /// inspect_request: `help()`'s text for the name under the cursor (`r:summary` as `r.summary`).
    func inspection(_ content: JSONObject) -> JSONObject {
        let (text, cursor) = Self.scalars(content)
        var start = cursor, end = cursor
        while start > 0, Self.isNameCharacter(text[start - 1]) { start -= 1 }
        while end < text.count, Self.isNameCharacter(text[end]) { end += 1 }
        let name = String(String.UnicodeScalarView(text[start..<end])).replacingOccurrences(of: ":", with: ".")
            .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !name.isEmpty, name.first.map({ !$0.isNumber }) == true,
              case .string(let help)? = try? host.run("local ok, v = pcall(function() return \(name) end)\n"
                                                      + "if ok and v ~= nil then return help(v) end", name: "=inspect").first
        else { return ["status": "ok", "found": false, "data": JSONObject(), "metadata": JSONObject()] }
        return ["status": "ok", "found": true, "data": ["text/plain": help], "metadata": JSONObject()]
    }

    /// is_complete_request: the REPL's multi-line rule (a syntax error at the end of the input wants more lines).
    func completeness(_ content: JSONObject) -> JSONObject {
        let code = content["code"] as? String ?? ""
        if code.allSatisfy(\.isWhitespace) { return ["status": "complete"] }
        switch host.status(of: code) {
        case .complete: return ["status": "complete"]
        case .incomplete: return ["status": "incomplete", "indent": ""]
        case .invalid: return ["status": "invalid"]
        }
    }

    /// history_request: this session's cells (tail, range or search with `*` and `?`), with
    /// `output` each cell's value as text.
    func historyReply(_ content: JSONObject) -> JSONObject {
        var cells = history
        switch content["hist_access_type"] as? String {
        case "range":
            let start = content["start"] as? Int ?? 0, stop = content["stop"] as? Int ?? Int.max
            cells = cells.filter { $0.count >= start && $0.count < stop }
        case "search":
            let pattern = content["pattern"] as? String ?? "*"
            cells = cells.filter { fnmatch(pattern, $0.code, 0) == 0 }
            if content["unique"] as? Bool == true {
                var seen = Set<String>()
                cells = cells.reversed().filter { seen.insert($0.code).inserted }.reversed()
            }
            if let n = content["n"] as? Int { cells = Array(cells.suffix(n)) }
        default:
            cells = Array(cells.suffix(content["n"] as? Int ?? cells.count))
        }
        let output = content["output"] as? Bool ?? false
        return ["status": "ok", "history": cells.map { [0, $0.count, output ? [$0.code, $0.output as Any] as [Any] : $0.code] as [Any] }]
    }
}
