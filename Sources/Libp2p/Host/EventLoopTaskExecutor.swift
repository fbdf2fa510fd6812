import NIOCore

/// Runs a task's jobs on one event loop. A stream handler started on its connection's loop reads and writes
/// without a thread switch per await: each switch between Swift Concurrency's pool and a loop is a wake-up
/// of another thread, and a connection's setup made a dozen of them.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
