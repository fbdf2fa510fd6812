import DMSCore
import Foundation

/// A node's JSON reply as a command uses it: decoded into the reply type for the human-readable output,
/// or printed as it is for `--json`.
extension JSONValue {
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(JSONWriter().bytes(self)))
    }

    func printPretty() { print(JSONWriter(pretty: true, escapeHTML: false).string(self)) }
}
