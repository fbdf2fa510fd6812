/// What a `nunet` binary is: reported by `nunet version` and `GET /health` so operators can tell which
/// build a node runs.
public enum BuildInfo {
    public static let version = "0.1.0"
    /// Short commit hash of the checkout the binary was built from (`-dirty` when it had local changes).
    public static let gitCommit = buildGitCommit
}
