import Foundation
import Synchronization

/// A runner process: spawned with `posix_spawn` (stdin from /dev/null, stdout and stderr into the execution's log
/// files, no other descriptor of the daemon, its own process group so a terminal's Ctrl-C reaches only the daemon,
/// default signal handling), told the daemon's PID so it can end itself when the daemon dies (`ParentWatch`),
/// waited for on a dedicated thread so that no Swift concurrency thread blocks, and killed at most once, with a
/// reason.
public final class ChildProcess: Sendable {
    /// How the process ended.
    public struct Exit: Sendable {
        /// The `wait4` status, nil if the process could not be waited for.
        public var status: Int32?
        /// Why it was killed, if `kill(reason:)` reached it.
        public var killReason: String?
        public var cpuSeconds: Double
        public var peakMemoryBytes: UInt64

        public var exitStatus: Int32? {
            guard let status, status & 0x7f == 0 else { return nil }
            return (status >> 8) & 0xff
        }

        public var signal: Int32? {
            guard let status, status & 0x7f != 0, status & 0x7f != 0x7f else { return nil }
            return status & 0x7f
        }
    }

    private struct State {
        /// Set once the process has exited and before it is reaped, so that its PID is never signalled after
        /// the kernel may have reused it.
        var exited = false
        var killReason: String?
    }

    public let pid: pid_t
    private let state = Mutex(State())

    private init(pid: pid_t) {
        self.pid = pid
    }

    public static func spawn(
        _ executable: String, arguments: [String], stdout: String, stderr: String
    ) throws(ExecutorError) -> ChildProcess {
        #if os(Linux)
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #else
            var actions: posix_spawn_file_actions_t?
            var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of the daemon's: an inherited listening socket would outlive a crashed daemon and keep
        // its ports from being bound again.
        #if os(Linux)
            guard let closeFrom = Self.addCloseFrom else {
                throw .failed("cannot start \(executable): glibc 2.34 or later is needed (posix_spawn closefrom)")
            }
            _ = closeFrom(&actions, 3)
        #endif

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP
        #if canImport(Darwin)
            flags |= POSIX_SPAWN_CLOEXEC_DEFAULT
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var environment = ProcessInfo.processInfo.environment
        environment[ParentWatch.variable] = String(getpid())
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard error == 0 else {
            throw .failed("cannot start \(executable): \(String(cString: strerror(error)))")
        }
        return ChildProcess(pid: pid)
    }

    #if os(Linux)
        private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
        /// declare.
        private static let addCloseFrom: CloseFrom? = dlsym(
            UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"
        ).map { unsafeBitCast($0, to: CloseFrom.self) }
    #endif

    /// Sends SIGKILL unless the process already exited; the first reason sticks. Returns whether it was sent.
    @discardableResult
    public func kill(reason: String) -> Bool {
        state.withLock { state in
            guard !state.exited else { return false }
            if state.killReason == nil { state.killReason = reason }
            return Foundation.kill(pid, SIGKILL) == 0
        }
    }

    /// Starts the thread that waits for the process; `onExit` runs on that thread once it is reaped.
    public func waitInBackground(_ onExit: @escaping @Sendable (Exit) -> Void) {
        let thread = Thread { [self] in onExit(waitForExit()) }
        thread.name = "nunet-wasm \(pid)"
        thread.start()
    }

    private func waitForExit() -> Exit {
        var info = siginfo_t()
        var waited: Int32
        repeat {
            waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
        } while waited == -1 && errno == EINTR
        let killReason = state.withLock { state in
            state.exited = true
            return state.killReason
        }
        var status: Int32 = 0
        var usage = rusage()
        var reaped: pid_t
        repeat {
            reaped = wait4(pid, &status, 0, &usage)
        } while reaped == -1 && errno == EINTR
        guard reaped == pid else {
            return Exit(status: nil, killReason: killReason, cpuSeconds: 0, peakMemoryBytes: 0)
        }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        #if os(Linux)
            let peakMemory = UInt64(usage.ru_maxrss) * 1024  // kilobytes on Linux
        #else
            let peakMemory = UInt64(usage.ru_maxrss)  // bytes on Darwin
        #endif
        return Exit(
            status: status, killReason: killReason, cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
            peakMemoryBytes: peakMemory)
    }

    #if os(Linux)
        /// CPU seconds and peak resident memory so far, from /proc; nil once the process has exited.
        public func currentUsage() -> (cpuSeconds: Double, peakMemoryBytes: UInt64)? {
            state.withLock { state in
                guard !state.exited,
                    let stat = Self.read("/proc/\(pid)/stat"), let status = Self.read("/proc/\(pid)/status")
                else { return nil }
                // The fields after the command name, which is in parentheses and may contain spaces:
                // state is field 3, utime and stime are fields 14 and 15, in clock ticks.
                guard let nameEnd = stat.lastIndex(of: ")") else { return nil }
                let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
                guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
                    return nil
                }
                let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
                    .flatMap { UInt64($0.split(separator: " ")[1]) }
                return ((user + system) / Double(sysconf(Int32(_SC_CLK_TCK))), (peak ?? 0) * 1024)
            }
        }

        private static func read(_ path: String) -> String? {
            FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
        }
    #endif
}
