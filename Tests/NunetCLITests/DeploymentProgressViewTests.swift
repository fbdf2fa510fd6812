import DMSMessages
import Testing

@testable import nunet

/// The live view of `nunet deploy --wait` on a terminal, as a pure function of the deployment's status.
@Suite struct DeploymentProgressViewTests {
    static func status(_ state: String, _ allocations: [String: DeploymentManifest.AllocationEntry])
        -> DeploymentStatusResponse
    {
        DeploymentStatusResponse(
            ok: true, id: "d-1", status: state, reason: "",
            events: [
                DeploymentEventPayload(at: 1, status: "Committing", reason: "placed web on 12D3KooWA"),
                DeploymentEventPayload(at: 2, status: "Provisioning", reason: "committed"),
            ], allocations: allocations, error: "")
    }

    @Test func oneRowPerAllocationByNodeWithPullProgressAndElapsedTime() {
        var web = DeploymentManifest.AllocationEntry(
            id: "d-1_a.web", nodeID: "a", type: "service", dnsName: "web", status: "starting", restarts: 0)
        web.progress = "pulling nginx:1.27: 12.5 MiB of 48 MiB"
        let db = DeploymentManifest.AllocationEntry(
            id: "d-1_b.db", nodeID: "b", type: "service", dnsName: "db", status: "failed", exitCode: 1,
            error: "out of memory", restarts: 2)
        let job = DeploymentManifest.AllocationEntry(
            id: "d-1_a.job", nodeID: "a", type: "task", dnsName: "job", status: "pending", restarts: 0)
        let lines = DeploymentProgressView.lines(
            Self.status("Provisioning", ["web": web, "db": db, "job": job]), elapsed: 12.34)
        #expect(
            lines == [
                "deployment d-1  Provisioning  12.3s",
                "  NODE  ALLOCATION  STATE     DETAIL",
                "  a     job         pending   ",
                "  a     web         starting  pulling nginx:1.27: 12.5 MiB of 48 MiB",
                "  b     db          failed    out of memory; exit 1; 2 restarts",
                "  Provisioning: committed",
            ])
    }

    @Test func beforeAnyAllocationOnlyTheStateAndTheLatestChange() {
        #expect(
            DeploymentProgressView.lines(Self.status("Committing", [:]), elapsed: 0.5) == [
                "deployment d-1  Committing  0.5s", "  Provisioning: committed",
            ])
    }

    /// Each redraw goes back over the previous block and clears it; the first draws from where the cursor is.
    @Test func redrawingReplacesThePreviousBlock() {
        var block = LiveBlock()
        #expect(block.redraw(["a", "b", "c"]) == "a\nb\nc\n")
        #expect(block.redraw(["d"]) == "\u{1B}[3F\u{1B}[Jd\n")
        #expect(block.redraw(["e", "f"]) == "\u{1B}[1F\u{1B}[Je\nf\n")
    }
}
