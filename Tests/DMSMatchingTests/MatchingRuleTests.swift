import DMSCore
import DMSEnsemble
import DMSMatching
import NunetTestSupport
import Testing

/// Each placement rule on its own, with the exact reason a user reads when it rejects a provider.
@Suite struct MatchingRuleTests {
    typealias F = MatchingFixtures

    @Test func aNodeGoesToTheTightestFitTiesToTheLowerPeerID() {
        let offers = [F.offer("c", cores: 2, ram: 4), F.offer("b", cores: 8, ram: 32), F.offer("a", cores: 2, ram: 4)]
        let placement = Matching.place([F.node("web", cores: 2, ram: 4)], offers: offers)
        #expect(placement.assignment == ["web": "a"])
        #expect(placement.isComplete)
        #expect(placement.rejections.isEmpty)
        #expect(placement.explanation == "")
    }

    @Test func anExcludedPeerIsNeverUsed() {
        let placement = Matching.place([F.node("web")], offers: [F.offer("a")], excludedPeers: ["a"])
        #expect(placement.assignment.isEmpty)
        #expect(!placement.isComplete)
        #expect(placement.rejections["web"] == [Rejection(peer: "a", reason: "excluded by the ensemble")])
        let roomy = Matching.place(
            [F.node("web")], offers: [F.offer("a"), F.offer("b", cores: 64)], excludedPeers: ["a"])
        #expect(roomy.assignment == ["web": "b"])
    }

