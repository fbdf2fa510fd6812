import DMSActor
import Foundation

/// Timing and limits of orchestration. The defaults suit real networks; tests shorten them.
public struct OrchestratorSettings: Sendable {
    /// Where finished allocations' logs are kept: `<logDirectory>/<deployment>/<allocation>/`.
    public var logDirectory: URL
    /// How long bids are collected at most (collection ends as soon as every node can be placed).
    public var bidWindow: Duration
    /// Commit, allocate, start, stop and health invocations each wait this long for a reply.
    public var invokeTimeout: Double
    /// How long an allocation's start may take: long enough for an image pull.
    public var startTimeout: Double
    /// How long a commitment lasts without an allocate.
    public var commitTTL: Double
    /// How long a provider may hold a wait before answering "still running"; each answer is a liveness
    /// signal.
    public var waitHold: Double
    /// Missed liveness answers in a row after which the provider counts as gone.
    public var livenessFailures: Int
    /// Seconds between health checks of an allocation that names no interval.
    public var healthInterval: Double
    /// Failed health checks in a row after which the allocation is stopped and counts as failed.
    public var healthFailures: Int
    /// How long a health check may take before it counts as failed.
    public var healthTimeout: Double
    /// Restarts within a period beyond which supervision gives up and escalates.
    public var restartIntensity: RestartIntensity
    /// Redeployments an ensemble with `escalation_strategy: redeploy` gets.
    public var maximumRedeploys: Int

    public init(
        logDirectory: URL, bidWindow: Duration = .seconds(3), invokeTimeout: Double = 15, startTimeout: Double = 300,
        commitTTL: Double = 120,
        waitHold: Double = 10, livenessFailures: Int = 3, healthInterval: Double = 10, healthFailures: Int = 3,
        healthTimeout: Double = 5,
        restartIntensity: RestartIntensity = RestartIntensity(maximumRestarts: 3, period: .seconds(60)),
        maximumRedeploys: Int = 2
    ) {
        self.logDirectory = logDirectory
        self.bidWindow = bidWindow
        self.invokeTimeout = invokeTimeout
        self.startTimeout = startTimeout
        self.commitTTL = commitTTL
        self.waitHold = waitHold
        self.livenessFailures = livenessFailures
        self.healthInterval = healthInterval
        self.healthFailures = healthFailures
        self.healthTimeout = healthTimeout
        self.restartIntensity = restartIntensity
        self.maximumRedeploys = maximumRedeploys
    }
}
