import Foundation

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

extension DataFileError {
    /// The bytes of the data file `path`, read whole; the error when it cannot be read.
    static func contents(of path: String) throws(DataFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw DataFileError(file: path, line: nil, message: "cannot read the file") }
        return [UInt8](data)
    }

    /// `text` as a day in `format`; otherwise the error naming the file, the line and `what`
    /// the date is (a start date, a delisting date).
    static func day(_ text: String, _ format: DateFormat, path: String, line: Int, what: String) throws(DataFileError) -> Day {
        guard let day = format.parse(text) else {
            throw DataFileError(file: path, line: line, message: "unparsable \(what) '\(text)' (expected \(format); other formats with --date-format)")
        }
        return day
    }
}
