import Foundation

/// Ties a runner's life to the daemon that spawned it: `ChildProcess` names the daemon's PID in the
/// environment, and the runner ends itself once its parent is no longer that process (the daemon crashed or
/// was killed, and the runner was re-parented). A runner that outlived its daemon would keep running a job
/// nobody watches.
public enum ParentWatch {
    public static let variable = "NUNET_PARENT_PID"
    /// How often the parent is checked: the longest a runner outlives its daemon.
    public static let interval: Duration = .milliseconds(200)

    /// Starts the watch when the environment names a parent; exits at once when that parent is gone already.
    public static func start(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let text = environment[variable], let parent = pid_t(text) else { return }
        if getppid() != parent { _exit(137) }
        let thread = Thread {
            let pause = useconds_t(interval.components.attoseconds / 1_000_000_000_000)
            while getppid() == parent { usleep(pause) }
            _exit(137)
        }
        thread.name = "parent watch"
        thread.start()
    }
}
