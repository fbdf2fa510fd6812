import DMSConfig
import DMSNode
import Foundation
import Testing

@Suite struct DocumentationTests {
    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    @Test func theReadmeConfigurationTableListsEveryKey() {
        for key in ConfigSchema.keys {
            #expect(Self.readme.contains("| `\(key.name)` |"), "README.md does not document \(key.name)")
        }
    }
}
