import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// The dashboard in a real browser (headless Chromium) against a real daemon: it loads without console
/// errors, shows a WASM task the test starts, its state history up to Completed and its output, then a
/// service with its allocation, the resources it holds and its live output, and leaves a screenshot of the main page in `.build/artefacts/dashboard.png` (the one in the README,
/// docs/dashboard.png, is made by this test).
@Suite struct DashboardBrowserTests {
    static let artefacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/artefacts", isDirectory: true)

    @Test func theDashboardFollowsADeploymentToCompletedWithItsLogs() async throws {
        if let reason = WebDriver.unavailableReason {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("the browser tests must run in CI: \(reason)")
            } else {
                print("skipping the dashboard browser test: \(reason)")
            }
            return
        }
        let home = CLITestHome()
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)
        let port = try #require(client.extraEnvironment["DMS_REST_PORT"])

        let browser = try await WebDriver()
        do {
            try await check(browser, dashboard: "http://127.0.0.1:\(port)/", home: home, client: client)
        } catch {
            await browser.quit()
            throw error
        }
        await browser.quit()
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
    }

    private func check(_ browser: WebDriver, dashboard: String, home: CLITestHome, client: CLITestHome)
        async throws
    {
        try await browser.open(dashboard)
        let live = try await browser.waitFor(#"return document.getElementById("live").dataset.state === "live""#)
        #expect(live != nil, "the event stream connects")
        let peer = try await browser.waitFor(#"return document.getElementById("peer-id").textContent"#)
        let shown = try JSONParser.parse(try await client.run("actor", "cmd", "/dms/node/peers/self").stdout)["id"]
        #expect(peer == shown, "the page names the node")
        let bars = try await browser.waitFor(#"return document.querySelectorAll("[data-resource]").length"#)
        #expect(bars == .number("3"), "CPU, RAM and disk bars for the onboarded machine")

        // A short WASM task, deployed while the page is open.
        try Data(WasmFixtures.print("hello from the dashboard test\n")).write(
            to: URL(fileURLWithPath: home.root.file("work/hello.wasm")))
        home.root.write(
            "work/hello.yaml",
            """
            version: V1
            metadata: {purpose: dashboard}
            allocations:
              hello:
                type: task
                executor: wasm
                resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
                execution: {type: wasm, module: hello.wasm}
            """)
        let deployed = try await client.run("deploy", "-f", "hello.yaml")
        #expect(deployed.status == 0, "\(deployed.stdout) \(deployed.stderr)")
        let id = try #require(CLITestHome.deploymentID(deployed.stdout))

        let row = #"document.querySelector('[data-deployment-id="\#(id)"]')"#
        #expect(try await browser.waitFor("return \(row) !== null") != nil, "the deployment appears")
        let completed = try await browser.waitFor("return \(row).dataset.status === 'Completed'", timeout: .seconds(90))
        #expect(completed != nil, "its state changes to Completed on the page")
        let history = try await browser.waitFor(
            """
            const items = [...document.querySelectorAll("#deployment-events li .status")].map(e => e.dataset.status);
            return document.getElementById("deployment").dataset.deploymentId === "\(id)" &&
              items.includes("Completed") ? items.join(",") : null
            """)
        guard case .string(let states)? = history else {
            Issue.record("no state history shown for \(id)")
            return
        }
        for state in ["Preparing", "Committing", "Provisioning", "Running", "Completed"] {
            #expect(states.contains(state), "\(state) in the history: \(states)")
        }
        let logs = try await browser.waitFor(
            #"const pre = document.querySelector('pre[data-logs="hello"]'); return pre && pre.textContent"#)
        #expect(
            logs == .string("hello from the dashboard test\n"), "its output shows once: \(String(describing: logs))")

        // A service that keeps running: its allocation, the resources it holds and its live output show.
        try Data(WasmFixtures.printThenSpin("serving\n")).write(
            to: URL(fileURLWithPath: home.root.file("work/spin.wasm")))
        home.root.write(
            "work/spin.yaml",
            """
            version: V1
            metadata: {purpose: dashboard}
            allocations:
              spin:
                type: service
                executor: wasm
                resources: {cpu: {cores: 0.5}, ram: {size: 256MiB}, disk: {size: 64MiB}}
                execution: {type: wasm, module: spin.wasm, fuel: 1000000000000, timeout: 600}
            """)
        let serving = try await client.run("deploy", "-f", "spin.yaml", "--wait")
        #expect(serving.status == 0, "\(serving.stdout) \(serving.stderr)")
        let service = try #require(CLITestHome.deploymentID(serving.stdout))
        let hosted = try await browser.waitFor(
            ##"return [...document.querySelectorAll("#hosted-rows tr")].map(r => r.textContent).join(" ")"##)
        guard case .string(let rows)? = hosted, rows.contains(service) else {
            Issue.record("the node's allocations do not list \(service): \(String(describing: hosted))")
            return
        }
        let output = try await browser.waitFor(
            """
            const pre = document.querySelector('pre[data-logs="spin"]');
            return document.getElementById("deployment").dataset.deploymentId === "\(service)" && pre && pre.textContent
            """)
        #expect(output == .string("serving\n"), "the newest deployment is shown with its output live")
        let held = try await browser.waitFor(
            #"return document.querySelector('[data-resource="CPU"] .allocated').style.width"#)
        #expect(held == .string("50%"), "half of the one onboarded core is allocated")
        // The charts draw lines once there are samples to join (one every 10 s).
        let sampled = try await browser.waitFor(
            """
            const lines = [...document.querySelectorAll("[data-chart] polyline")];
            return lines.length === 5 && lines.every((line) => line.points.length >= 2) &&
              document.querySelector('[data-chart="Deployments running"] .value').textContent === "1"
            """, timeout: .seconds(60))
        #expect(sampled != nil, "the charts show the running deployment")

        let errors = try await browser.consoleErrors()
        #expect(errors.isEmpty, "console errors: \(errors)")

        try FileManager.default.createDirectory(at: Self.artefacts, withIntermediateDirectories: true)
        let screenshot = Self.artefacts.appendingPathComponent("dashboard.png")
        try await browser.screenshot().write(to: screenshot)
        print("dashboard screenshot: \(screenshot.path)")
    }
}
