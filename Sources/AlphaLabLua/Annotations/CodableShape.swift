import AlphaLab

/// The fields of a `Decodable` record as LuaLS declares them (`name?: type`), read from its
/// Codable shape: the record is decoded once from nothing by a decoder that notes each key
/// asked for, whether it may be absent, and its type. So the editor types of a nested
/// record (a decision period, a verdict's check) come from the shape that gives its JSON
/// and its Lua value (``LuaValueEncoder``), and cannot drift from them.
///
/// Leaves are `string`, `integer`, `number` and `boolean`; an enum with cases is the union
/// of its raw values; a record named in `names` is that class, another record `table`; a
/// list is `T[]`. A key read with `decodeIfPresent` is optional, and so is every number:
/// one that is not finite is nil in Lua.
struct CodableShape {
    /// The Lua class of each record type that has one.
    var names: [ObjectIdentifier: String]
    /// Whether keys are written in snake_case, as ``LuaValueEncoder`` writes them.
    var snakeCaseKeys = true

    /// The fields of `type`, in the order its decoder reads them.
    func fields<T: Decodable>(of type: T.Type) throws -> [String] {
        let root = Node()
        _ = try T(from: Recorder(node: root, shape: self))
        guard case .record(let fields) = root.kind else { return [] }
        // A number that is not finite is nil in Lua (NaN has no place in a table).
        return fields.map { "\($0.name)\($0.optional || $0.node.luaType == "number" ? "?" : ""): \($0.node.luaType)" }
    }

    /// What one value's decoding asked for.
    fileprivate final class Node {
        enum Kind {
            case unknown
            case leaf(String)
            case record([(name: String, node: Node, optional: Bool)])
            case list(Node)
        }
        var kind = Kind.unknown
        /// The class of a named record.
        var className: String?

        var luaType: String {
            if let className { return className }
            switch kind {
            case .leaf(let type): return type
            case .list(let element): return element.luaType.contains("|") ? "(\(element.luaType))[]" : element.luaType + "[]"
            case .record, .unknown: return "table"
            }
        }

        func field(_ name: String, optional: Bool) -> Node {
            var fields: [(name: String, node: Node, optional: Bool)] = []
            if case .record(let existing) = kind { fields = existing }
            if let index = fields.firstIndex(where: { $0.name == name }) {
                fields[index].optional = fields[index].optional || optional
                kind = .record(fields)
                return fields[index].node
            }
            let node = Node()
            kind = .record(fields + [(name, node, optional)])
            return node
        }
    }

    /// A value of `T` for the decoding to go on, noting its type in `node`.
    fileprivate func value<T: Decodable>(_ type: T.Type, into node: Node) throws -> T {
        if let cases = Self.cases(of: type) {
            node.kind = .leaf(cases.names.map { "\"\($0)\"" }.joined(separator: "|"))
            return cases.first
        }
        if let name = names[ObjectIdentifier(type)] { node.className = name }
        switch type {
        case is String.Type: node.kind = .leaf("string"); return Self.sampleText as! T
        case is Bool.Type: node.kind = .leaf("boolean"); return false as! T
        case is Int.Type: node.kind = .leaf("integer"); return 0 as! T
        case is Int64.Type: node.kind = .leaf("integer"); return Int64(0) as! T
        case is UInt64.Type: node.kind = .leaf("integer"); return UInt64(0) as! T
        case is Double.Type: node.kind = .leaf("number"); return 0.0 as! T
        case is Float.Type: node.kind = .leaf("number"); return Float(0) as! T
        default: return try T(from: Recorder(node: node, shape: self))
        }
    }

    /// A string every text field of these records accepts: dates parse it.
    private static let sampleText = "2000-01-03"

    /// The raw values of an enum with cases, and its first case.
    private static func cases<T>(of type: T.Type) -> (names: [String], first: T)? {
        guard let enumeration = type as? any (CaseIterable & RawRepresentable).Type else { return nil }
        func open<E: CaseIterable & RawRepresentable>(_ e: E.Type) -> (names: [String], first: T)? {
            let all = Array(e.allCases)
            guard let first = all.first as? T else { return nil }
            return (all.map { "\($0.rawValue)" }, first)
        }
        return open(enumeration)
    }

    /// The decoder handed to each record's `init(from:)`.
    private struct Recorder: Decoder {
        let node: Node
        let shape: CodableShape
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
            if case .unknown = node.kind { node.kind = .record([]) }
            return KeyedDecodingContainer(Keyed<Key>(node: node, shape: shape))
        }

        func unkeyedContainer() -> any UnkeyedDecodingContainer {
            let element = Node()
            node.kind = .list(element)
            return Unkeyed(element: element, shape: shape)
        }

        func singleValueContainer() -> any SingleValueDecodingContainer { Single(node: node, shape: shape) }
    }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let node: Node
        let shape: CodableShape
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }

        private func name(_ key: Key) -> String { shape.snakeCaseKeys ? LuaValueEncoder.snakeCase(key.stringValue) : key.stringValue }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) -> Bool { false }

        /// A value for `key`, its type noted and whether it may be absent.
        private func field<T: Decodable>(_ type: T.Type, _ key: Key, optional: Bool) throws -> T {
            try shape.value(type, into: node.field(name(key), optional: optional))
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try field(type, key, optional: false) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try field(type, key, optional: true) }

        // The leaves' own overloads, which would otherwise read a key as always present.
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try field(type, key, optional: true) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try field(type, key, optional: true) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try field(type, key, optional: true) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try field(type, key, optional: true) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try field(type, key, optional: true) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try field(type, key, optional: true) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try field(type, key, optional: true) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) -> KeyedDecodingContainer<NestedKey> {
            Recorder(node: node.field(name(key), optional: false), shape: shape).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedDecodingContainer {
            Recorder(node: node.field(name(key), optional: false), shape: shape).unkeyedContainer()
        }

        func superDecoder() -> any Decoder { Recorder(node: node, shape: shape) }
        func superDecoder(forKey key: Key) -> any Decoder { Recorder(node: node.field(name(key), optional: false), shape: shape) }
    }

    /// A list: its first element is read (for its type), then the list ends.
    private struct Unkeyed: UnkeyedDecodingContainer {
        let element: Node
        let shape: CodableShape
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 1 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex > 0 }

        init(element: Node, shape: CodableShape) { (self.element, self.shape) = (element, shape) }

        mutating func decodeNil() -> Bool { false }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            currentIndex += 1
            return try shape.value(type, into: element)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) -> KeyedDecodingContainer<NestedKey> {
            currentIndex += 1
            return Recorder(node: element, shape: shape).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedDecodingContainer {
            currentIndex += 1
            return Recorder(node: element, shape: shape).unkeyedContainer()
        }

        mutating func superDecoder() -> any Decoder { Recorder(node: element, shape: shape) }
    }

    private struct Single: SingleValueDecodingContainer {
        let node: Node
        let shape: CodableShape
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try shape.value(type, into: node) }
    }
}
