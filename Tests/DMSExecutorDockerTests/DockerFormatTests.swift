import DMSCore
import DMSExecutor
import Foundation
import NunetTestSupport
import Testing

@testable import DMSExecutorDocker

@Suite struct LogFramesTests {
    private func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        let count = UInt32(bytes.count)
        return [
            stream, 0, 0, 0, UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF),
            UInt8(count & 0xFF),
        ]
            + bytes
    }

    @Test func splitsStdoutAndStderrAcrossArbitraryChunkBoundaries() {
        let stream = frame(1, "hello\n") + frame(2, "oops\n") + frame(1, "") + frame(1, "bye\n")
        for cut in 0...stream.count {
            var frames = LogFrames()
            let all = frames.append(Array(stream[..<cut])) + frames.append(Array(stream[cut...]))
            #expect(
                all.filter { $0.stream == .stdout }.map { String(decoding: $0.bytes, as: UTF8.self) }.joined()
                    == "hello\nbye\n")
            #expect(all.filter { $0.stream == .stderr }.map { String(decoding: $0.bytes, as: UTF8.self) } == ["oops\n"])
            #expect(frames.buffered == 0)
        }
    }

    @Test func arbitraryBytesNeverCrashAndNeverInventOutput() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            var frames = LogFrames()
            let total = frames.append(bytes).reduce(0) { $0 + 8 + $1.bytes.count }
            #expect(total + frames.buffered == bytes.count)
        }
    }
}

@Suite struct PullProgressTests {
    @Test func sumsLayersIntoOneLine() {
        var progress = PullProgress(image: "127.0.0.1:5000/app:1")
        let lines = [
            #"{"status":"Pulling from app","id":"1"}"#,
            #"{"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}"#,
            #"{"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}"#,
            #"{"status":"Downloading","progressDetail":{"current":1000000,"total":4000000},"id":"aaa"}"#,
            #"{"status":"Downloading","progressDetail":{"current":500000,"total":1000000},"id":"bbb"}"#,
            #"{"status":"Pull complete","progressDetail":{},"id":"bbb"}"#,
        ]
        for line in lines { progress.record(PullProgress.Line.parse(Array(line.utf8))!) }
        #expect(progress.summary == "pulling 127.0.0.1:5000/app:1: 1 of 2 layers, 2.0 of 5.0 MB")
    }

