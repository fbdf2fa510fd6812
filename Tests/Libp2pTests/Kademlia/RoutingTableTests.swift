import Libp2pCrypto
import Multiformats
import Testing

@testable import Libp2p

@Suite struct RoutingTableTests {
    static func randomPeer() -> PeerID {
        PeerID(multihash: Multihash(code: .sha256, digest: (0..<32).map { _ in UInt8.random(in: 0...255) }))
    }

    @Test func nearestIsTheTrueClosestSet() {
        let local = Self.randomPeer()
        var table = RoutingTable(local: local, bucketSize: 20)
        for _ in 0..<2000 { table.add(Self.randomPeer(), useful: false) }
        let members = table.entries.map { (peer: $0.peer, key: KademliaKey(peer: $0.peer)) }
        #expect(members.count > 100 && members.count <= 20 * 256)
        for _ in 0..<50 {
            let target = KademliaKey(peer: Self.randomPeer())
            let expected = members.sorted { target.isCloser($0.key, than: $1.key) }.map(\.peer)
            #expect(table.nearest(to: target, count: 20) == Array(expected.prefix(20)))
        }
    }

    @Test func aFullBucketKeepsPeersThatAnsweredAndAdmitsNoneOverThem() {
        let local = Self.randomPeer()
        var table = RoutingTable(local: local, bucketSize: 3)
        let localKey = KademliaKey(peer: local)
        // Peers in bucket 0: their key differs from ours in the first bit.
        var bucketZero: [PeerID] = []
        while bucketZero.count < 10 {
            let peer = Self.randomPeer()
            if localKey.commonPrefixLength(with: KademliaKey(peer: peer)) == 0 { bucketZero.append(peer) }
        }
        for peer in bucketZero.prefix(3) {
            let added = table.add(peer, useful: true)
            #expect(added)
        }
        let admitted = table.add(bucketZero[3], useful: false)
        #expect(!admitted, "every member answered queries: no room")
        #expect(table.byBucket.map { $0.commonPrefix } == [0])

        table.remove(bucketZero[0])
        let fourth = table.add(bucketZero[4], useful: false)
        let fifth = table.add(bucketZero[5], useful: false)
        #expect(fourth && fifth, "the unproven newcomer is replaced by the next")
        #expect(!table.contains(bucketZero[4]))
        #expect(table.contains(bucketZero[1]) && table.contains(bucketZero[2]))
        let ourselves = table.add(local, useful: true)
        #expect(!ourselves, "never ourselves")
    }

    @Test func refreshKeysLandInTheirBucket() throws {
        let local = KademliaKey(peer: Self.randomPeer())
        for bucket in [0, 3, 9] {
            let key = try #require(local.randomPeerKey(withCommonPrefix: bucket))
            #expect(local.commonPrefixLength(with: KademliaKey(hashing: key)) == bucket)
        }
    }
}
