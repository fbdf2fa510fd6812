import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// A compute provider's day through the CLI against a running daemon: look at the hardware, be refused
/// for bad offers without anything changing, onboard, see the resources, restart, offboard.
@Suite struct ProviderFlowTests {
    @Test func onboardInspectRestartAndOffboard() async throws {
        let home = CLITestHome()
        var (daemon, client) = try await home.startControlledDaemon()

        guard let (machineRAM, machineCores) = try await client.machine() else {
            Issue.record("no machine resources in \(try await client.run("hardware", "--json").stdout)")
            return
        }
        let table = try await client.run("hardware")
        #expect(table.stdout.contains("machine") && table.stdout.contains("in use"), "\(table.stdout)")
        #expect(try await client.run("resources").stdout == "not onboarded\n")

        // A quarter of the RAM, rounded to MiB, is inside the 10%–90% rule on any machine.
        let ramMiB = (machineRAM / 4) >> 20
        let ram = "\(ramMiB)MiB"
        let refusals: [([String], String)] = [
            (["--ram", "12 XB"], "invalid --ram \"12 XB\": unknown unit \"xb\""),
            (["--ram", "-1"], "invalid --ram \"-1\": must not be negative"),
            (["--ram", "\(machineRAM / 100 * 95)B"], "exceeds 90% of \(Units.formatBytes(machineRAM))"),
            (
                ["--cpu", Units.formatNumber(machineCores + 1)],
                "exceeds the \(Units.formatCores(machineCores)) of this machine"
            ),
            (["--gpus", "7:8GB"], "gpu index 7 does not exist"),
            (["--disk", "1000000TiB"], "the data directory's filesystem can hold"),
        ]
        for (change, message) in refusals {
            var values = ["--cpu": "1", "--ram": ram, "--disk": "1GiB"]
            for pair in stride(from: 0, to: change.count, by: 2) { values[change[pair]] = change[pair + 1] }
            let arguments = ["onboard"] + values.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
            let refused = try await client.run(arguments)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        #expect(try await client.run("resources").stdout == "not onboarded\n")

        let onboarded = try await client.run("onboard", "--cpu", "1", "--ram", ram, "--disk", "1GiB", "--no-gpu")
        #expect(onboarded.status == 0, "\(onboarded.stderr)")
        #expect(onboarded.stdout.contains("onboarded: 1 core"), "\(onboarded.stdout)")
        let offer = try await resources(client)
        #expect(offer["status"]?["onboarded"] == .bool(true))
        #expect(offer["onboarded"]?["Resources"]?["ram"]?["size"] == .number(String(ramMiB << 20)))
        #expect(offer["onboarded"]?["Resources"]?["disk"]?["size"] == .number(String(1 << 30)))
        #expect(offer["free"]?["Resources"] == offer["onboarded"]?["Resources"])
        #expect(offer["allocated"]?["Resources"]?["ram"]?["size"] == .number("0"))
        let rows = try await client.run("resources").stdout
        #expect(rows.contains("onboarded") && rows.contains("free") && rows.contains("1 GiB"), "\(rows)")

        // A refused change leaves the earlier offer in place, and so does the behavior called directly.
        let tooMuch = try await client.run(
            "actor", "cmd", "/dms/node/onboarding/onboard", "-C", "1", "-R", "\(machineRAM)B", "-D", "1GiB", "-N")
        #expect(tooMuch.status == 1)
        #expect(try await resources(client) == offer)

        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        let port: Int
        (daemon, port) = try await client.startDaemon()
        client.extraEnvironment["DMS_REST_PORT"] = String(port)
        #expect(try await resources(client) == offer, "the offer survives a restart")

        let offboarded = try await client.run("offboard")
        #expect(offboarded.status == 0, "\(offboarded.stderr)")
        #expect(try await client.run("resources").stdout == "not onboarded\n")
        let status = try JSONParser.parse(try await client.run("actor", "cmd", "/dms/node/onboarding/status").stdout)
        #expect(status["onboarded"] == .bool(false))

        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    private func resources(_ client: CLITestHome) async throws -> JSONValue {
        let answer = try await client.run("resources", "--json")
        #expect(answer.status == 0, "\(answer.stderr)")
        return try JSONParser.parse(answer.stdout)
    }
}
