import DMSCore
import DMSNode
import Foundation
import Logging
import NunetTestSupport
import OTel
import Testing
import Tracing

@Suite struct LoggingTests {
    @Test func jsonLinesCarryLevelLabelMessageAndMetadata() throws {
        let directory = TemporaryDirectory()
        let file = try RotatingLogFile(path: directory.file("n.jsonl"), maximumBytes: 1 << 20, backups: 1)
        var logger = Logger(label: "test.label") {
            JSONLinesLogHandler(label: $0, file: file, levels: LogLevelControl(.info))
        }
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

    @Test func oneLevelChangeReachesEveryLoggerAtOnce() throws {
        let directory = TemporaryDirectory()
        let file = try RotatingLogFile(path: directory.file("n.jsonl"), maximumBytes: 1 << 20, backups: 1)
        let levels = LogLevelControl(.info)
        let first = Logger(label: "a") { JSONLinesLogHandler(label: $0, file: file, levels: levels) }
        let second = Logger(label: "b") { JSONLinesLogHandler(label: $0, file: file, levels: levels) }
        first.debug("before")
        #expect(levels.set(.debug) == .info)
        first.debug("after a")
        second.debug("after b")
        let messages = (directory.read("n.jsonl") ?? "").split(separator: "\n").compactMap {
            try? JSONParser.parse(String($0))["message"]
        }
        #expect(messages == [.string("after a"), .string("after b")])
    }

    /// The trace and span ID of the active span go into the line, so a log line leads to its trace.
    @Test func aLineLoggedInsideASpanCarriesItsTraceID() async throws {
        let directory = TemporaryDirectory()
        let file = try RotatingLogFile(path: directory.file("n.jsonl"), maximumBytes: 1 << 20, backups: 1)
        let logger = Logger(label: "t") {
            JSONLinesLogHandler(
                label: $0, file: file, levels: LogLevelControl(.info),
                metadataProvider: OTel.makeLoggingMetadataProvider())
        }
        var configuration = OTel.Configuration.default
        configuration.traces.exporter = .none
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        let tracer = try OTel.makeTracingBackend(configuration: configuration).factory
        logger.info("outside")
        let traceID = tracer.withSpan("work") { span in
            logger.info("inside")
            return span.context.otelTraceID
        }
        let entries = try (directory.read("n.jsonl") ?? "").split(separator: "\n").map {
            try JSONParser.parse(String($0))
        }
        #expect(entries.count == 2)
        #expect(entries.first?["trace_id"] == nil)
        let inside = try #require(entries.last)
        #expect(inside["trace_id"] == .string(try #require(traceID)))
        #expect(inside["span_id"] != nil)
    }
}
