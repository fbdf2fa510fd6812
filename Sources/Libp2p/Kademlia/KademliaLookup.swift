import Libp2pCrypto

/// The iterative lookup at the heart of every DHT operation, independent of how queries travel (libp2p
/// streams in a node, direct calls in the in-memory benchmark network). It keeps asking the closest
/// peers it has heard of, `alpha` at a time, until the `k` closest peers that answered leave nobody
/// closer to ask. Peers named in answers are only candidates: nothing enters a routing table before it
/// has answered itself.
public struct KademliaLookup: Sendable {
    /// Asks one peer; throws when it cannot be reached or answers nonsense.
    public typealias Query = @Sendable (KademliaMessage.Peer) async throws -> KademliaMessage

    public struct Outcome: Sendable {
        /// The closest peers that answered, closest first (at most k).
        public var closest: [KademliaMessage.Peer]
        /// Every peer that answered, in the order they did (to be marked useful).
        public var answered: [PeerID]
        /// Peers that could not be reached or answered badly.
        public var failed: [PeerID]
        public var queries: Int
        /// The longest chain of answers that led to a queried peer: the seeds are hop 1.
        public var hops: Int
        /// Whether the caller stopped the lookup before it converged.
        public var stoppedEarly: Bool
    }

    public var k = 20
    public var alpha = 10

    public init(k: Int = 20, alpha: Int = 10) {
        self.k = k
        self.alpha = alpha
    }

    private enum Progress {
        case heard
        case waiting
        case answered
        case failed
    }

    private struct Candidate {
        var peer: KademliaMessage.Peer
        let key: KademliaKey
        var progress: Progress
        let depth: Int
    }

    /// Runs the lookup for `target` from `seeds` (ours are excluded). `onAnswer` sees each answer as it comes
    /// and returns true to stop (the value or the peer was found).
    public func run(
        target: KademliaKey, seeds: [KademliaMessage.Peer], local: PeerID, query: @escaping Query,
        onAnswer: (PeerID, KademliaMessage) -> Bool = { _, _ in false }
    ) async -> Outcome {
        var candidates: [PeerID: Candidate] = [:]
        for seed in seeds where seed.id != local {
            candidates[seed.id] = Candidate(peer: seed, key: KademliaKey(peer: seed.id), progress: .heard, depth: 1)
        }
        var outcome = Outcome(closest: [], answered: [], failed: [], queries: 0, hops: 0, stoppedEarly: false)
        let (answers, sink) = AsyncStream<(PeerID, Result<KademliaMessage, any Error>)>.makeStream()
        var running: [Task<Void, Never>] = []
        defer { for task in running { task.cancel() } }
        var inFlight = 0
        var iterator = answers.makeAsyncIterator()
        while true {
            let closest = candidates.values.filter { $0.progress != .failed }
                .sorted { target.isCloser($0.key, than: $1.key) }.prefix(k)
            for candidate in closest where candidate.progress == .heard && inFlight < alpha {
                candidates[candidate.peer.id]?.progress = .waiting
                inFlight += 1
                outcome.queries += 1
                let peer = candidate.peer
                running.append(
                    Task {
                        do {
                            sink.yield((peer.id, .success(try await query(peer))))
                        } catch {
                            sink.yield((peer.id, .failure(error)))
                        }
                    })
            }
            guard inFlight > 0, let (peer, result) = await iterator.next() else { break }
            inFlight -= 1
            guard let depth = candidates[peer]?.depth else { continue }
            switch result {
            case .failure:
                candidates[peer]?.progress = .failed
                outcome.failed.append(peer)
            case .success(let answer):
                candidates[peer]?.progress = .answered
                outcome.answered.append(peer)
                outcome.hops = max(outcome.hops, depth)
                for closer in answer.closerPeers where closer.id != local && candidates[closer.id] == nil {
                    candidates[closer.id] = Candidate(
                        peer: closer, key: KademliaKey(peer: closer.id), progress: .heard, depth: depth + 1)
                }
                if onAnswer(peer, answer) {
                    outcome.stoppedEarly = true
                    break
                }
            }
            if outcome.stoppedEarly { break }
        }
        outcome.closest = candidates.values.filter { $0.progress == .answered }
            .sorted { target.isCloser($0.key, than: $1.key) }.prefix(k).map(\.peer)
        return outcome
    }
}
