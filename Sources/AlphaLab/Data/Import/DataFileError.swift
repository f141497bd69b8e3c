/// A data file read whole or not at all (a membership, a delisting list) that cannot be
/// read: the file, the line when the problem sits on one, and what is wrong.
public struct DataFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line number, when the problem sits on a line.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { (line.map { "\(file):\($0)" } ?? file) + ": " + message }
}
