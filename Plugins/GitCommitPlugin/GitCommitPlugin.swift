import Foundation
import PackagePlugin

/// Records the git commit of the package checkout in a generated source file so `nunet version` can
/// report exactly which code a binary was built from. Builds outside a git checkout record "unknown".
@main
struct GitCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let outputFile = outputDirectory.appending(path: "GitCommit.swift")
        // Rewrites the file only when the commit changes, so an unchanged tree does not rebuild the module.
        let script = #"""
            mkdir -p "$2"
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then commit="$commit-dirty"; fi
            line="package let buildGitCommit = \"$commit\""
            if [ "$(cat "$3" 2>/dev/null)" != "$line" ]; then printf '%s\n' "$line" > "$3"; fi
            """#
        return [
            .prebuildCommand(
                displayName: "Record git commit for \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [
                    "-c", script, "git-commit", context.package.directoryURL.path, outputDirectory.path,
                    outputFile.path,
                ],
                outputFilesDirectory: outputDirectory
            )
        ]
    }
}
