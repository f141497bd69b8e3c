import Foundation

/// Options that belong to AlphaLab rather than to one command, taken before or after the
/// command's name (`alphalab --no-ledger verdict ...` and `alphalab verdict --no-ledger ...`).
enum GlobalOptions {
    /// The global options every command that runs backtests accepts.
    static let names: Set<String> = ["--no-ledger"]

    /// The global options found on this command line, in order (the Lua interpreter gets
    /// them before the script).
    nonisolated(unsafe) private(set) static var given: [String] = []

    /// Takes the global options out of a command's words (up to a `--`), keeping the rest in order.
    static func take(from words: [String]) -> [String] {
        var rest: [String] = []
        var passedSeparator = false
        for word in words {
            if word == "--" { passedSeparator = true }
            if !passedSeparator, names.contains(word) {
                if !given.contains(word) { given.append(word) }
            } else {
                rest.append(word)
            }
        }
        return rest
    }
}
