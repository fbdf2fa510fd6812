import DMSCore
import NunetTestSupport
import Testing

@Suite struct UnitsTests {
    @Test(
        arguments: [
            ("4", 4 * 1_073_741_824), ("4GiB", 4 * 1_073_741_824), ("12 GB", 12_000_000_000), ("512MiB", 536_870_912),
            ("0.5", 536_870_912), ("1.5 gib", 1_610_612_736), ("100 B", 100), ("2TB", 2_000_000_000_000),
            ("3kib", 3072),
        ] as [(String, UInt64)])
    func sizesParseWithGiBAsTheDefaultUnit(text: String, bytes: UInt64) throws {
        #expect(try Units.bytes(text) == bytes)
    }

    @Test(arguments: [
        ("12 XB", "unknown unit \"xb\""), ("-1", "must not be negative"), ("", "use a size"), ("GiB", "use a size"),
    ])
    func badSizesNameTheRule(text: String, reason: String) {
        let error = #expect(throws: Units.ParseError.self) { try Units.bytes(text) }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func frequenciesAndFormatting() throws {
        #expect(try Units.hertz("2.4GHz") == 2.4e9)
        #expect(try Units.hertz("3200 MHz") == 3.2e9)
        #expect(try Units.hertz("3") == 3e9)
        #expect(Units.formatBytes(4 * 1_073_741_824) == "4 GiB")
        #expect(Units.formatBytes(1_610_612_736) == "1.5 GiB")
        #expect(Units.formatBytes(512) == "512 B")
        #expect(Units.formatHertz(2.4e9) == "2.4 GHz")
    }
}

@Suite struct GPUVendorTests {
    @Test(arguments: [
        ("some NVIDIA Corporation gpu", GPUVendor.nvidia), ("a amd gpu", .amd), ("intel gpu", .intel),
        ("a gpu with ati in the name", .amd), ("some other gpu", .unknown), ("Intel Corporation", .intel),
        ("Advanced Micro Devices, Inc. [AMD/ATI]", .amd), ("NVIDIA GeForce RTX 4090", .nvidia),
    ])
    func vendorsAreParsedByWord(text: String, vendor: GPUVendor) {
        #expect(GPUVendor.parse(text) == vendor)
    }
}

@Suite struct ResourceArithmeticTests {
    let gib: UInt64 = 1_073_741_824

    @Test func addingMatchesTheGoCases() throws {
        let a = Resources(
            cpu: CPUResources(cores: 2, clockSpeed: 1000), ram: 1024, disk: 1024, gpus: [GPU(index: 0, vram: 16384)])
        let b = Resources(
            cpu: CPUResources(cores: 1, clockSpeed: 1000), ram: 512, disk: 512, gpus: [GPU(index: 0, vram: 8192)])
        let sum = try a.adding(b)
        #expect(sum.cpu == CPUResources(cores: 3, clockSpeed: 1000))
        #expect(sum.ram == 1536)
        #expect(sum.disk == 1536)
        #expect(sum.gpus == [GPU(index: 0, vram: 24576)])
        let other = try a.adding(Resources(gpus: [GPU(index: 1, vram: 100)]))
        #expect(other.gpus.map(\.index) == [0, 1], "a different card is kept, not ignored")
    }

    @Test func subtractingReportsEveryShortfallAndChangesNothing() throws {
        let free = Resources(cpu: CPUResources(cores: 1), ram: 512, disk: 512, gpus: [GPU(index: 0, vram: 8192)])
        let demand = Resources(
            cpu: CPUResources(cores: 2), ram: 1024, disk: 1024,
            gpus: [GPU(index: 0, vram: 16384), GPU(index: 3, vram: 1)])
        let error = #expect(throws: ResourceError.self) { try free.subtracting(demand) }
        #expect(error?.shortfalls.count == 5)
        #expect(error?.description.contains("cpu: need 2 cores, 1 available") == true)
        #expect(error?.description.contains("ram: need 1 KiB, 512 B available") == true)
        #expect(error?.description.contains("gpu 3: not present") == true)
        #expect(free == Resources(cpu: CPUResources(cores: 1), ram: 512, disk: 512, gpus: [GPU(index: 0, vram: 8192)]))
        let left = try Resources(cpu: CPUResources(cores: 2), ram: 1024, disk: 1024).subtracting(
            Resources(cpu: CPUResources(cores: 1), ram: 1024))
        #expect(left == Resources(cpu: CPUResources(cores: 1), ram: 0, disk: 1024))
    }

    @Test func fractionalCoresRoundToTwoDecimals() throws {
        var total = Resources(cpu: CPUResources(cores: 50))
        for _ in 0..<25 { total = try total.subtracting(Resources(cpu: CPUResources(cores: 0.1))) }
        #expect(total.cpu.cores == 47.5)
    }

