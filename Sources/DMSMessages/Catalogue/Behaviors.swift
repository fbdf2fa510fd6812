import DMSCapabilities
import DMSCore

/// Every behavior a node serves, with its payload types. The daemon registers them from here and the CLI
/// calls them from here; no behavior name is written anywhere else.
public enum Behaviors {
    // MARK: Anyone

    public static let hello = BehaviorSpec<NoPayload, HelloResponse>(
        "/public/hello", "Say hello to a node; it answers with its DID.")
    public static let status = BehaviorSpec<NoPayload, StatusResponse>(
        "/public/status", "A node's status and version.")
    public static let broadcastHello = BehaviorSpec<NoPayload, HelloResponse>(
        "/broadcast/hello", "Broadcast hello on /nunet/hello; every node answers.", topic: Topics.hello)

    // MARK: The node's controller

    public static let peersSelf = BehaviorSpec<NoPayload, PeerSelfResponse>(
        "/dms/node/peers/self", "The node's peer ID and listen addresses.")
    public static let peersList = BehaviorSpec<NoPayload, PeersListResponse>(
        "/dms/node/peers/list", "The peers this node is connected to.")
    public static let peersConnect = BehaviorSpec<PeerConnectRequest, PeerConnectResponse>(
        "/dms/node/peers/connect", "Connect to a peer by multiaddress, or by /p2p/<peer ID> through the DHT.")
    public static let peersPing = BehaviorSpec<PeerPingRequest, PeerPingResponse>(
        "/dms/node/peers/ping", "Ping a peer and report the round trip.")
    public static let peersDHT = BehaviorSpec<NoPayload, PeersDHTResponse>(
        "/dms/node/peers/dht", "The DHT routing table, by bucket.")
    public static let stats = BehaviorSpec<NoPayload, JSONValue>(
        "/dms/node/stats", "Message statistics of the node's actors.")
    public static let loggerConfig = BehaviorSpec<LoggerConfigRequest, LoggerConfigResponse>(
        "/dms/node/logger/config", "Change the node's log level without a restart.")

    public static let onboard = BehaviorSpec<OnboardRequest, OnboardResponse>(
        "/dms/node/onboarding/onboard", "Offer part of this machine to the network.")
    public static let offboard = BehaviorSpec<OffboardRequest, OffboardResponse>(
        "/dms/node/onboarding/offboard", "Withdraw the machine from the network.")
    public static let onboardingStatus = BehaviorSpec<NoPayload, OnboardStatusResponse>(
        "/dms/node/onboarding/status", "Whether the machine is onboarded.")
    public static let resourcesOnboarded = BehaviorSpec<NoPayload, ResourcesResponse>(
        "/dms/node/resources/onboarded", "Resources offered to the network.")
    public static let resourcesFree = BehaviorSpec<NoPayload, ResourcesResponse>(
        "/dms/node/resources/free", "Offered resources not committed or allocated.")
    public static let resourcesAllocated = BehaviorSpec<NoPayload, ResourcesResponse>(
        "/dms/node/resources/allocated", "Resources held by running allocations.")
    public static let hardwareSpec = BehaviorSpec<NoPayload, HardwareSpecResponse>(
        "/dms/node/hardware/spec", "The machine's hardware.")
    public static let hardwareUsage = BehaviorSpec<NoPayload, ResourcesResponse>(
        "/dms/node/hardware/usage", "What the whole machine uses now.")

    public static let deploymentNew = BehaviorSpec<DeploymentNewRequest, DeploymentNewResponse>(
        "/dms/node/deployment/new", "Deploy an ensemble (validated and module paths inlined first).")
    public static let deploymentStatus = BehaviorSpec<DeploymentIDRequest, DeploymentStatusResponse>(
        "/dms/node/deployment/status", "A deployment's status and history.")
    public static let deploymentManifest = BehaviorSpec<DeploymentIDRequest, DeploymentManifestResponse>(
        "/dms/node/deployment/manifest", "Where a deployment's parts run.")
    public static let deploymentList = BehaviorSpec<DeploymentListRequest, DeploymentListResponse>(
        "/dms/node/deployment/list", "Deployments, newest first.")
    public static let deploymentLogs = BehaviorSpec<DeploymentLogsRequest, DeploymentLogsResponse>(
        "/dms/node/deployment/logs", "An allocation's output.")
    public static let deploymentShutdown = BehaviorSpec<DeploymentIDRequest, DeploymentOKResponse>(
        "/dms/node/deployment/shutdown", "Shut a live deployment down.")
    public static let deploymentDelete = BehaviorSpec<DeploymentDeleteRequest, DeploymentOKResponse>(
        "/dms/node/deployment/delete", "Remove one finished deployment.")
    public static let deploymentPrune = BehaviorSpec<DeploymentPruneRequest, DeploymentPruneResponse>(
        "/dms/node/deployment/prune", "Remove finished deployments from the history.")
    public static let allocationsList = BehaviorSpec<NoPayload, AllocationsListResponse>(
        "/dms/node/allocations/list", "Allocations this node hosts.")

    // MARK: Capability administration (needs /dms/cap)

