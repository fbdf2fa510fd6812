import DMSCore
import Foundation

/// Test vectors committed next to the tests, with the programs that generated them.
enum Vectors {
    static func load(_ name: String) -> JSONValue {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors")
        let data = try! Data(contentsOf: directory.appendingPathComponent(name))
        return try! JSONParser.parse(Array(data))
    }

    static func string(_ value: JSONValue?) -> String {
        guard case .string(let text)? = value else { fatalError("vector field is not a string") }
        return text
    }

    static func hex(_ value: JSONValue?) -> [UInt8] { Hex.decode(string(value))! }
}
