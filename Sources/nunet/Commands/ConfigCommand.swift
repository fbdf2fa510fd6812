import ArgumentParser
import DMSConfig
import DMSCore
import DMSNode
import Foundation

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show and change the node configuration.",
        discussion: """
            The config file is looked up in ., then $NUNET_HOME, then $HOME/.nunet, then /etc/nunet; \
            --config PATH overrides the search. DMS_<SECTION>_<KEY> environment variables override the file.

            Example:
              nunet config set rest.port 9998
            """,
        subcommands: [Show.self, Get.self, Set.self, Edit.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the effective config with each value's source.",
            discussion: """
                Example:
                  nunet config show
                """)

        @OptionGroup var configFile: ConfigFileOption

        func run() throws {
            let config = try ConfigLoader(environment: .current).load(explicitFile: configFile.path)
            print(JSONWriter(pretty: true, escapeHTML: false).string(config.annotatedJSON))
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Print the effective value of one key.",
            discussion: """
                Example:
                  nunet config get rest.port
                """)

        @OptionGroup var configFile: ConfigFileOption

        @Argument(help: "Dotted key, e.g. rest.port.")
        var key: String

        func run() throws {
            let name = try ConfigSchema.requireKey(named: key, source: .flag(name: "config get")).name
            let config = try ConfigLoader(environment: .current).load(explicitFile: configFile.path)
            print(config.value(of: name)?.description ?? "")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set one key in the config file (validated).",
            discussion: """
                The value is checked against the key's type and rule before anything is written. Lists take \
                a JSON array or comma-separated values.

                Examples:
                  nunet config set rest.port 9998
                  nunet config set p2p.listen_addresses /ip4/0.0.0.0/tcp/9000,/ip6/::/tcp/9000
                """)

        @OptionGroup var configFile: ConfigFileOption

        @Argument(help: "Dotted key, e.g. rest.port.")
        var key: String

        @Argument(help: "New value.")
        var value: String

        func run() throws {
            let writer = ConfigFileWriter(loader: ConfigLoader(environment: .current))
            let result = try writer.set(key, to: value, explicitFile: configFile.path)
            print("\(key) = \(result.value) (saved to \(result.path))")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Edit the config file in $EDITOR; saved only if valid.",
            discussion: """
                The edit happens on a copy; an invalid result is reported and the config stays unchanged.

                Example:
                  EDITOR=nano nunet config edit
                """)

        @OptionGroup var configFile: ConfigFileOption

        func run() throws {
            let environment = HostEnvironment.current
            guard let editor = environment.variables["EDITOR"], !editor.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                throw CLIError("EDITOR is not set; set it to your editor, e.g. EDITOR=nano nunet config edit")
            }
            let loader = ConfigLoader(environment: environment)
            let path = try loader.locateFile(explicit: configFile.path) ?? loader.defaultWritePath
            let original = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "{\n}\n"
            let draft = (path as NSString).deletingLastPathComponent + "/.dms_config.edit.json"
            try ConfigFileWriter.writeAtomically(original, to: draft)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(editor) \"$1\"", "editor", draft]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw CLIError("editor exited with status \(process.terminationStatus); \(path) is unchanged")
            }

            let writer = ConfigFileWriter(loader: loader)
            do {
                let document = try ConfigLoader.readDocument(at: draft)
                try writer.validate(document, path: path)
            } catch {
                throw CLIError("\(error); \(path) is unchanged, your edit is kept in \(draft)")
            }
            let edited = try String(contentsOfFile: draft, encoding: .utf8)
            try ConfigFileWriter.writeAtomically(edited, to: path)
            try? FileManager.default.removeItem(atPath: draft)
            print("saved \(path)")
        }
    }
}
