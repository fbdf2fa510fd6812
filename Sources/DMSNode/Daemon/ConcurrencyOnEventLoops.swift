import NIOCore
import NIOPosix

/// The daemon runs Swift Concurrency's jobs on its event loops rather than on libdispatch's pool.
///
/// Why: libdispatch gives every job enqueued from an event loop a continuation, and the pool thread that runs it
/// keeps the continuation in a per-thread cache for good. After a flood of connections those cached
/// continuations, allocated among the connections' short-lived buffers, pinned about 2 MiB of freed heap that
/// `malloc_trim` cannot return (dirty memory after the hostile load: 1.36× idle, 1.12× with this). It also
/// saves a thread wake between a connection and the task that reads it (Benchmarks/RESULTS.md, libp2p).
/// The cost: a job that blocks (a synchronous SQLite write) holds up the connections of its loop meanwhile;
/// on this daemon such jobs take milliseconds, and child processes are waited for on threads of their own.
enum ConcurrencyOnEventLoops {
    /// Installs the event loops as the global executor; false if the runtime refused (then libdispatch's
    /// pool stays, and everything still works). Only `nunet run` calls this, before its services start.
    static func install() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
