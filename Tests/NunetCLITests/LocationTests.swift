import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// A provider that declares where it is (general.host_*) is matched by ensembles' location rules, as a
/// provider without a location never is.
@Suite struct LocationTests {
    static func task(_ rules: String) -> String {
        """
        version: V1
        allocations:
          job:
            type: task
            executor: null
            resources: {cpu: {cores: 0.5}, ram: {size: 64MiB}, disk: {size: 64MiB}}
            execution: {type: null, stdout: located}
        nodes:
          job:
            allocations: [job]
            location: {\(rules)}
        """
    }

    @Test func locationRulesMatchTheProvidersDeclaredLocation() async throws {
        var home = CLITestHome()
        home.extraEnvironment["DMS_GENERAL_HOST_CONTINENT"] = "Europe"
        home.extraEnvironment["DMS_GENERAL_HOST_COUNTRY"] = "DE"
        home.extraEnvironment["DMS_GENERAL_HOST_CITY"] = "Berlin"
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)

        home.root.write("work/germany.yaml", Self.task("accept: [{continent: Europe, country: DE}]"))
        let accepted = try await client.run("deploy", "-f", "germany.yaml", "--wait")
        #expect(accepted.status == 0 && accepted.stdout.contains("Completed"), "\(accepted.stdout) \(accepted.stderr)")

        home.root.write("work/not-berlin.yaml", Self.task("reject: [{continent: Europe, country: DE, city: Berlin}]"))
        let rejected = try await client.run("deploy", "-f", "not-berlin.yaml", "--wait")
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("location"), "\(rejected.stderr)")
    }

    @Test func aLocationOutsideTheModelIsRefusedWithTheRule() async throws {
        let home = CLITestHome()
        let atlantis = try await home.run("config", "set", "general.host_continent", "Atlantis")
        #expect(atlantis.status == 1)
        #expect(
            atlantis.stderr.contains("general.host_continent") && atlantis.stderr.contains("Europe"),
            "\(atlantis.stderr)")
        let lowercase = try await home.run("config", "set", "general.host_country", "de")
        #expect(lowercase.status == 1)
        #expect(lowercase.stderr.contains("two-letter ISO 3166"), "\(lowercase.stderr)")
    }
}
