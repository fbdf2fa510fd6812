import ArgumentParser

/// Renders the whole command tree with one-line summaries for `nunet --help`. Abstracts are kept short
/// enough that a line fits the 80 columns the help text is wrapped to.
enum CommandTree {
    static func render(_ commands: [any ParsableCommand.Type], depth: Int = 1) -> String {
        var lines = ""
        for command in commands {
            let configuration = command.configuration
            let name = configuration.commandName ?? String(describing: command)
            let label = String(repeating: "  ", count: depth) + name
            let padded = label.count < 20 ? label + String(repeating: " ", count: 20 - label.count) : label + " "
            lines += padded + configuration.abstract + "\n"
            lines += render(configuration.subcommands, depth: depth + 1)
        }
        return lines
    }
}
