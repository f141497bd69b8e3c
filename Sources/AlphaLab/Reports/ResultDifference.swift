import Foundation

/// A figure that differs between two results of the same run: where it is in the
/// result's JSON (`total_return`, `weeks[12].picks[3].weight`) and its two values.
public struct ResultDifference: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var before: String
    public var after: String

    public var description: String { "\(path): \(before) then, \(after) now" }

    /// Every figure of `after` that differs from `before`, in the order of the JSON's
    /// (sorted) keys, and how many figures were compared. The versions and the data's
    /// fingerprint are not figures: a rerun reports them as causes.
    public static func compare(_ before: ExperimentResult, _ after: ExperimentResult) throws -> (differences: [ResultDifference], figures: Int) {
        func tree(_ r: ExperimentResult) throws -> Any {
            var object = try JSONSerialization.jsonObject(with: try r.json(pretty: false)) as? [String: Any] ?? [:]
            for key in ["alphalab_version", "data_fingerprint"] { object.removeValue(forKey: key) }
            return object
        }
        var differences: [ResultDifference] = []
        var figures = 0
        func text(_ value: Any?) -> String {
            switch value {
            case nil: return "absent"
            case is NSNull: return "null"
            case let n as NSNumber: return n.stringValue
            case let s as String: return "\"\(s)\""
            case let a as [Any]: return "\(a.count) entries"
            case is [String: Any]: return "an object"
            default: return "\(value!)"
            }
        }
        func walk(_ a: Any?, _ b: Any?, _ path: String) {
            switch (a, b) {
            case (let x as [String: Any], let y as [String: Any]):
                for key in Set(x.keys).union(y.keys).sorted() { walk(x[key], y[key], path.isEmpty ? key : path + "." + key) }
            case (let x as [Any], let y as [Any]) where x.count == y.count:
                for i in x.indices { walk(x[i], y[i], "\(path)[\(i)]") }
            default:
                figures += 1
                let equal: Bool
                switch (a, b) {
                case (let x as NSNumber, let y as NSNumber): equal = x == y
                case (let x as String, let y as String): equal = x == y
                case (is NSNull, is NSNull): equal = true
                default: equal = false
                }
                if !equal { differences.append(ResultDifference(path: path, before: text(a), after: text(b))) }
            }
        }
        walk(try tree(before), try tree(after), "")
        return (differences, figures)
    }
}
