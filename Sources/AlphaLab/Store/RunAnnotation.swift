import Foundation

/// A tag put on a run or taken off it, or a note about it: who, when, what. Kept beside the
/// run append-only (a tag taken off is a row of its own), so the history of a run's labels
/// stays readable; the run's current tags are kept in its row too, to filter the list.
public struct RunAnnotation: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case tag, untag, note
    }

    public var kind: Kind
    public var text: String
    public var user: String
    public var createdAt: String

    public init(kind: Kind, text: String, user: String, createdAt: String) {
        self.kind = kind
        self.text = text
        self.user = user
        self.createdAt = createdAt
    }

    /// The most characters a note may have.
    public static let noteLength = 4000

    /// Checks a tag (letters, digits, `-`, `_`, `.`, `:` and `/`, at most 40) or a note (not
    /// empty, at most ``noteLength`` characters).
    public static func check(_ kind: Kind, _ text: String) throws(StoreError) {
        switch kind {
        case .tag, .untag:
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.:/"))
            guard !text.isEmpty, text.count <= 40, text.unicodeScalars.allSatisfy(allowed.contains) else {
                throw .badQuery("'\(text)' is not a tag: 1 to 40 letters, digits, - _ . : or /")
            }
        case .note:
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text.count <= noteLength else {
                throw .badQuery("a note holds 1 to \(noteLength) characters, got \(text.count)")
            }
        }
    }

    /// The tags column after `kind` of `tag` on a run whose column was `column` (",a,b,"):
    /// sorted, each once, commas on both sides so that a filter matches a whole tag.
    static func tagsColumn(_ column: String?, applying kind: Kind, _ tag: String) -> String? {
        var tags = Set(RunSummary.tags(column))
        switch kind {
        case .tag: tags.insert(tag)
        case .untag: tags.remove(tag)
        case .note: break
        }
        return tags.isEmpty ? nil : "," + tags.sorted().joined(separator: ",") + ","
    }
}
