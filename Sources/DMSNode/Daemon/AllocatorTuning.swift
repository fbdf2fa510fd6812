import Foundation

/// `nunet run` keeps at most one freed chunk per size in each thread's glibc cache (tcache) instead of seven.
///
/// Why: chunks in a thread's cache count as in use, so `malloc_trim` cannot give back the pages they sit in. After
/// a flood of connections the event loops' caches held freed chunks spread through the grown heap: dirty memory
/// after the hostile load was 1.11–1.14× idle with seven per size, 1.05–1.07× with one, for about 1% more CPU in an
/// allocation-heavy benchmark (Benchmarks/RESULTS.md, "Footprint and hostile load"). glibc reads the setting only
/// from `GLIBC_TUNABLES` when a process starts, so the daemon starts itself again with it once.
public enum AllocatorTuning {
    public static let variable = "GLIBC_TUNABLES"
    static let tunable = "glibc.malloc.tcache_count"

    /// `GLIBC_TUNABLES` with the daemon's cache size added, or nil when `existing` already names that tunable
    /// (an operator's own value wins, `glibc.malloc.tcache_count=7` restores glibc's default).
    static func tunables(adding existing: String?) -> String? {
        guard let existing, !existing.isEmpty else { return "\(tunable)=1" }
        let named = existing.split(separator: ":").contains { $0.hasPrefix("\(tunable)=") }
        return named ? nil : "\(existing):\(tunable)=1"
    }

    /// Replaces the process with itself under the tuned environment, unless it already has it. Call first in
    /// `nunet run`, before anything is opened; if the exec fails the daemon simply runs with glibc's defaults.
    public static func restartTunedIfNeeded() {
        #if os(Linux)
            var environment = ProcessInfo.processInfo.environment
            guard let tunables = tunables(adding: environment[variable]) else { return }
            environment[variable] = tunables
            let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
            let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            execve("/proc/self/exe", arguments, variables)
            for pointer in arguments + variables { free(pointer) }
        #endif
    }
}
