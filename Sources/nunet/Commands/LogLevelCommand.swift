import ArgumentParser
import DMSActor
import DMSConfig
import DMSMessages

struct LogLevelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-level",
        abstract: "Change the running node's log level, without a restart.",
        discussion: """
            Calls /dms/node/logger/config on the local node (the caller needs that capability, which the \
            node's controller has). The change lasts until the daemon stops; general.log_level sets the level \
            it starts with.

            Example:
              nunet log-level debug
            """)

    @OptionGroup var node: NodeCallOptions
    @Argument(help: "One of \(ConfigSchema.logLevels.joined(separator: ", ")).") var level: String

    func validate() throws {
        guard ConfigSchema.logLevels.contains(level.lowercased()) else {
            throw ValidationError(
                "level \"\(level)\" is not a log level: use one of \(ConfigSchema.logLevels.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let reply = try await node.call(
            Behaviors.loggerConfig, payload: try Payload.encode(LoggerConfigRequest(level: level.lowercased())))
        if node.json { return reply.printPretty() }
        let response = try reply.decoded(as: LoggerConfigResponse.self)
        print("log level \(response.level) (was \(response.previous))")
    }
}
