import DMSActor
import DMSConfig
import DMSCore
import DMSEnsemble
import DMSMessages
import DMSResources
import Foundation

/// The node's resource behaviors: onboarding, its resources and its hardware. Refusals come back in the
/// reply (`success: false` / `OK: false` with the reason), as the Go DMS answers them.
enum ResourceBehaviors {
    static func register(on node: Node, resources: NodeResources) {
        let actor = node.actor
        let provider = node.deployments?.provider
        actor.addBehavior(Behaviors.onboard) { message in
            let request = try message.decode(OnboardRequest.self)
            do {
                let location = try request.location.map(declaredLocation)
                if let terms = request.terms { try checkTerms(terms) }
                let offered = try await resources.onboarding.onboard(try onboardingRequest(request))
                if let terms = request.terms {
                    await provider?.setTerms(terms)
                    node.logger.info("terms declared", metadata: ["terms": "\(ProviderTerms(capability: terms))"])
                }
                if let location {
                    await provider?.setLocation(
                        Location(continent: location.continent, country: location.country, city: location.city))
                    node.logger.info("location declared", metadata: ["location": "\(location)"])
                }
                return try Payload.encode(
                    OnboardResponse(
                        success: true, error: nil,
                        config: OnboardingConfig(isOnboarded: true, onboardedResources: offered)))
            } catch {
                return try Payload.encode(OnboardResponse(success: false, error: "\(error)", config: nil))
            }
        }
        actor.addBehavior(Behaviors.offboard) { message in
            let force =
                (message.envelope.message?.isEmpty ?? true)
                ? false : (try message.decode(OffboardRequest.self).force ?? false)
            do {
                try await resources.onboarding.offboard(force: force) { ids in await resources.stopAllocations(ids) }
                return try Payload.encode(OffboardResponse(success: true, error: nil))
            } catch {
                return try Payload.encode(OffboardResponse(success: false, error: "\(error)"))
            }
        }
        actor.addBehavior(Behaviors.onboardingStatus) { _ in
            let onboarded = await resources.manager.onboardedResources
            let location = await provider?.location
            return try Payload.encode(
                OnboardStatusResponse(
                    onboarded: onboarded != nil, error: nil, resources: onboarded,
                    location: location.map {
                        HostLocationPayload(
                            continent: $0.continent, country: $0.country.isEmpty ? nil : $0.country,
                            city: $0.city.isEmpty ? nil : $0.city)
                    }, terms: await provider?.terms))
        }
        actor.addBehavior(Behaviors.resourcesOnboarded) { _ in
            guard let onboarded = await resources.manager.onboardedResources else {
                return try Payload.encode(
                    ResourcesResponse(ok: false, resources: .zero, error: "machine is not onboarded"))
            }
            return try Payload.encode(ResourcesResponse(ok: true, resources: onboarded, error: nil))
        }
        actor.addBehavior(Behaviors.resourcesFree) { _ in
            try Payload.encode(
                ResourcesResponse(ok: true, resources: await resources.manager.freeResources, error: nil))
        }
        actor.addBehavior(Behaviors.resourcesAllocated) { _ in
            try Payload.encode(
                ResourcesResponse(ok: true, resources: await resources.manager.allocatedResources, error: nil))
        }
        actor.addBehavior(Behaviors.hardwareSpec) { _ in
            let spec = resources.hardware.spec()
            let executors = await provider?.executorAvailability()
            let cpu = spec.cpu.map {
                HardwareSpecResponse.CPU(
                    model: $0.model, vendor: $0.vendor, logicalCores: $0.logicalCores, quotaCores: $0.quotaCores)
            }
            return try Payload.encode(
                HardwareSpecResponse(
                    ok: true, resources: spec.resources, cpu: cpu, problems: spec.problems, executors: executors))
        }
        actor.addBehavior(Behaviors.hardwareUsage) { _ in
            let usage = resources.hardware.usage()
            return try Payload.encode(
                ResourcesResponse(
                    ok: usage.problems.isEmpty, resources: usage.resources,
                    error: usage.problems.isEmpty ? nil : usage.problems.joined(separator: "; ")))
        }
    }

    /// Refuses terms with an unknown currency, a negative or non-finite price, or an unknown time unit,
    /// naming the field, the value and the rule.
    static func checkTerms(_ terms: ComputeCapability) throws(OnboardingError) {
        let problems = terms.termProblems(at: "Terms")
        guard problems.isEmpty else { throw .failed(problems.joined(separator: "; ")) }
    }

    /// The declared location of an onboarding request, checked with the `general.host_*` keys' rules.
    static func declaredLocation(_ payload: HostLocationPayload) throws -> HostLocation {
        try HostLocation(
            continent: payload.continent, country: payload.country ?? "", city: payload.city ?? "",
            source: .flag(name: "Location"))
    }

    /// The onboarding request in a behavior payload: resources from `Config.onboarded_resources`, GPUs
    /// from there or from the `GPUs` text; `NoGPU` offers none.
    static func onboardingRequest(_ payload: OnboardRequest) throws(OnboardingError) -> OnboardingRequest {
        guard let offered = payload.config.onboardedResources else {
            throw .failed("Config.onboarded_resources is required (cpu.cores, ram.size, disk.size)")
        }
        var gpus = offered.gpus.map { OnboardingRequest.GPUShare(index: $0.index, vram: $0.vram) }
        if payload.noGPU == true {
            gpus = []
        } else if gpus.isEmpty, let text = payload.gpus, !text.isEmpty {
            do {
                gpus = try OnboardingRequest.parseGPUs(text)
            } catch {
                throw .failed("GPUs: \(error)")
            }
        }
        return OnboardingRequest(cores: offered.cpu.cores, ram: offered.ram, disk: offered.disk, gpus: gpus)
    }
}