    public static let capList = BehaviorSpec<CapListRequest, CapabilityAnchors>(
        "/dms/cap/list", "The node's anchors: roots, require, provide and revoke.")
    public static let capAnchor = BehaviorSpec<CapabilityAnchors, CapabilityOKResponse>(
        "/dms/cap/anchor", "Add roots, require, provide or revoke anchors to the node (verified, persisted).")
    public static let capProvideAnchor = BehaviorSpec<TokenList, CapabilityOKResponse>(
        "/dms/cap/provide/anchor", "Add provide anchors to the node.")
    public static let capRequireAnchor = BehaviorSpec<TokenList, CapabilityOKResponse>(
        "/dms/cap/require/anchor", "Add require anchors to the node.")
    public static let capRevokeAnchor = BehaviorSpec<TokenList, CapabilityOKResponse>(
        "/dms/cap/revoke/anchor", "Add revocations to the node; new ones are broadcast on /nunet/revocation.")
    public static let capRevokeBroadcast = BehaviorSpec<NoPayload, RevokeBroadcastResponse>(
        "/dms/cap/revoke/broadcast", "Broadcast every revocation the node holds on /nunet/revocation.")
    /// Received by every node: revocations are self-authenticating (signed by the issuer of what they
    /// revoke), so the message needs only a valid signature, and each revocation is verified on its own.
    public static let revocation = BehaviorSpec<TokenList, NoPayload>(
        "/broadcast/dms/revocation", "Revocations published by a node; every node verifies and keeps them.",
        topic: Topics.revocation)

    /// The node actor's behaviors, in the order `nunet actor cmd --help` lists them.
    public static let node: [BehaviorDescription] = [
        hello.description, status.description, broadcastHello.description, peersSelf.description,
        peersList.description, peersConnect.description, peersPing.description, peersDHT.description,
        stats.description, loggerConfig.description, onboard.description, offboard.description,
        onboardingStatus.description,
        resourcesOnboarded.description, resourcesFree.description, resourcesAllocated.description,
        hardwareSpec.description, hardwareUsage.description, deploymentNew.description,
        deploymentStatus.description, deploymentManifest.description, deploymentShutdown.description,
        deploymentList.description, deploymentLogs.description, deploymentPrune.description,
        deploymentDelete.description, allocationsList.description, capList.description, capAnchor.description,
        capProvideAnchor.description, capRequireAnchor.description, capRevokeAnchor.description,
        capRevokeBroadcast.description, revocation.description,
    ]

    // MARK: The deployment protocol (orchestrator to provider)

    /// Providers answer bid requests broadcast on `Topics.deployment` or sent to a pinned peer.
    public static let bidRequest = BehaviorSpec<BidRequest, BidReply>(
        "/dms/deployment/request", "Ask providers for offers.", topic: Topics.deployment)
    public static let commit = BehaviorSpec<CommitRequest, CommitReply>(
        "/dms/deployment/commit", "Reserve what an accepted bid offered.")
    public static let allocate = BehaviorSpec<AllocateRequest, AllocateReply>(
        "/dms/deployment/allocate", "Create the allocations of a commitment.")
    public static let revert = BehaviorSpec<RevertRequest, OKReply>(
        "/dms/deployment/revert", "Release a deployment's commitments and allocations.")

    // MARK: Allocation actors (orchestrator to one allocation)

    public static let allocationStart = BehaviorSpec<NoPayload, AllocationStartReply>(
        "/dms/allocation/start", "Start a run of the allocation.")
    public static let allocationWait = BehaviorSpec<AllocationWaitRequest, AllocationStatusReply>(
        "/dms/allocation/wait", "Wait for a run to end, at most the hold.")
    public static let allocationStop = BehaviorSpec<NoPayload, AllocationStatusReply>(
        "/dms/allocation/stop", "Stop the running run.")
    public static let allocationStatus = BehaviorSpec<NoPayload, AllocationStatusReply>(
        "/dms/allocation/status", "The allocation's state.")
    public static let allocationLogs = BehaviorSpec<AllocationLogsRequest, AllocationLogsReply>(
        "/dms/allocation/logs", "The allocation's output from offsets.")
    public static let allocationHealth = BehaviorSpec<NoPayload, HealthReply>(
        "/dms/allocation/health", "Run the allocation's health check.")

    /// The deployment protocol's behaviors: a provider's root actor serves the first four, each
    /// allocation actor the rest.
    public static let deployment: [BehaviorDescription] = [
        bidRequest.description, commit.description, allocate.description, revert.description,
        allocationStart.description, allocationWait.description, allocationStop.description,
        allocationStatus.description, allocationLogs.description, allocationHealth.description,
    ]

    /// Reply continuations of bid requests: `<prefix>/<deployment>/<unique>`.
    public static let bidReplyPrefix = "/dms/deployment/bid"
}

/// The broadcast topics every node joins.
public enum Topics {
    public static let hello = "/nunet/hello"
    /// Bid requests.
    public static let deployment = "/nunet/deployment"
    /// Revocations, as the Go DMS names the topic.
    public static let revocation = "/nunet/revocation"
}
