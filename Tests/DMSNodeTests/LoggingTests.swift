import DMSCore
import DMSNode
import Foundation
import Logging
import NunetTestSupport
import Testing

@Suite struct LoggingTests {
    @Test func jsonLinesCarryLevelLabelMessageAndMetadata() throws {
        let directory = TemporaryDirectory()
        let file = try RotatingLogFile(path: directory.file("n.jsonl"), maximumBytes: 1 << 20, backups: 1)
        var logger = Logger(label: "test.label") { JSONLinesLogHandler(label: $0, file: file, level: .info) }
        logger[metadataKey: "node"] = "a"
        logger.debug("hidden")
        logger.warning("disk <low>", metadata: ["free": "5"])
        let lines = (directory.read("n.jsonl") ?? "").split(separator: "\n")
        #expect(lines.count == 1)
        let entry = try JSONParser.parse(String(lines[0]))
        #expect(entry["level"] == .string("warning"))
        #expect(entry["label"] == .string("test.label"))
        #expect(entry["message"] == .string("disk <low>"))
        #expect(entry["node"] == .string("a"))
        #expect(entry["free"] == .string("5"))
        #expect(entry["time"] != nil)
    }

    @Test func theFileRotatesBySizeKeepingTheConfiguredBackups() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("n.jsonl")
        let file = try RotatingLogFile(path: path, maximumBytes: 100, backups: 2)
        let line = String(repeating: "x", count: 39) + "\n"
        for _ in 0..<10 { file.append(line) }
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: path))
        #expect(manager.fileExists(atPath: path + ".1"))
        #expect(manager.fileExists(atPath: path + ".2"))
        #expect(!manager.fileExists(atPath: path + ".3"))
        for candidate in [path, path + ".1", path + ".2"] {
            let size = try manager.attributesOfItem(atPath: candidate)[.size] as? Int ?? 0
            #expect(size <= 100 && size > 0)
        }
    }
}