    @Test func anErrorLineCarriesTheRegistrysMessage() {
        let line = PullProgress.Line.parse(
            Array(#"{"errorDetail":{"message":"manifest unknown: manifest unknown"},"error":"manifest unknown"}"#.utf8))
        #expect(line?.error == "manifest unknown: manifest unknown")
    }
}

@Suite struct ContainerConfigTests {
    private func body(_ config: ContainerConfig) throws -> [String: Any] {
        let data = try JSONEncoder().encode(config)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test func everyLimitOfTheAllocationIsInTheRequest() throws {
        let workload = DockerWorkload(
            image: "app:1", entrypoint: ["/bin/sh"], cmd: ["-c", "env"], environment: ["A=1"], workingDirectory: "/srv",
            ports: [PortBinding(hostPort: 18080, containerPort: 8080)])
        let config = ContainerConfig(
            workload, resources: Resources(cpu: CPUResources(cores: 1.5), ram: 64 << 20, disk: 1 << 30),
            mounts: [Mount(hostPath: "/data", guestPath: "/in", readOnly: true)], labels: ["nunet.owner": "node"],
            pidsLimit: 128, diskLimit: true, publishAddress: "0.0.0.0")
        let json = try body(config)
        let host = json["HostConfig"] as! [String: Any]
        #expect(host["NanoCpus"] as? Int == 1_500_000_000)
        #expect(host["Memory"] as? Int == 64 << 20)
        #expect(host["MemorySwap"] as? Int == 64 << 20, "no swap beyond the memory limit")
        #expect(host["PidsLimit"] as? Int == 128)
        #expect((host["StorageOpt"] as? [String: String])?["size"] == String(1 << 30))
        #expect(host["Binds"] as? [String] == ["/data:/in:ro"])
        #expect(host["SecurityOpt"] as? [String] == ["no-new-privileges"])
        let bindings = host["PortBindings"] as! [String: [[String: String]]]
        #expect(bindings["8080/tcp"] == [["HostIp": "0.0.0.0", "HostPort": "18080"]])
        #expect((json["ExposedPorts"] as? [String: Any])?.keys.sorted() == ["8080/tcp"])
        #expect(json["Entrypoint"] as? [String] == ["/bin/sh"])
        #expect(json["Cmd"] as? [String] == ["-c", "env"])
        #expect(json["Env"] as? [String] == ["A=1"])
        #expect(json["WorkingDir"] as? String == "/srv")
    }

    @Test func noRAMStillMeansALimitAndNoDiskQuotaWithoutDriverSupport() throws {
        let config = ContainerConfig(
            DockerWorkload(image: "app:1"), resources: Resources(cpu: CPUResources(cores: 1), disk: 1 << 30),
            mounts: [],
            labels: [:], pidsLimit: 64, diskLimit: false, publishAddress: "127.0.0.1")
        let host = try body(config)["HostConfig"] as! [String: Any]
        #expect(host["Memory"] as? Int == Int(ContainerConfig.defaultMemoryLimit))
        #expect(host["StorageOpt"] == nil)
    }

    @Test func nvidiaGPUsAreRequestedByIndex() throws {
        let gpus = [GPU(index: 0, vendor: .nvidia, vram: 8 << 30), GPU(index: 2, vendor: .nvidia, vram: 8 << 30)]
        let config = ContainerConfig(
            DockerWorkload(image: "cuda:12"), resources: Resources(ram: 1 << 30, gpus: gpus), mounts: [], labels: [:],
            pidsLimit: 64, diskLimit: false, publishAddress: "0.0.0.0")
        let host = try body(config)["HostConfig"] as! [String: Any]
        let requests = host["DeviceRequests"] as! [[String: Any]]
        #expect(requests.count == 1)
        #expect(requests[0]["Driver"] as? String == "nvidia")
        #expect(requests[0]["DeviceIDs"] as? [String] == ["0", "2"])
        #expect(requests[0]["Capabilities"] as? [[String]] == [["gpu"]])
        #expect(host["Devices"] == nil)
    }

    @Test func amdAndIntelGPUsGetTheirDeviceNodes() throws {
        let amd = ContainerConfig(
            DockerWorkload(image: "rocm:6"), resources: Resources(gpus: [GPU(index: 0, vendor: .amd, vram: 1)]),
            mounts: [], labels: [:], pidsLimit: 64, diskLimit: false, publishAddress: "0.0.0.0")
        let amdHost = try body(amd)["HostConfig"] as! [String: Any]
        #expect((amdHost["Devices"] as? [[String: String]])?.map { $0["PathOnHost"] } == ["/dev/kfd", "/dev/dri"])
        #expect(amdHost["GroupAdd"] as? [String] == ["video"])
        let intel = ContainerConfig(
            DockerWorkload(image: "oneapi:1"), resources: Resources(gpus: [GPU(index: 0, vendor: .intel, vram: 1)]),
            mounts: [], labels: [:], pidsLimit: 64, diskLimit: false, publishAddress: "0.0.0.0")
        let intelHost = try body(intel)["HostConfig"] as! [String: Any]
        #expect((intelHost["Devices"] as? [[String: String]])?.map { $0["PathOnHost"] } == ["/dev/dri"])
    }
}

@Suite struct RegistryLoginTests {
    @Test func theAuthHeaderIsBase64URLOfTheLogin() throws {
        let header = RegistryAuthHeader(RegistryCredentials(username: "u", password: "p?>"), server: "127.0.0.1:5000")
        var base64 = header.value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let json = try JSONSerialization.jsonObject(with: Data(base64Encoded: base64)!) as! [String: String]
        #expect(json == ["username": "u", "password": "p?>", "serveraddress": "127.0.0.1:5000"])
    }

    @Test func theRegistryIsTheFirstComponentWhenItIsAHost() {
        #expect(RegistryAuthHeader.registry(of: "busybox:1") == "docker.io")
        #expect(RegistryAuthHeader.registry(of: "library/busybox") == "docker.io")
        #expect(RegistryAuthHeader.registry(of: "127.0.0.1:5000/app:1") == "127.0.0.1:5000")
        #expect(RegistryAuthHeader.registry(of: "ghcr.io/org/app@sha256:abc") == "ghcr.io")
        #expect(RegistryAuthHeader.registry(of: "localhost/app") == "localhost")
    }

    @Test func loginsAreReadFromDockersClientFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.write(
            "config.json",
            #"{"auths": {"https://index.docker.io/v1/": {"auth": "\#(Data("hub:secret".utf8).base64EncodedString())"}, "127.0.0.1:5000": {"auth": "\#(Data("me:pa:ss".utf8).base64EncodedString())"}}}"#
        )
        let credentials = try DockerCredentials.load(from: path)
        #expect(credentials.login(for: "busybox:1")?.username == "hub")
        #expect(
            credentials.login(for: "127.0.0.1:5000/app:1")
                == RegistryCredentials(username: "me", password: "pa:ss", server: "127.0.0.1:5000"))
        #expect(credentials.login(for: "ghcr.io/x/y") == nil)
        #expect(try DockerCredentials.load(from: directory.file("absent.json")).logins.isEmpty)
        let broken = directory.write("broken.json", "{")
        #expect(throws: DockerEngineError.self) { try DockerCredentials.load(from: broken) }
    }

    @Test func dockerHostSelectsTheEndpoint() throws {
        #expect(try DockerEngine.endpoint(dockerHost: nil) == .unix(path: "/var/run/docker.sock"))
        #expect(
            try DockerEngine.endpoint(dockerHost: "unix:///run/user/1000/docker.sock")
                == .unix(path: "/run/user/1000/docker.sock"))
        #expect(try DockerEngine.endpoint(dockerHost: "tcp://127.0.0.1:2375") == .tcp(host: "127.0.0.1", port: 2375))
        #expect(throws: DockerEngineError.self) { try DockerEngine.endpoint(dockerHost: "ssh://me@host") }
    }
}
