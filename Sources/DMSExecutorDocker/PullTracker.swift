import Foundation

/// Sums an image pull's progress lines and passes a summary on when it changes.
final class PullTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var progress: PullProgress
    private var last = ""
    private let report: (@Sendable (String) -> Void)?

    init(image: String, report: (@Sendable (String) -> Void)?) {
        progress = PullProgress(image: image)
        self.report = report
    }

    func record(_ line: PullProgress.Line) {
        let summary: String? = lock.withLock {
            progress.record(line)
            let summary = progress.summary
            guard summary != last else { return nil }
            last = summary
            return summary
        }
        if let summary { report?(summary) }
    }

    var summary: String { lock.withLock { progress.summary } }
}
