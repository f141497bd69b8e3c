/// A small CSV file read whole (a membership, a delisting list): its header, lowercased,
/// and every other record as strings with its line number. The readers that build on it
/// refuse the whole file at the first problem, with a ``DataFileError``.
struct HeaderedRows {
    let path: String
    let header: [String]
    let rows: [(line: Int, fields: [String])]

    /// Splits `bytes` into the header and the rows; an error when there is no record at all.
    init(bytes: [UInt8], path: String) throws(DataFileError) {
        var header: [String]?
        var rows: [(line: Int, fields: [String])] = []
        CSVReader(bytes: bytes, path: path).forEachRecord { line, record in
            let fields = (0..<record.count).map { record.string($0) }
            if header == nil { header = fields.map { $0.lowercased() } } else { rows.append((line, fields)) }
            return true
        }
        guard let header else { throw DataFileError(file: path, line: nil, message: "empty file") }
        self.path = path
        self.header = header
        self.rows = rows
    }

    /// The position of the first header name among `names`, if any.
    func column(_ names: [String]) -> Int? { header.firstIndex(where: names.contains) }

    /// An error naming the row's line when it has not as many fields as the header.
    func checkWidth(_ row: (line: Int, fields: [String])) throws(DataFileError) {
        guard row.fields.count == header.count else {
            throw DataFileError(file: path, line: row.line, message: "expected \(header.count) fields, found \(row.fields.count)")
        }
    }
}
