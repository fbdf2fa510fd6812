import DMSCore
import DMSEnsemble
import Foundation
import Testing

/// The example ensemble of the reference notes (§1.4), parsed and normalised.
@Suite struct ReferenceExampleTests {
    let ensemble: Ensemble

    init() throws {
        ensemble = try EnsembleParser.parse(yaml: try fixture("reference-example.yaml"))
    }

    @Test func topLevelSettings() {
        #expect(ensemble.version == "V1")
        #expect(ensemble.escalationStrategy == .teardown)
        #expect(ensemble.metadata == ["team": "vision", "stage": "demo"])
        #expect(ensemble.excludePeers == ["12D3KooWBadPeerExample"])
        #expect(ensemble.scripts == ["warmup": Array("#!/bin/sh\necho preparing cache > /tmp/ready\n".utf8)])
        #expect(
            ensemble.contracts == ["main": ContractSpec(did: "did:key:zContractExample", host: "did:key:zHostExample")])
        #expect(ensemble.subnet == SubnetSpec(join: true))
        #expect(ensemble.edges == [EdgeConstraint(source: "gpu-box", target: "watcher", rtt: 60, bandwidth: 100_000)])
        #expect(
            ensemble.supervisor
                == SupervisorSpec(
                    strategy: .oneForOne,
                    children: [SupervisorSpec(strategy: .allForOne, allocations: ["seed-db", "infer-api"])]
                ))
    }

    @Test func resourcesAreNormalisedToBytesAndHertz() throws {
        let seed = try #require(ensemble.allocations["seed-db"])
        #expect(
            seed.resources == Resources(cpu: CPUResources(cores: 0.5), ram: 512 * 1_048_576, disk: 2 * 1_073_741_824))
        let api = try #require(ensemble.allocations["infer-api"])
        #expect(api.resources.cpu == CPUResources(cores: 4, clockSpeed: 2.4e9))
        #expect(api.resources.ram == 16 * 1_073_741_824)
        #expect(api.resources.disk == 40 * 1_073_741_824)
        #expect(api.resources.gpus == [GPU(vendor: .nvidia, vram: 12 * 1_073_741_824)])
    }

    @Test func allocationsKeepEverySetting() throws {
        let api = try #require(ensemble.allocations["infer-api"])
        #expect(api.type == .service)
        #expect(api.executor == .docker)
        #expect(
            api.execution
                == .docker(
                    DockerExecution(
                        image: "ghcr.io/example/infer:1.2", entrypoint: ["/app/serve"], cmd: ["--port", "8000"],
                        environment: ["MODEL=small", "LOG_LEVEL=info"], workingDirectory: "/app")))
        #expect(api.dnsName == "api")
        #expect(api.keys == [KeySpec(type: .ssh, file: "/home/me/.ssh/id_ed25519.pub")])
        #expect(api.provision == ["warmup"])
        #expect(
            api.healthcheck
                == HealthCheck(
                    type: .command, exec: ["sh", "-c", "wget -qO- localhost:8000/health"], expectedResponse: "ok"))
        #expect(api.volumes == [Volume(type: .local, mountDestination: "/models", readOnly: true, src: "/srv/models")])
        #expect(api.failureRecovery == .oneForOne)
        #expect(api.dependsOn == ["seed-db"])
        let metrics = try #require(ensemble.allocations["metrics"])
        #expect(
            metrics.volumes == [
                Volume(type: .glusterfs, mountDestination: "/prometheus", name: "shared_vol", servers: ["10.1.0.5"])
            ])
    }

    @Test func dnsNamesDefaultToTheAllocationName() {
        #expect(ensemble.allocations["seed-db"]?.dnsName == "seed-db")
        #expect(ensemble.allocations["metrics"]?.dnsName == "metrics")
        #expect(ensemble.allocations["seed-db"]?.type == .task)
        #expect(ensemble.allocations["seed-db"]?.failureRecovery == .stayDown)
    }

    @Test func nodesKeepPortsLocationAndRecovery() throws {
        #expect(ensemble.nodeNames == ["gpu-box", "watcher"])
        let box = try #require(ensemble.nodes["gpu-box"])
        #expect(box.allocations == ["seed-db", "infer-api"])
        #expect(box.ports == [PortMapping(publicPort: 18000, privatePort: 8000, allocation: "infer-api")])
        #expect(
            box.location.accept == [
                Location(continent: "Europe", country: "DE"),
                Location(continent: "Europe", country: "NL", city: "Amsterdam"),
            ])
        #expect(box.failureRecovery == .restart)
        let watcher = try #require(ensemble.nodes["watcher"])
        #expect(watcher.ports == [PortMapping(publicPort: 0, privatePort: 9090, allocation: "metrics")])
        #expect(watcher.location.reject == [Location(continent: "Asia")])
        #expect(watcher.redundancy == 1)
        #expect(watcher.failureRecovery == .redeploy)
        #expect(ensemble.node(of: "metrics") == "watcher")
    }

    @Test func allocationsOutsideEveryNodeGetAnImplicitNode() throws {
        let yaml = twoAllocationsYAML(top: "nodes:\n  box: {allocations: [api]}\n")
        let ensemble = try EnsembleParser.parse(yaml: yaml)
        #expect(ensemble.nodeNames == ["box", "web"])
        #expect(ensemble.nodes["web"] == NodeSpec(name: "web", allocations: ["web"]))
        #expect(
            try EnsembleParser.parse(yaml: ensembleYAML()).nodes == ["api": NodeSpec(name: "api", allocations: ["api"])]
        )
    }

    @Test func jsonRoundTrip() throws {
        let data = try JSONEncoder().encode(ensemble)
        #expect(try JSONDecoder().decode(Ensemble.self, from: data) == ensemble)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains(#""type":"docker""#))
        #expect(json.contains(#""params":{"#))
    }
}

/// The reference example uses every field the Go DMS validates; those this node does not act on yet are
/// named, so `nunet validate` and the node refuse them instead of ignoring them.
@Suite struct UnsupportedFieldsTests {
    @Test func everyFieldTheNodeDoesNotActOnIsNamed() throws {
        let ensemble = try EnsembleParser.parse(yaml: try fixture("reference-example.yaml"))
        #expect(
            UnsupportedFields.paths(in: ensemble) == [
                "scripts", "subnet", "edge_constraints", "contracts", "allocations.infer-api.keys",
                "allocations.infer-api.provision", "allocations.metrics.volume[0].type (glusterfs)",
                "nodes.watcher.redundancy",
            ])
    }

    @Test func glusterfsVolumesAndDockerRestartPoliciesAreNamedAndPlainEnsemblesPass() throws {
        let yaml = """
            version: V1
            allocations:
              api:
                type: service
                executor: docker
                resources: {cpu: {cores: 1}, ram: {size: 1}, disk: {size: 1}}
                execution: {type: docker, image: "app:1", restart_policy: always}
                volume: [{type: glusterfs, name: gv0, servers: [10.0.0.1], mount_destination: /data}]
            """
        let report = UnsupportedFields.report(try EnsembleParser.parse(yaml: yaml))
        #expect(report?.contains("not supported by this node yet: allocations.api.volume[0].type (glusterfs)") == true)
        #expect(report?.contains("not supported by this node yet: allocations.api.execution.restart_policy") == true)
        let plain = yaml.replacingOccurrences(of: ", restart_policy: always", with: "")
            .components(separatedBy: "\n    volume:")[0]
        #expect(UnsupportedFields.report(try EnsembleParser.parse(yaml: plain)) == nil)
    }
}
