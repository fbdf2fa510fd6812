import ArgumentParser
import DMSActor
import DMSCore
import DMSMessages
import Foundation

struct ActorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actor",
        abstract: "Send signed messages to actors through the local node.",
        discussion: """
            Messages are signed with a capability context's key (default: user) and relayed by the running \\
            daemon. The receiving actor checks the signature and the capability tokens.

            Example:
              nunet actor cmd /dms/node/peers/self --context user
            """,
        subcommands: [Cmd.self, Msg.self, Send.self, Invoke.self, Broadcast.self])

    struct Cmd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cmd",
            abstract: "Invoke a behavior and print its reply.",
            discussion: """
                Known behaviors: \(BehaviorCall.catalog.map(\.behavior).joined(separator: ", ")). Any other \\
                behavior takes --payload <json>.

                Examples:
                  nunet actor cmd /public/hello --dest did:key:z6Mk...
                  nunet actor cmd /broadcast/hello --timeout 5s
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Option(name: [.customShort("c"), .customLong("context")], help: "Capability context that signs.") var context =
            "user"
        @Option(
            name: [.customShort("d"), .customLong("dest")],
            help: "Destination node: did:key or peer ID (default: the local node).")
        var destination: String?
        @OptionGroup var timing: MessageTiming
        @Argument(help: "Behavior, e.g. /dms/node/peers/self.") var behavior: String
        @Argument(parsing: .allUnrecognized, help: "Behavior flags (see the behavior list).") var flags: [String] = []

        func run() async throws {
            let call = BehaviorCall.named(behavior) ?? BehaviorCall(BehaviorSpec<NoPayload, JSONValue>(behavior, ""))
            let payload = try call.parse(flags)
            let actor = try ActorClient(configFile: configFile.path)
            let answer = try await actor.call(
                behavior, payload: payload, context: context, destination: destination, timing: timing,
                topic: call.topic)
            print(JSONWriter(pretty: true, escapeHTML: false).string(answer))
        }

    }

    struct Msg: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "msg",
            abstract: "Build and sign an envelope; print it for send, invoke or broadcast.",
            discussion: """
                Example:
                  nunet actor msg /public/hello --invoke > hello.json && nunet actor invoke "$(cat hello.json)"
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Option(name: [.customShort("c"), .customLong("context")], help: "Capability context that signs.") var context =
            "user"
        @Option(name: [.customShort("d"), .customLong("dest")], help: "Destination node: did:key or peer ID.")
        var destination: String?
        @Option(name: [.customShort("b"), .customLong("broadcast")], help: "Broadcast on this topic instead.")
        var topic: String?
        @Flag(name: [.customShort("i"), .customLong("invoke")], help: "Ask for a reply.") var invoke = false
        @OptionGroup var timing: MessageTiming
        @Argument(help: "Behavior.") var behavior: String
        @Argument(help: "JSON payload.") var payload: String?

        func run() async throws {
            if topic != nil && destination != nil { throw CLIError("--broadcast and --dest exclude each other") }
            if let payload, (try? JSONParser.parse(payload)) == nil {
                throw CLIError("the payload must be JSON: \(payload)")
            }
            let actor = try ActorClient(configFile: configFile.path)
            let envelope = try actor.envelope(
                context: context, node: try await actor.nodeHandle(),
                destination: try destination.map(ActorClient.destination),
                behavior: behavior, payload: payload.map { Array($0.utf8) } ?? [],
                expiry: try timing.expiryNanoseconds(broadcast: topic != nil), topic: topic,
                wantsReply: invoke || topic != nil)
            print(envelope.json)
        }
    }

    struct Send: RelayCommand {
        static let operation = "send"
        static let configuration = CommandConfiguration(
            commandName: "send", abstract: "Relay a signed envelope without waiting for a reply.",
            discussion: """
                Example:
                  nunet actor send "$(nunet actor msg /public/hello)"
                """)
        @OptionGroup var relay: RelayArguments
    }

    struct Invoke: RelayCommand {
        static let operation = "invoke"
        static let configuration = CommandConfiguration(
            commandName: "invoke", abstract: "Relay a signed invocation and print the reply envelope.",
            discussion: """
                Example:
                  nunet actor invoke "$(nunet actor msg /public/hello --invoke)"
                """)
        @OptionGroup var relay: RelayArguments
    }

    struct Broadcast: RelayCommand {
        static let operation = "broadcast"
        static let configuration = CommandConfiguration(
            commandName: "broadcast", abstract: "Publish a signed broadcast and print the replies.",
            discussion: """
                Example:
                  nunet actor broadcast "$(nunet actor msg /broadcast/hello --broadcast /nunet/hello)"
                """)
        @OptionGroup var relay: RelayArguments
    }
}

/// The arguments of the commands that relay a prebuilt envelope.
struct RelayArguments: ParsableArguments {
    @OptionGroup var configFile: ConfigFileOption
    @Argument(help: "Envelope JSON, or - for standard input.") var envelope: String
}

/// `actor send|invoke|broadcast`: post an envelope to the matching REST endpoint and print the answer.
protocol RelayCommand: AsyncParsableCommand {
    static var operation: String { get }
    var relay: RelayArguments { get }
}

extension RelayCommand {
    func run() async throws {
        let actor = try ActorClient(configFile: relay.configFile.path)
        let envelope = try Envelope(decoding: Array(try TokenArgument.read(relay.envelope).utf8))
        print(String(decoding: try await actor.post(Self.operation, envelope), as: UTF8.self))
    }
}
