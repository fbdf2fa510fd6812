import ArgumentParser
import DMSCapabilities
import DMSCore
import DMSCrypto
import DMSMessages
import Foundation

struct CapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cap",
        abstract: "Manage capability contexts: anchors, grants, delegations, revocations.",
        discussion: """
            A context (<data dir>/cap/<name>.cap) belongs to the key of the same name. Tokens are printed \
            as JSON on stdout so they can be passed to other commands; a token argument of - is read from \
            standard input.

            Example:
              nunet cap anchor --context dms --root $(nunet key did user)
            """,
        subcommands: [
            New.self, Anchor.self, Grant.self, Delegate.self, List.self, Remove.self, Revoke.self, Broadcast.self,
        ])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a context (and its key if missing); prints its DID.",
            discussion: """
                Example:
                  nunet cap new user
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Argument(help: "Context name (also the key name).") var name: String
        @Flag(name: .shortAndLong, help: "Replace an existing context with an empty one.") var force = false

        func run() throws {
            let identity = try Identity(configFile: configFile.path)
            if identity.contexts.exists(name) && !force {
                throw ContextStoreError.alreadyExists(name: name, path: identity.contexts.path(of: name))
            }
            let did =
                identity.keystore.exists(name)
                ? try identity.did(ofKey: name) : try identity.createKey(name, replacing: false)
            try identity.contexts.create(name, did: did, force: force)
            print(did)
        }
    }

    struct Anchor: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "anchor",
            abstract: "Add a root DID or require/provide/revoke tokens to a context.",
            discussion: """
                Exactly one of --root, --require, --provide, --revoke. Tokens are verified before anything \
                is saved.

                Examples:
                  nunet cap anchor --context dms --root did:key:z6Mk...
                  nunet cap anchor --context dms --require "$(cat grant.json)"
                """)

        @OptionGroup var configFile: ConfigFileOption
        @OptionGroup var context: ContextOption
        @OptionGroup var anchors: AnchorOptions

        func run() throws {
            try anchors.apply(to: context.name, configFile: configFile.path) { target, anchors in
                try target.addAnchors(anchors)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a root DID or require/provide/revoke tokens from a context.",
            discussion: """
                Example:
                  nunet cap remove --context dms --root did:key:z6Mk...
                """)

        @OptionGroup var configFile: ConfigFileOption
        @OptionGroup var context: ContextOption
        @OptionGroup var anchors: AnchorOptions

        func run() throws {
            try anchors.apply(to: context.name, configFile: configFile.path) { target, anchors in
                guard target.removeAnchors(anchors) > 0 else {
                    throw CLIError("context \(target.name) has no such anchor; nothing was removed")
                }
            }
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant",
            abstract: "Issue a root token from a context to a subject DID; prints it.",
            discussion: """
                Example:
                  nunet cap grant --context user --cap /public --cap /broadcast --topic /nunet \\
                    --expiry 2026-12-31 did:key:z6Mk...
                """)

        @OptionGroup var configFile: ConfigFileOption
        @OptionGroup var context: ContextOption
        @OptionGroup var token: TokenOptions
        @Option(help: "Action granted: delegate (default), invoke or broadcast.") var action: String = "delegate"
        @Argument(help: "Subject DID receiving the capabilities.") var subject: String

        func run() throws {
            guard let granted = TokenAction(rawValue: action), granted != .revoke else {
                throw CLIError("invalid --action \"\(action)\": use delegate, invoke or broadcast")
            }
            let subjectDID = try DID.key(subject)
            let (capabilities, topics, audience) = try token.parsed()
            guard let expiry = try token.expiryNanoseconds() else {
                throw CLIError("--expiry or --duration is required")
            }
            let issuer = try Identity(configFile: configFile.path).signingContext(context.name)
            let result = try issuer.grant(
                granted, subject: subjectDID, audience: audience, topics: topics, expiry: expiry,
                depth: token.depth, capabilities: capabilities)
            print(TokenList([result]).json)
        }
    }

    struct Delegate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delegate",
            abstract: "Delegate capabilities held through provide anchors; prints the tokens.",
            discussion: """
                Chains on every provide anchor that covers the capabilities and topics. Without --expiry or \
                --duration each token keeps its anchor's expiry.

                Example:
                  nunet cap delegate --context user --cap /public --topic /nunet --expiry 2026-12-31 \\
                    did:key:z6Mk...
                """)

        @OptionGroup var configFile: ConfigFileOption
        @OptionGroup var context: ContextOption
        @OptionGroup var token: TokenOptions
        @Option(name: .customLong("self-sign"), help: "Also or only issue a self-signed token: no, also, only.")
        var selfSign: String = "no"
        @Argument(help: "Subject DID receiving the capabilities.") var subject: String

        func run() throws {
            guard let mode = SelfSignMode(rawValue: selfSign) else {
                throw CLIError("invalid --self-sign \"\(selfSign)\": use no, also or only")
            }
            let subjectDID = try DID.key(subject)
            let (capabilities, topics, audience) = try token.parsed()
            let expiry = try token.expiryNanoseconds()
            let issuer = try Identity(configFile: configFile.path).signingContext(context.name)
            let result = try issuer.delegate(
                to: subjectDID, audience: audience, topics: topics, expiry: expiry, depth: token.depth,
                capabilities: capabilities, selfSign: mode)
            print(TokenList(result).json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show a context's roots, require, provide and revoke anchors.",
            discussion: """
                Example:
                  nunet cap list --context dms
                """)

        @OptionGroup var configFile: ConfigFileOption
        @OptionGroup var context: ContextOption
        @Flag(help: "Print the anchors as JSON token lists.") var json = false

        func run() throws {
            let target = try Identity(configFile: configFile.path).context(context.name)
            let anchors = target.anchors
            if json {
                var output = "{\"did\":\"\(target.did)\",\"roots\":["
                output += anchors.roots.map { "\"\($0)\"" }.joined(separator: ",")
                output +=
                    "],\"require\":\(TokenList(anchors.require).json),\"provide\":\(TokenList(anchors.provide).json)"
                output += ",\"revoke\":\(TokenList(anchors.revoke).json)}"
                print(output)
                return
            }
            print("context \(target.name) (\(target.did))")
            print("roots:")
            for root in anchors.roots { print("  \(root)") }
            for (title, tokens) in [
                ("require", anchors.require), ("provide", anchors.provide), ("revoke", anchors.revoke),
            ] {
                print("\(title):")
                for token in tokens { print("  " + TokenSummary.line(token)) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke tokens this context issued; prints the revocations.",
            discussion: """
                The revocations take effect in this context at once. With --broadcast the local daemon also \
                anchors them and publishes them on /nunet/revocation, so every node refuses the tokens; \
                revoking in the daemon's own context (-c dms) is broadcast by the daemon without it.

                Example:
                  nunet cap revoke --context user --broadcast "$(cat grant.json)"
                """)

        @OptionGroup var configFile: ConfigFileOption
        @OptionGroup var context: ContextOption
        @Flag(help: "Have the local daemon anchor the revocations and broadcast them.") var broadcast = false
        @OptionGroup var timing: MessageTiming
        @Argument(help: "Token list (JSON) to revoke, or - for standard input.") var tokens: String

        func run() async throws {
            let list = try TokenList(parsing: try TokenArgument.read(tokens))
            guard !list.isEmpty else { throw CLIError("no tokens to revoke") }
            let identity = try Identity(configFile: configFile.path)
            let issuer = try identity.signingContext(context.name)
            var revocations: [CapabilityToken] = []
            for token in list.tokens { revocations.append(try issuer.revoke(token)) }
            try identity.contexts.save(issuer)
            print(TokenList(revocations).json)
            guard broadcast else { return }
            let reply = try await ActorClient(configFile: configFile.path).call(
                Behaviors.capRevokeAnchor.name, payload: CapabilityPayload.tokens(revocations), context: context.name,
                destination: nil, timing: timing)
            let answer = try reply.decoded(as: CapabilityOKResponse.self)
            guard answer.ok, answer.error.isEmpty else {
                throw CLIError("revoked here, but the daemon did not anchor and broadcast them: \(answer.error)")
            }
        }
    }

    struct Broadcast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "broadcast",
            abstract: "Have the local daemon broadcast every revocation it holds on /nunet/revocation.",
            discussion: """
                Nodes that were offline when a revocation was first broadcast learn it this way.

                Example:
                  nunet cap broadcast
                """)

        @OptionGroup var node: NodeCallOptions

        func run() async throws {
            let reply = try await node.call(Behaviors.capRevokeBroadcast)
            if node.json { return reply.printPretty() }
            let answer = try reply.decoded(as: RevokeBroadcastResponse.self)
            guard answer.ok else { throw CLIError("revocations not broadcast: \(answer.error)") }
            print("broadcast \(answer.tokensCount) revocation(s)")
        }
    }
}

struct ContextOption: ParsableArguments {
    @Option(name: [.customShort("c"), .customLong("context")], help: "Capability context name.") var name: String
}

/// `--root` / `--require` / `--provide` / `--revoke`: exactly one.
struct AnchorOptions: ParsableArguments {
    @Option(help: "A DID to trust fully.") var root: String?
    @Option(help: "Token list admitting chains anchored in its subject.") var require: String?
    @Option(help: "Token list delegating capabilities to this context.") var provide: String?
    @Option(help: "Revocation token list.") var revoke: String?

    /// Loads the context, applies `change` with the parsed anchors and saves it.
    func apply(
        to contextName: String, configFile: String?, _ change: (CapabilityContext, CapabilityAnchors) throws -> Void
    ) throws {
        let identity = try Identity(configFile: configFile)
        let target = try identity.context(contextName)
        try change(target, try parsed())
        try identity.contexts.save(target)
    }

    func parsed() throws -> CapabilityAnchors {
        try Self.anchors(root: root, require: require, provide: provide, revoke: revoke)
    }

    /// The one anchor given (also for `nunet actor cmd /dms/cap/anchor`).
    static func anchors(root: String?, require: String?, provide: String?, revoke: String?) throws
        -> CapabilityAnchors
    {
        let given = [root, require, provide, revoke].compactMap { $0 }
        guard given.count == 1 else { throw CLIError("give exactly one of --root, --require, --provide, --revoke") }
        if let root { return CapabilityAnchors(roots: [try DID.key(root)]) }
        if let require { return CapabilityAnchors(require: try TokenArgument.list(require)) }
        if let provide { return CapabilityAnchors(provide: try TokenArgument.list(provide)) }
        return CapabilityAnchors(revoke: try TokenArgument.list(revoke!))
    }
}

/// Capabilities, topics, audience, depth and expiry of a token to issue.
struct TokenOptions: ParsableArguments {
    @Option(name: .customLong("cap"), help: "Capability to include (repeatable), e.g. /public.") var capabilities:
        [String] = []
    @Option(name: [.short, .customLong("topic")], help: "Broadcast topic (repeatable), e.g. /nunet.") var topics:
        [String] = []
    @Option(name: [.short, .customLong("audience")], help: "Only this DID may receive invocations.") var audience:
        String?
    @Option(name: [.short, .customLong("depth")], help: "Maximum chain depth below the token (0 = unlimited).")
    var depth: UInt64 = 0
    @Option(name: [.short, .customLong("expiry")], help: "Expiry: YYYY-MM-DD (end of day, UTC) or RFC 3339.")
    var expiry: String?
    @Option(help: "Lifetime from now instead of --expiry, e.g. 1h, 30d.") var duration: String?

    func parsed() throws -> ([Capability], [Capability], DID) {
        guard !capabilities.isEmpty else { throw CLIError("at least one --cap is required") }
        let caps = try capabilities.map { try Capability($0) }
        let topicList = try topics.map { try Capability($0) }
        return (caps, topicList, try audience.map { try DID.key($0) } ?? .empty)
    }

    /// The expiry in Unix nanoseconds, or nil when neither flag was given.
    func expiryNanoseconds() throws -> UInt64? {
        if expiry != nil && duration != nil { throw CLIError("give --expiry or --duration, not both") }
        let now = UnixTime.nowNanoseconds()
        if let duration { return now + (try TimeSpec.duration(duration)) }
        guard let expiry else { return nil }
        let instant = try TimeSpec.instant(expiry)
        guard instant > now else { throw CLIError("--expiry \(expiry) is in the past") }
        return instant
    }
}

/// Token arguments: JSON text, or `-` for standard input.
enum TokenArgument {
    static func read(_ argument: String) throws -> String {
        guard argument == "-" else { return argument }
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }

    static func list(_ argument: String) throws -> [CapabilityToken] {
        let list = try TokenList(parsing: try read(argument))
        guard !list.isEmpty else { throw CLIError("the token list is empty") }
        return list.tokens
    }
}

/// One readable line per token for `cap list`.
enum TokenSummary {
    static func line(_ token: CapabilityToken) -> String {
        var text = "\(token.action.rawValue) \(token.capabilities.map(\.path).joined(separator: ","))"
        if !token.topics.isEmpty { text += " topics \(token.topics.map(\.path).joined(separator: ","))" }
        text += " from \(token.issuer) to \(token.subject)"
        if !token.audience.isEmpty { text += " for \(token.audience)" }
        if token.depth > 0 { text += " depth \(token.depth)" }
        text += " until \(TimeSpec.format(nanoseconds: token.expiry))"
        if token.chain != nil { text += " (chained)" }
        return text
    }
}
