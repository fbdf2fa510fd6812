import DMSCore
import Hummingbird

/// `GET /health`: liveness for operators and scripts, with the build that is running.
enum HealthRoute {
    struct Health: ResponseEncodable {
        let status: String
        let version: String
        let commit: String
    }

    static func register(on router: Router<BasicRequestContext>) {
        router.get("health") { _, _ in
            Health(status: "ok", version: BuildInfo.version, commit: BuildInfo.gitCommit)
        }
    }
}
