import Foundation

/// Runners a crashed daemon left behind, found by the parent PID `ChildProcess` wrote into their
/// environment. `ParentWatch` ends them within its interval on its own; a restarting daemon stops them
/// first anyway, so nothing of the old run is alive when it probes its ports and restores its allocations.
public enum OrphanedRunners {
    /// Kills (SIGKILL, the whole process group) every process of this user whose environment names
    /// `parent` as its daemon; returns their PIDs.
    @discardableResult
    public static func stop(leftBy parent: pid_t) -> [pid_t] {
        let marker = Array("\(ParentWatch.variable)=\(parent)".utf8)
        let found = processes().filter { pid in
            pid != getpid() && environment(of: pid).contains { Array($0) == marker }
        }
        for pid in found where kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
        return found
    }

    private static func processes() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// The NUL-separated `KEY=value` entries of /proc/<pid>/environ (empty when unreadable: another user's).
    private static func environment(of pid: pid_t) -> [ArraySlice<UInt8>] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [] }
        return [UInt8](data).split(separator: 0)
    }
}
