/// Behavior names of the deployment protocol between orchestrators, providers and allocation actors.
public enum DeploymentBehaviors {
    /// Broadcast topic of bid requests.
    public static let bidTopic = "/nunet/deployment"
    /// Provider: answer a bid request (broadcast on `bidTopic`, or sent to a pinned peer).
    public static let bidRequest = "/dms/deployment/request"
    public static let commit = "/dms/deployment/commit"
    public static let allocate = "/dms/deployment/allocate"
    public static let revert = "/dms/deployment/revert"

    /// Allocation actor behaviors.
    public static let allocationStart = "/dms/allocation/start"
    public static let allocationWait = "/dms/allocation/wait"
    public static let allocationStop = "/dms/allocation/stop"
    public static let allocationStatus = "/dms/allocation/status"
    public static let allocationLogs = "/dms/allocation/logs"
    public static let allocationHealth = "/dms/allocation/health"
}
