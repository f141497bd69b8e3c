import Foundation
import Testing

/// The engine's folders point one way: a file may name the types of its own folder and of
/// the folders below it, never of a folder above it or beside it. The check reads the
/// sources' type references (comments and string literals left out), so a reference that
/// breaks the order fails the suite with the file, the type and the two folders.
@Suite("Engine layering")
struct LayeringTests {
    /// The engine's folders, lowest first; folders on one line are peers, which may not
    /// name each other's types. Store (persistence) sits above the verdict it keeps and below
    /// the pages that read it; Portfolio (risk model and optimizer) below the backtest that
    /// builds books with it.
    static let layers: [[String]] = [
        ["Support"], ["Data"], ["Features"], ["Models"], ["Metrics"], ["Portfolio"], ["Backtest"],
        ["Analysis", "Ledger", "Cluster"], ["Verdict"], ["Store"], ["Reports"],
    ]

    /// A reference against the order: `file` (in `folder`) names `type`, declared in `owner`.
    struct Violation: Equatable, CustomStringConvertible {
        var file: String, type: String, folder: String, owner: String
        var description: String { "\(file) names \(type) from \(owner), which \(folder) may not use" }
    }

    /// The references against `layers` in the Swift files under `root` (one folder per layer).
    /// A folder not in `layers`, or a file at the root, is itself an error.
    static func violations(under root: URL, layers: [[String]] = layers) throws -> [Violation] {
        let rank = Dictionary(uniqueKeysWithValues: layers.enumerated().flatMap { i, peers in peers.map { ($0, i) } })
        var files: [(path: String, folder: String, text: String)] = []
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            let parts = relative.split(separator: "/")
            guard parts.count > 1, rank[String(parts[0])] != nil else {
                throw LayeringError(description: "\(relative) is in no layer: put it in one of \(layers.flatMap { $0 })")
            }
            files.append((relative, String(parts[0]), strip(try String(contentsOf: url, encoding: .utf8))))
        }
        var owner: [String: String] = [:]
        let declaration = try NSRegularExpression(pattern: #"^(?:@\w+(?:\([^)\n]*\))?\s+)*(?:(?:public|private|fileprivate|internal|final|indirect|open)\s+)*(?:struct|class|enum|protocol|typealias|actor)\s+([A-Z]\w*)"#, options: .anchorsMatchLines)
        for file in files {
            for name in matches(declaration, in: file.text) { owner[name] = owner[name] ?? file.folder }
        }
        let word = try NSRegularExpression(pattern: #"\b[A-Z]\w*\b"#)
        var found: [Violation] = []
        for file in files {
            for name in Set(matches(word, in: file.text, group: 0)).sorted() {
                guard let home = owner[name], home != file.folder, let own = rank[file.folder], let theirs = rank[home], theirs >= own else { continue }
                found.append(Violation(file: file.path, type: name, folder: file.folder, owner: home))
            }
        }
        return found.sorted { ($0.file, $0.type) < ($1.file, $1.type) }
    }

    struct LayeringError: Error, CustomStringConvertible { var description: String }

    private static func matches(_ expression: NSRegularExpression, in text: String, group: Int = 1) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap { Range($0.range(at: group), in: text).map { String(text[$0]) } }
    }

    /// `text` without comments and string literals (their words are not references).
    static func strip(_ text: String) -> String {
        var out = "", i = text.startIndex
        func at(_ s: String) -> Bool { text[i...].hasPrefix(s) }
        while i < text.endIndex {
            if at("//") {
                i = text[i...].firstIndex(of: "\n") ?? text.endIndex
            } else if at("/*") {
                i = text[i...].range(of: "*/").map(\.upperBound) ?? text.endIndex
            } else if at("\"\"\"") {
                let rest = text.index(i, offsetBy: 3)
                i = text[rest...].range(of: "\"\"\"").map(\.upperBound) ?? text.endIndex
                out += "\"\""
            } else if text[i] == "\"" {
                var j = text.index(after: i)
                while j < text.endIndex, text[j] != "\"", text[j] != "\n" { j = text.index(after: text[j] == "\\" ? text.index(after: j) : j) }
                i = j < text.endIndex ? text.index(after: j) : j
                out += "\"\""
            } else {
                out.append(text[i])
                i = text.index(after: i)
            }
        }
        return out
    }

    @Test("The engine's folders point one way: Support <- Data <- Features <- Models <- Metrics <- Portfolio <- Backtest <- Analysis / Ledger / Cluster <- Verdict <- Store <- Reports")
    func foldersPointOneWay() throws {
        let found = try Self.violations(under: Fixtures.root.appendingPathComponent("Sources/AlphaLab"))
        #expect(found.isEmpty, "\(found.map(\.description).joined(separator: "\n"))")
    }

    @Test("The check finds a reference upward, one between peers, and a folder outside the layers; comments and strings are not references")
    func checkCanFail() throws {
        let root = URL(fileURLWithPath: Fixtures.temporaryFolder())
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("Low/Base.swift", "public struct Base {}\n// Top is named in a comment\nlet s = \"Top in a string\"\n")
        try write("Low/Bad.swift", "extension Base { func up() -> Top? { nil } }\n")
        try write("Side/Peer.swift", "final class Peer { let other: Sibling? = nil }\n")
        try write("Side2/Sibling.swift", "struct Sibling { let base: Base }\n")
        try write("High/Top.swift", "public struct Top { var base: Base; var peer: Peer }\n")
        let layers = [["Low"], ["Side", "Side2"], ["High"]]
        #expect(try Self.violations(under: root, layers: layers) == [
            Violation(file: "Low/Bad.swift", type: "Top", folder: "Low", owner: "High"),
            Violation(file: "Side/Peer.swift", type: "Sibling", folder: "Side", owner: "Side2"),
        ])
        try write("Stray/Loose.swift", "struct Loose {}\n")
        #expect(throws: LayeringError.self) { try Self.violations(under: root, layers: layers) }
    }
}