    @Test func aPinnedNodeGoesOnlyToItsPeer() {
        let offers = [F.offer("a", cores: 2), F.offer("b", cores: 64)]
        #expect(Matching.place([F.node("db", pinnedPeer: "b")], offers: offers).assignment == ["db": "b"])
        let tooBig = Matching.place([F.node("db", cores: 4, pinnedPeer: "a")], offers: offers)
        #expect(
            tooBig.rejections["db"] == [
                Rejection(peer: "a", reason: "cpu: need 4 cores, 2 free"),
                Rejection(peer: "b", reason: "node is pinned to peer a"),
            ])
    }

    @Test func aPinnedPeerThatDidNotAnswerIsNamed() {
        let silent = Matching.place([F.node("db", pinnedPeer: "z")], offers: [F.offer("a")])
        #expect(
            silent.rejections["db"] == [
                Rejection(peer: "a", reason: "node is pinned to peer z"),
                Rejection(peer: "z", reason: "pinned peer did not answer"),
            ])
        let declined = Matching.place([F.node("db", pinnedPeer: "z")], offers: [], declines: ["z": "not onboarded"])
        #expect(declined.rejections["db"] == [Rejection(peer: "z", reason: "not onboarded")])
    }

    @Test func aPinOverridesLocationRules() {
        let node = F.node("db", location: LocationConstraint(accept: [F.tokyo]), pinnedPeer: "a")
        #expect(Matching.place([node], offers: [F.offer("a", location: F.berlin)]).assignment == ["db": "a"])
    }

    @Test func locationRulesNameTheProviderLocation() {
        let node = F.node("web", location: LocationConstraint(reject: [Location(continent: "Asia")]))
        let offers = [
            F.offer("a", location: F.tokyo),
            F.offer("b", location: Location(continent: "Asia", country: "SG", asn: 7473, isp: "Singtel")),
        ]
        #expect(
            Matching.place([node], offers: offers).rejections["web"] == [
                Rejection(peer: "a", reason: "location Asia/JP/Tokyo not accepted"),
                Rejection(peer: "b", reason: "location Asia/SG AS7473 Singtel not accepted"),
            ])
        let accepting = F.node("web", location: LocationConstraint(accept: [F.berlin]))
        #expect(
            Matching.place([accepting], offers: [F.offer("a")]).rejections["web"] == [
                Rejection(peer: "a", reason: "location unknown not accepted")
            ])
        #expect(Matching.place([F.node("web")], offers: [F.offer("a")]).isComplete, "no rules: any location")
    }

    @Test func everyExecutorMustBeOffered() {
        let node = F.node("mixed", executors: [.docker, .wasm])
        let offers = [
            F.offer("a", executors: [.docker]), F.offer("b", executors: [.firecracker]),
            F.offer("c", executors: [.docker, .wasm, .null]),
        ]
        let placement = Matching.place([node], offers: offers)
        #expect(placement.assignment == ["mixed": "c"])
        let without = Matching.place([node], offers: Array(offers.prefix(2)))
        #expect(
            without.rejections["mixed"] == [
                Rejection(peer: "a", reason: "executor wasm not offered"),
                Rejection(peer: "b", reason: "executors docker, wasm not offered"),
            ])
    }

    @Test func staticPortsMustBeInTheRangeAndFree() {
        let offers = [
            F.offer("a", portRange: 20000...20010), F.offer("b", reservedPorts: [18000]),
        ]
        let placement = Matching.place([F.node("api", staticPorts: [18000])], offers: offers)
        #expect(
            placement.rejections["api"] == [
                Rejection(peer: "a", reason: "port 18000 outside the offered range 20000-20010"),
                Rejection(peer: "b", reason: "port 18000 already in use"),
            ])
        let low = Matching.place([F.node("api", staticPorts: [80])], offers: [F.offer("c")])
        #expect(
            low.rejections["api"] == [Rejection(peer: "c", reason: "port 80 outside the offered range 16384-65535")])
    }

    @Test func twoNodesOnOnePeerNeverShareAStaticPort() {
        let nodes = [F.node("one", staticPorts: [18000]), F.node("two", staticPorts: [18000])]
        let shared = Matching.place(nodes, offers: [F.offer("a")])
        #expect(shared.assignment == ["one": "a"])
        #expect(shared.rejections["two"] == [Rejection(peer: "a", reason: "port 18000 taken by node one")])
        let spread = Matching.place(nodes, offers: [F.offer("a"), F.offer("b")])
        #expect(spread.isComplete)
        #expect(Set(spread.assignment.values) == ["a", "b"])
    }

    @Test func dynamicPortsMustRemainInTheRange() {
        let offer = F.offer("a", portRange: 20000...20002, reservedPorts: [20001, 30000])
        #expect(Matching.place([F.node("n", dynamicPorts: 2)], offers: [offer]).isComplete)
        let placement = Matching.place([F.node("n", staticPorts: [20000], dynamicPorts: 2)], offers: [offer])
        #expect(placement.rejections["n"] == [Rejection(peer: "a", reason: "ports: need 3, 2 free")])
        let two = Matching.place([F.node("m", dynamicPorts: 2), F.node("n", dynamicPorts: 1)], offers: [offer])
        #expect(two.assignment == ["m": "a"])
        #expect(
            two.rejections["n"] == [Rejection(peer: "a", reason: "ports: need 1, 0 free (with node m placed here)")])
    }

    @Test func aWholeEnsembleFitsOnOneProviderWhenItIsBigEnough() {
        let nodes = [F.node("api", cores: 4, ram: 16), F.node("db", cores: 2, ram: 16), F.node("cache", ram: 4)]
        let big = Matching.place(nodes, offers: [F.offer("big", cores: 8, ram: 40)])
        #expect(big.assignment == ["api": "big", "db": "big", "cache": "big"])
    }

    @Test func whenOnlyOneNodeFitsTheOtherNamesTheShortfall() {
        let nodes = [F.node("api", cores: 2, ram: 16), F.node("db", cores: 2, ram: 16)]
        let placement = Matching.place(nodes, offers: [F.offer("small", cores: 8, ram: 20)])
        #expect(placement.assignment == ["api": "small"])
        #expect(
            placement.rejections["db"] == [
                Rejection(peer: "small", reason: "ram: need 16 GiB, 4 GiB free (with node api placed here)")
            ])
        #expect(
            placement.explanation
                == "node db: no fit among 1 provider: peer small: ram: need 16 GiB, 4 GiB free (with node api placed here)"
        )
    }

    @Test func gpuCardsAreNeverDoubleUsedOnOnePeer() {
        let nodes = [F.node("a", gpus: [12]), F.node("b", gpus: [12]), F.node("c", gpus: [12])]
        let two = Matching.place(nodes, offers: [F.offer("gpu", gpus: [16, 16])])
        #expect(two.assignment == ["a": "gpu", "b": "gpu"])
        #expect(
            two.rejections["c"] == [
                Rejection(
                    peer: "gpu",
                    reason: "gpus: need NVIDIA 12 GiB, no matching free cards (with nodes a, b placed here)")
            ])
        let oneCard = Matching.place(Array(nodes.prefix(2)), offers: [F.offer("gpu", gpus: [16])])
        #expect(oneCard.assignment == ["a": "gpu"])
        let both = Matching.place([F.node("pair", gpus: [12, 12])], offers: [F.offer("gpu", gpus: [24])])
        #expect(!both.isComplete, "two GPUs of one node need two cards")
    }

    @Test func nodesWithoutGPUsLeaveGPUProvidersFree() {
        let offers = [F.offer("a-gpu", gpus: [8]), F.offer("b-plain")]
        #expect(Matching.place([F.node("cpu")], offers: offers).assignment == ["cpu": "b-plain"])
    }

    @Test func declinesAreListedForEveryUnplacedNode() {
        let placement = Matching.place(
            [F.node("big", cores: 64), F.node("small")], offers: [F.offer("a"), F.offer("b", executors: [.wasm])],
            declines: ["c": "not onboarded"])
        #expect(placement.assignment == ["small": "a"])
        #expect(
            placement.rejections["big"] == [
                Rejection(peer: "a", reason: "cpu: need 64 cores, 7 free (with node small placed here)"),
                Rejection(peer: "b", reason: "executor docker not offered"),
                Rejection(peer: "c", reason: "not onboarded"),
            ])
        #expect(
            placement.explanation
                == "node big: no fit among 3 providers: peer a: cpu: need 64 cores, 7 free (with node small placed here); "
                + "peer b: executor docker not offered; peer c: not onboarded")
    }

    @Test func providersRejectedForTheSameReasonShareAnEntry() {
        let placement = Matching.place(
            [F.node("x", executors: [.firecracker]), F.node("y", executors: [.firecracker])],
            offers: [F.offer("a"), F.offer("b")])
        #expect(
            placement.explanation == """
                node x: no fit among 2 providers: peers a, b: executor firecracker not offered
                node y: no fit among 2 providers: peers a, b: executor firecracker not offered
                """)
        #expect(Matching.place([F.node("x")], offers: []).explanation == "node x: no provider answered")
    }

    @Test func backtrackingFindsWhatBestFitMisses() {
        // z blames x and y, whose providers it could use; moving y to d frees c.
        let (nodes, offers) = F.crossedLocations()
        #expect(Matching.place(nodes, offers: offers).assignment == ["w": "b", "x": "a", "y": "d", "z": "c"])
    }

    @Test func theResultDoesNotDependOnInputOrder() {
        var generator = SeededGenerator(seed: 11)
        let nodes = (0..<40).map { F.node("n\($0)", cores: Double(Int.random(in: 1...4, using: &generator))) }
        let offers = (0..<12).map { F.offer("p\($0)", cores: Double(Int.random(in: 4...12, using: &generator))) }
        let first = Matching.place(nodes, offers: offers)
        let second = Matching.place(nodes.shuffled(using: &generator), offers: offers.shuffled(using: &generator))
        #expect(first == second)
    }

    @Test func theFirstOfferOfAPeerCounts() {
        let placement = Matching.place(
            [F.node("n", cores: 4)], offers: [F.offer("a", cores: 2), F.offer("a", cores: 8)])
        #expect(placement.rejections["n"] == [Rejection(peer: "a", reason: "cpu: need 4 cores, 2 free")])
    }

    @Test func aNodeDemandSumsItsAllocations() throws {
        func allocation(_ name: String, _ executor: ExecutorKind, cores: Double, gpu: UInt64?) -> Allocation {
            Allocation(
                name: name, executor: executor, type: .service,
                resources: Resources(
                    cpu: CPUResources(cores: cores), ram: F.gib, disk: 2 * F.gib,
                    gpus: gpu.map { [GPU(vendor: .nvidia, vram: $0 * F.gib)] } ?? []),
                execution: executor == .docker ? .docker(DockerExecution(image: "alpine")) : .null(NullExecution()))
        }
        let allocations = [
            "api": allocation("api", .docker, cores: 1.5, gpu: 8),
            "seed": allocation("seed", .null, cores: 0.5, gpu: 8),
        ]
        let spec = NodeSpec(
            name: "box", allocations: ["api", "seed"],
            ports: [
                PortMapping(publicPort: 18000, privatePort: 8000, allocation: "api"),
                PortMapping(publicPort: 0, privatePort: 9090, allocation: "api"),
            ],
            location: LocationConstraint(accept: [F.berlin]), peer: "p")
        let demand = try NodeDemand(node: spec, allocations: allocations)
        #expect(demand.name == "box")
        #expect(demand.resources.cpu.cores == 2)
        #expect(demand.resources.ram == 2 * F.gib)
        #expect(demand.resources.disk == 4 * F.gib)
        #expect(demand.resources.gpus.count == 2, "two GPUs, two cards")
        #expect(demand.executors == [.docker, .null])
        #expect(demand.staticPorts == [18000])
        #expect(demand.dynamicPorts == 1)
        #expect(demand.location == spec.location)
        #expect(demand.pinnedPeer == "p")
    }
}
