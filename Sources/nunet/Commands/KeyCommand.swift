import ArgumentParser
import DMSCrypto

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Create and inspect the identities (Ed25519 keys) in the keystore.",
        discussion: """
            Keys live encrypted in <data dir>/key/<name>.json. The passphrase comes from DMS_PASSPHRASE or \
            a prompt.

            Example:
              nunet key new user
            """,
        subcommands: [New.self, ShowDID.self, List.self, Delete.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Generate a key and print its DID.",
            discussion: """
                Example:
                  DMS_PASSPHRASE=... nunet key new user
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Argument(help: "Key name.") var name: String
        @Flag(name: .shortAndLong, help: "Replace an existing key of that name.") var force = false

        func run() throws {
            print(try Identity(configFile: configFile.path).createKey(name, replacing: force))
        }
    }

    struct ShowDID: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "did",
            abstract: "Print the DID of a key.",
            discussion: """
                Example:
                  nunet key did user
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Argument(help: "Key name.") var name: String

        func run() throws {
            print(try Identity(configFile: configFile.path).did(ofKey: name))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the keys and their DIDs.",
            discussion: """
                Example:
                  nunet key list
                """)

        @OptionGroup var configFile: ConfigFileOption

        func run() throws {
            let identity = try Identity(configFile: configFile.path)
            for name in try identity.keystore.names() {
                let did =
                    (try? identity.keystore.recordedDID(of: name))?.map(\.uri) ?? "(DID not recorded; use key did)"
                print("\(name)\t\(did)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete",
            abstract: "Delete a key after checking its passphrase.",
            discussion: """
                Example:
                  nunet key delete old-user
                """)

        @OptionGroup var configFile: ConfigFileOption
        @Argument(help: "Key name.") var name: String

        func run() throws {
            let identity = try Identity(configFile: configFile.path)
            try identity.keystore.delete(name, passphrase: try identity.passphrase(for: name, creating: false))
            print("deleted key \(name)")
        }
    }
}
