import ArgumentParser
import DMSAPI
import DMSConfig
import DMSCore
import Foundation

/// `nunet rest token ...`: the tokens that open the REST API and dashboard when `rest.addr` is not a
/// loopback address. Only their hashes are kept; a token is shown once, when it is made.
struct RestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rest",
        abstract: "Manage access to the REST API and dashboard.",
        discussion: """
            On a loopback rest.addr (the default) the API asks for no token. Otherwise every route but \
            /health needs one: send it as "Authorization: Bearer <token>", set NUNET_REST_TOKEN for this \
            CLI, or open the dashboard once at http://<addr>:<port>/?token=<token>.

            Example:
              nunet rest token new laptop
            """,
        subcommands: [Token.self])

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Create, list and revoke REST API tokens.",
            discussion: """
                Tokens are kept hashed in <data dir>/rest_tokens.json; the daemon picks up changes at once.

                Example:
                  nunet rest token list
                """,
            subcommands: [New.self, List.self, Revoke.self])
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a token and print it (the only time it is shown).",
            discussion: """
                Example:
                  nunet rest token new laptop
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Argument(help: "A name for the token (letters, digits, '-', '_', '.'; unique).") var name: String

        func run() throws {
            let tokens = try RestCommand.tokens(configFile.path, creatingDirectory: true)
            let (token, entry) = try RestCommand.attempt { () throws(RESTTokens.Failure) in
                try tokens.create(name: name)
            }
            print(token)
            FileHandle.standardError.write(
                Data("token \(entry.id) (\(entry.name)) created; it is not shown again\n".utf8))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the tokens: ID, name and creation time (never the tokens).",
            discussion: """
                Example:
                  nunet rest token list --json
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let tokens = try RestCommand.tokens(configFile.path, creatingDirectory: false)
            let entries = try RestCommand.attempt { () throws(RESTTokens.Failure) in try tokens.list() }
            if json {
                print(
                    String(
                        decoding: JSONWriter().bytes(
                            .array(
                                entries.map {
                                    .object([
                                        ("id", .string($0.id)), ("name", .string($0.name)),
                                        ("created_at", .number(String(Int($0.createdAt)))),
                                    ])
                                })), as: UTF8.self))
                return
            }
            for entry in entries {
                let created = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: entry.createdAt))
                print("\(entry.id)\t\(entry.name)\t\(created)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a token by its ID or name; requests carrying it are refused at once.",
            discussion: """
                Example:
                  nunet rest token revoke laptop
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Argument(help: "The token's ID or name.") var token: String

        func run() throws {
            let tokens = try RestCommand.tokens(configFile.path, creatingDirectory: false)
            let removed = try RestCommand.attempt { () throws(RESTTokens.Failure) in try tokens.revoke(token) }
            print("revoked token \(removed.id) (\(removed.name))")
        }
    }

    static func tokens(_ configFile: String?, creatingDirectory: Bool) throws -> RESTTokens {
        let config = try ConfigLoader(environment: .current).load(explicitFile: configFile)
        if creatingDirectory {
            try FileManager.default.createDirectory(
                atPath: config.dataDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        return RESTTokens(dataDirectory: config.dataDirectory)
    }

    static func attempt<T>(_ body: () throws(RESTTokens.Failure) -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError(error.description)
        }
    }
}
