import Foundation

/// A config written in a file: JSON of config fields (as `runs.promote` writes it) or a Lua
/// file returning a table of them. Its errors name the file, the line and the column of the
/// problem, and say what is wrong in the config's own terms.
public enum ConfigFile {
    /// The config in `data`, the JSON text of the file at `path`.
    public static func decode(json data: Data, path: String) throws(ConfigFileError) -> CheckedConfig {
        let text = String(decoding: data, as: UTF8.self)
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            // Foundation says where the text stops being JSON as a byte offset ("around character 27").
            let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            let offset = debug.firstMatch(of: /around (?:character|line \d+, column) (\d+)/).flatMap { Int($0.1) } ?? 0
            let problem = debug.replacing(/\s+around .*$/, with: "").trimmingCharacters(in: .punctuationCharacters)
            throw ConfigFileError(path: path, position: SourcePosition(byteOffset: offset, in: text),
                                  problem: "not valid JSON" + (problem.isEmpty ? "" : " (\(problem.lowercased()))"))
        }
        let values: [String: ConfigValue]
        do { values = try JSONDecoder().decode([String: ConfigValue].self, from: data) } catch {
            throw ConfigFileError(path: path, position: SourcePosition(line: 1, column: 1),
                                  problem: "a config is a JSON object of config fields ({\"top_n\": 10, ...})")
        }
        return try config(values, text: text, path: path, keyPattern: { "\"\($0)\"" })
    }

    /// The config from named `values` read out of the Lua file at `path` (whose text is `text`).
    public static func decode(lua values: [String: ConfigValue], text: String, path: String) throws(ConfigFileError) -> CheckedConfig {
        try config(values, text: text, path: path, keyPattern: { $0 })
    }

    /// The config from `values`; a field's error is placed where `keyPattern(key)` first stands in `text`.
    private static func config(_ values: [String: ConfigValue], text: String, path: String,
                               keyPattern: (String) -> String) throws(ConfigFileError) -> CheckedConfig {
        do {
            return try CheckedConfig(values: values)
        } catch {
            let position = error.key.isEmpty ? nil : SourcePosition(of: keyPattern(error.key), in: text)
            // An unknown field with a close match says only the match; the whole list is for when nothing is close.
            var problem = error.description
            if problem.contains("(did you mean"), let list = problem.range(of: "; valid fields:") { problem = String(problem[..<list.lowerBound]) }
            throw ConfigFileError(path: path, position: position, problem: problem)
        }
    }
}

/// A config file's problem, where it is, and what it is.
public struct ConfigFileError: Error, CustomStringConvertible {
    public var path: String
    /// Where in the file, when it is known (a field that is missing has no place).
    public var position: SourcePosition?
    public var problem: String

    public var description: String {
        "\(path)\(position.map { ":\($0.line):\($0.column)" } ?? ""): \(problem)"
    }
}

/// A line and a column in a text, both from 1.
public struct SourcePosition: Equatable, Sendable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of the byte at `byteOffset` in `text`'s UTF-8 (the end when past it).
    public init(byteOffset: Int, in text: String) {
        let bytes = text.utf8.prefix(max(0, byteOffset))
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        self.init(line: lines.count, column: (lines.last?.count ?? 0) + 1)
    }

    /// The position of the first occurrence of `needle` in `text`, if any.
    public init?(of needle: String, in text: String) {
        guard let range = text.range(of: needle) else { return nil }
        self.init(byteOffset: text.utf8.distance(from: text.utf8.startIndex, to: range.lowerBound), in: text)
    }
}
