import DMSEnsemble
import Foundation

extension FuzzTarget {
    /// Ensembles are YAML written by users and sent to orchestrators: parsing answers with an ensemble or
    /// with errors, and an accepted ensemble is the same after a JSON round trip of its model.
    static let ensemble = FuzzTarget(
        name: "ensemble", maxLength: 512, seeds: { ensembleSamples.map { Array($0.utf8) } },
        run: { input throws(FuzzFailure) in
            guard let text = String(validating: input, as: UTF8.self),
                let ensemble = try? EnsembleParser.parse(yaml: text)
            else { return }
            let again = (try? JSONEncoder().encode(ensemble)).flatMap {
                try? JSONDecoder().decode(Ensemble.self, from: $0)
            }
            try require(again == ensemble, "ensemble changes through its JSON coding")
        })

    private static let ensembleSamples = [
        """
        version: V1
        allocations:
          hello:
            type: task
            executor: wasm
            resources:
              cpu: {cores: 0.5}
              ram: {size: 64MiB}
              disk: {size: 64MiB}
            execution:
              type: wasm
              module: AGFzbQEAAAA=
              args: [from, nunet]
              env: {GREETING: "hello, provider"}
              fuel: 100000000
              timeout: 30s
        nodes:
          node-1:
            allocations: [hello]
        """,
        """
        version: V1
        allocations:
          web:
            type: service
            executor: docker
            resources: {cpu: {cores: 1}, ram: {size: 256MiB}, disk: {size: 1GiB}}
            execution: {type: docker, image: "nginx:alpine", environment: [A=b], cmd: [nginx, -g, daemon off;]}
            dns_name: web
            healthcheck: {type: command, exec: [wget, -q, localhost]}
            depends_on: [db]
          db:
            type: task
            executor: docker
            resources: {cpu: {cores: 0.5}, ram: {size: 512MiB}, disk: {size: 2}}
            execution: {type: docker, image: "postgres:16"}
        nodes:
          n1:
            allocations: [web, db]
            ports: [{public: 8080, private: 80, allocation: web}]
            location: {accept: [{continent: Europe, country: DE}]}
        """,
    ]
}
