import DMSCore
import Foundation
import NunetTestSupport
import Testing

/// A provider that declares where it is (general.host_*) is matched by ensembles' location rules, as a
/// provider without a location never is.
@Suite struct LocationTests {
    static func task(_ rules: String) -> String {
        CLITestHome.nullTask("location: {\(rules)}", stdout: "located")
    }

    @Test func locationRulesMatchTheProvidersDeclaredLocation() async throws {
        var home = CLITestHome()
        home.extraEnvironment["DMS_GENERAL_HOST_CONTINENT"] = "Europe"
        home.extraEnvironment["DMS_GENERAL_HOST_COUNTRY"] = "DE"
        home.extraEnvironment["DMS_GENERAL_HOST_CITY"] = "Berlin"
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        #expect(try await client.onboardQuarter() != nil)

        try await Self.expectDeployment(home, client, "accept: [{continent: Europe, country: DE}]", placed: true)
        try await Self.expectDeployment(
            home, client, "reject: [{continent: Europe, country: DE, city: Berlin}]", placed: false)
    }

    /// Deploys the task with location `rules` and expects it to complete, or to be refused for its location.
    static func expectDeployment(_ home: CLITestHome, _ client: CLITestHome, _ rules: String, placed: Bool)
        async throws
    {
        home.root.write("work/located.yaml", task(rules))
        let result = try await client.run("deploy", "-f", "located.yaml", "--wait")
        if placed {
            #expect(
                result.status == 0 && result.stdout.contains("Completed"), "\(rules): \(result.stdout) \(result.stderr)"
            )
        } else {
            #expect(result.status == 1)
            #expect(result.stderr.contains("location"), "\(rules): \(result.stderr)")
        }
    }

    /// `nunet onboard --location` declares the location on the running node and saves the general.host_*
    /// keys; a bad part is refused naming the key, the value and the rule, and nothing changes.
    @Test func onboardDeclaresTheLocationThatRulesThenMatch() async throws {
        let home = CLITestHome()
        let (daemon, client) = try await home.startControlledDaemon()
        defer { daemon.signal(SIGTERM) }
        let ram = try #require(try await client.machine()).ram / 4

        let atlantis = try await client.onboarding(ram: ram, ["--location", "Atlantis/DE/Berlin"])
        #expect(atlantis.status == 1)
        #expect(
            atlantis.stderr.contains("general.host_continent") && atlantis.stderr.contains("Atlantis")
                && atlantis.stderr.contains("Europe"), "\(atlantis.stderr)")
        let germany = try await client.onboarding(ram: ram, ["--location", "Europe/Germany"])
        #expect(germany.status == 1)
        #expect(
            germany.stderr.contains("general.host_country") && germany.stderr.contains("GERMANY")
                && germany.stderr.contains("two-letter ISO 3166"), "\(germany.stderr)")
        #expect(try await client.run("resources").stdout == "not onboarded\n")
        #expect(try await client.run("config", "get", "general.host_continent").stdout == "\n")

        let declared = try await client.onboarding(ram: ram, ["--location", "eu/de/Berlin"])
        #expect(declared.status == 0, "\(declared.stderr)")
        #expect(declared.stdout.contains("location: Europe/DE/Berlin"), "\(declared.stdout)")
        #expect(try await client.run("config", "get", "general.host_country").stdout == "DE\n")
        #expect(try await client.run("resources").stdout.contains("location: Europe/DE/Berlin"))

        try await Self.expectDeployment(home, client, "accept: [{continent: Europe, country: DE}]", placed: true)
        try await Self.expectDeployment(home, client, "accept: [{continent: Asia}]", placed: false)
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