    @Test func comparisonFollowsTheGoRules() {
        func cpu(_ cores: Double) -> Resources { Resources(cpu: CPUResources(cores: cores, clockSpeed: 1000)) }
        #expect(cpu(2).compare(to: cpu(2)) == .equal)
        #expect(cpu(2).compare(to: cpu(1)) == .better)
        #expect(cpu(1).compare(to: cpu(2)) == .worse)
        #expect(Resources(ram: 1024).compare(to: Resources(ram: 512)) == .better)
        #expect(Resources(disk: 512).compare(to: Resources(disk: 1024)) == .worse)
        let card = { (vram: UInt64, vendor: GPUVendor) in
            Resources(gpus: [GPU(index: 0, vendor: vendor, model: "x", vram: vram)])
        }
        #expect(card(16384, .nvidia).compare(to: Resources(gpus: [GPU(vram: 16384)])) == .equal)
        #expect(card(8450, .amd).compare(to: Resources(gpus: [GPU(vram: 16384)])) == .worse)
        #expect(card(16384, .amd).compare(to: Resources(gpus: [GPU(vram: 8192)])) == .better)
        #expect(Comparison.better.and(.equal) == .better)
        #expect(Comparison.equal.and(.none) == .none)
        #expect(Comparison.better.and(.worse) == .worse)
    }

    @Test func gpuDemandsAreAssignedToSuitableCardsNotByIndex() throws {
        let machine = Resources(
            cpu: CPUResources(cores: 8), ram: 64 * gib, disk: 100 * gib,
            gpus: [
                GPU(index: 0, vendor: .nvidia, model: "RTX 4090", vram: 4 * gib),
                GPU(index: 1, vendor: .amd, model: "MI100", vram: 8 * gib),
            ])
        // Greedy best-fit would give the any-vendor demand the small NVIDIA card and strand the NVIDIA demand.
        let demand = Resources(gpus: [GPU(vram: 4 * gib), GPU(vendor: .nvidia, vram: 4 * gib)])
        let placed = try machine.placement(of: demand)
        #expect(placed.gpus.map(\.index).sorted() == [0, 1])
        #expect(placed.gpus.first { $0.vendor == .nvidia }?.index == 0)
        let left = try machine.subtracting(placed)
        #expect(left.gpus.map(\.vram) == [0, 4 * gib])
        #expect(!machine.fits(Resources(gpus: [GPU(vendor: .intel, vram: 1)])))
        #expect(!machine.fits(Resources(gpus: [GPU(vram: 16 * gib)])))
        let error = #expect(throws: ResourceError.self) { try machine.placement(of: Resources(ram: 100 * gib)) }
        #expect(error?.description == "ram: need 100 GiB, 64 GiB free")
    }

    /// Property: whenever some assignment of required GPUs to distinct suitable cards exists, matching
    /// finds one, and what it returns is always such an assignment.
    @Test func gpuMatchingIsCompleteAndSound() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let vendors: [GPUVendor] = [.nvidia, .amd, .intel]
            let cards = (0..<Int.random(in: 0...4, using: &generator)).map {
                GPU(
                    index: $0, vendor: vendors.randomElement(using: &generator)!,
                    vram: UInt64.random(in: 1...8, using: &generator))
            }
            let needs = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                GPU(
                    vendor: Bool.random(using: &generator) ? .unknown : vendors.randomElement(using: &generator)!,
                    vram: UInt64.random(in: 1...8, using: &generator))
            }
            let machine = Resources(gpus: cards)
            let demand = Resources(gpus: needs)
            let exists = Self.bruteForceAssignmentExists(needs, cards)
            if let placed = try? machine.placement(of: demand) {
                #expect(Set(placed.gpus.map(\.index)).count == needs.count)
                for (need, card) in zip(needs, placed.gpus) {
                    #expect(cards[card.index].satisfies(need))
                }
            } else {
                #expect(!exists, "a valid assignment was missed: \(needs) on \(cards)")
            }
        }
    }

    static func bruteForceAssignmentExists(_ needs: [GPU], _ cards: [GPU], used: Set<Int> = []) -> Bool {
        guard let first = needs.first else { return true }
        return cards.indices.contains { index in
            !used.contains(index) && cards[index].satisfies(first)
                && bruteForceAssignmentExists(Array(needs.dropFirst()), cards, used: used.union([index]))
        }
    }

    /// Properties: adding then subtracting is the identity; subtracting never goes negative (it fails).
    @Test func addThenSubtractIsIdentityAndSubtractNeverUnderflows() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<1000 {
            let a = Self.random(&generator)
            let b = Self.random(&generator)
            #expect(try a.adding(b).subtracting(b) == a)
            if let difference = try? a.subtracting(b) {
                #expect(difference.cpu.cores >= 0)
                #expect(try difference.adding(b) == a)
            } else {
                #expect(b.cpu.cores > a.cpu.cores || b.ram > a.ram || b.disk > a.disk)
            }
        }
    }

    static func random(_ generator: inout SeededGenerator) -> Resources {
        Resources(
            cpu: CPUResources(cores: Double(Int.random(in: 0...6400, using: &generator)) / 100, clockSpeed: 2e9),
            ram: UInt64.random(in: 0...1 << 40, using: &generator),
            disk: UInt64.random(in: 0...1 << 42, using: &generator))
    }
}
