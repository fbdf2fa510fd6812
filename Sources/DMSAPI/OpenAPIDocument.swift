/// The REST API described for people and generators (`GET /openapi.yaml`). Written by hand beside the
/// routes; `OpenAPIDocumentTests` checks that it names exactly the routes the router serves.
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.0.3
        info:
          title: nunet REST API
          description: |
            The node's REST API and dashboard. On a loopback address (the default) no credentials are asked;
            when `rest.addr` is not a loopback address every route but `/health` needs a token made with
            `nunet rest token new`, sent as `Authorization: Bearer <token>` or as the `nunet_token` cookie
            (set by opening `/?token=<token>` once). Without it the answer is 401 and a one-line reason.
            Malformed or unknown query parameters are refused with 400 naming the parameter, the value and
            the rule. The actor routes relay envelopes the client signed; authority comes from their
            signatures and capability tokens.
          version: "1"
        security:
          - {}
          - bearerToken: []
          - cookieToken: []
        paths:
          /health:
            get:
              summary: Liveness and the running build (never needs a token).
              security: []
              responses:
                "200":
                  description: The node is up.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Health"}
          /metrics:
            get:
              summary: Prometheus metrics of the node (text exposition format).
              responses:
                "200":
                  description: Metrics.
                  content:
                    text/plain:
                      schema: {type: string}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /:
            get:
              summary: The dashboard. `?token=` sets the token cookie and redirects here.
              parameters:
                - {name: token, in: query, required: false, schema: {type: string}}
              responses:
                "200":
                  description: The dashboard page.
                  content:
                    text/html:
                      schema: {type: string}
                "303": {description: Token accepted; the cookie is set and the browser is sent to `/`.}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /dashboard.js:
            get:
              summary: The dashboard's script.
              responses:
                "200":
                  description: JavaScript.
                  content:
                    text/javascript:
                      schema: {type: string}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /dashboard.css:
            get:
              summary: The dashboard's style sheet.
              responses:
                "200":
                  description: CSS.
                  content:
                    text/css:
                      schema: {type: string}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /openapi.yaml:
            get:
              summary: This document.
              responses:
                "200":
                  description: OpenAPI 3 document.
                  content:
                    application/yaml:
                      schema: {type: string}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /api/v1/actor/handle:
            get:
              summary: The node's root actor handle, to address envelopes to.
              responses:
                "200":
                  description: Actor handle (Go DMS JSON).
                  content:
                    application/json:
                      schema: {type: object}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /api/v1/actor/send:
            post:
              summary: Relays a signed envelope without waiting for a reply.
              requestBody: {$ref: "#/components/requestBodies/Envelope"}
              responses:
                "200": {$ref: "#/components/responses/ActorReply"}
                "400": {$ref: "#/components/responses/ActorError"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "413": {description: The body is over 2 MiB.}
                "502": {$ref: "#/components/responses/ActorError"}
                "504": {$ref: "#/components/responses/ActorError"}
          /api/v1/actor/invoke:
            post:
              summary: Relays a signed envelope and returns the reply envelope.
              requestBody: {$ref: "#/components/requestBodies/Envelope"}
              responses:
                "200": {$ref: "#/components/responses/ActorReply"}
                "400": {$ref: "#/components/responses/ActorError"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "413": {description: The body is over 2 MiB.}
                "502": {$ref: "#/components/responses/ActorError"}
                "504": {$ref: "#/components/responses/ActorError"}
          /api/v1/actor/broadcast:
            post:
              summary: Relays a signed envelope to a topic and returns the replies that came back.
              requestBody: {$ref: "#/components/requestBodies/Envelope"}
              responses:
                "200": {$ref: "#/components/responses/ActorReply"}
                "400": {$ref: "#/components/responses/ActorError"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "413": {description: The body is over 2 MiB.}
                "502": {$ref: "#/components/responses/ActorError"}
                "504": {$ref: "#/components/responses/ActorError"}
          /api/v1/node:
            get:
              summary: Identity, version, peers and the resource ledger.
              responses:
                "200":
                  description: The node.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Node"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /api/v1/deployments:
            get:
              summary: Deployments this node orchestrates, newest first.
              parameters:
                - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
                - {name: offset, in: query, schema: {type: integer, minimum: 0, default: 0}}
                - name: status
                  in: query
                  description: Status names, comma-separated or repeated (Preparing, Generating, Committing,
                    Provisioning, Running, Failed, ShuttingDown, Completed).
                  schema: {type: string}
              responses:
                "200":
                  description: A page of deployments.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DeploymentListing"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/deployments/{id}:
            get:
              summary: One deployment with its state history and allocations.
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
              responses:
                "200":
                  description: The deployment.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/DeploymentDetail"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/deployments/{id}/allocations/{name}/logs:
            get:
              summary: An allocation's output from the given offsets; `follow=true` streams it as server-sent
                `logs` events until the allocation ends.
              parameters:
                - {name: id, in: path, required: true, schema: {type: string}}
                - {name: name, in: path, required: true, schema: {type: string}}
                - {name: stdout_offset, in: query, schema: {type: integer, minimum: 0, default: 0}}
                - {name: stderr_offset, in: query, schema: {type: integer, minimum: 0, default: 0}}
                - {name: follow, in: query, schema: {type: boolean, default: false}}
              responses:
                "200":
                  description: Output and the offsets to continue from.
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/LogChunk"}
                    text/event-stream:
                      schema: {type: string, description: "`logs` events whose data is a LogChunk."}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
                "404": {$ref: "#/components/responses/NotFound"}
                "503": {$ref: "#/components/responses/Unavailable"}
          /api/v1/allocations:
            get:
              summary: Allocations this node runs as a provider.
              responses:
                "200":
                  description: The allocations.
                  content:
                    application/json:
                      schema:
                        type: array
                        items: {$ref: "#/components/schemas/HostedAllocation"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /api/v1/figures:
            get:
              summary: The node's figures over the last hour, sampled every 10 s, oldest first.
              parameters:
                - {name: since, in: query, description: Only samples after this time (Unix seconds).,
                   schema: {type: number}}
              responses:
                "200":
                  description: The samples.
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          interval: {type: integer, description: Seconds between samples.}
                          samples:
                            type: array
                            items: {$ref: "#/components/schemas/Figures"}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
          /api/v1/events:
            get:
              summary: Live updates as server-sent events `node`, `deployments`, `allocations` and `figures`,
                each sent when it changes; data as in the matching JSON routes.
              responses:
                "200":
                  description: An endless event stream.
                  content:
                    text/event-stream:
                      schema: {type: string}
                "400": {$ref: "#/components/responses/BadRequest"}
                "401": {$ref: "#/components/responses/Unauthorized"}
        components:
          securitySchemes:
            bearerToken:
              type: http
              scheme: bearer
              description: A token from `nunet rest token new` (needed only beyond loopback).
            cookieToken:
              type: apiKey
              in: cookie
              name: nunet_token
          requestBodies:
            Envelope:
              required: true
              description: An envelope the client signed (Go DMS JSON), at most 2 MiB.
              content:
                application/json:
                  schema: {type: object}
          responses:
            ActorReply:
              description: The reply envelope, the replies, or a confirmation.
              content:
                application/json:
                  schema: {}
            ActorError:
              description: The actor layer's refusal.
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      error: {type: string}
                      code: {type: string}
            BadRequest:
              description: A parameter breaks its rule (named, with its value and the rule).
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            NotFound:
              description: No such deployment or allocation.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            Unavailable:
              description: This node takes no part in deployments, or its store failed.
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
            Unauthorized:
              description: A token is required and was missing or not valid.
              content:
                text/plain:
                  schema: {type: string}
          schemas:
            Error:
              type: object
              properties:
                error:
                  type: object
                  properties:
                    message: {type: string}
            Health:
              type: object
              properties:
                status: {type: string}
                version: {type: string}
                commit: {type: string}
            Resources:
              type: object
              description: Go DMS shape.
              properties:
                cpu:
                  type: object
                  properties:
                    cores: {type: number}
                ram:
                  type: object
                  properties:
                    size: {type: integer, description: Bytes.}
                disk:
                  type: object
                  properties:
                    size: {type: integer, description: Bytes.}
                gpus: {type: array, items: {type: object}}
            Node:
              type: object
              properties:
                did: {type: string}
                peer_id: {type: string}
                version: {type: string}
                commit: {type: string}
                started_at: {type: number}
                listen_addresses: {type: array, items: {type: string}}
                peers:
                  type: array
                  items:
                    type: object
                    properties:
                      id: {type: string}
                      addresses: {type: array, items: {type: string}}
                      agent: {type: string}
                resources:
                  type: object
                  nullable: true
                  properties:
                    onboarded: {allOf: [{$ref: "#/components/schemas/Resources"}], nullable: true}
                    committed: {$ref: "#/components/schemas/Resources"}
                    allocated: {$ref: "#/components/schemas/Resources"}
                    free: {$ref: "#/components/schemas/Resources"}
            DeploymentBrief:
              type: object
              properties:
                id: {type: string}
                status: {type: string}
                created_at: {type: number}
                updated_at: {type: number}
                completed_at: {type: number}
                metadata: {type: object, additionalProperties: {type: string}}
            DeploymentListing:
              type: object
              properties:
                deployments: {type: array, items: {$ref: "#/components/schemas/DeploymentBrief"}}
                total: {type: integer}
            DeploymentDetail:
              type: object
              properties:
                id: {type: string}
                status: {type: string}
                reason: {type: string}
                created_at: {type: number}
                updated_at: {type: number}
                completed_at: {type: number}
                events:
                  type: array
                  items:
                    type: object
                    properties:
                      at: {type: number}
                      status: {type: string}
                      reason: {type: string}
                allocations:
                  type: array
                  items:
                    type: object
                    properties:
                      name: {type: string}
                      id: {type: string}
                      node: {type: string}
                      type: {type: string}
                      status: {type: string}
                      exit_code: {type: integer}
                      error: {type: string}
                      restarts: {type: integer}
                      progress: {type: string}
            HostedAllocation:
              type: object
              properties:
                id: {type: string}
                deployment_id: {type: string}
                executor: {type: string}
                status: {type: string}
                reason: {type: string}
                orchestrator: {type: string}
                resources: {$ref: "#/components/schemas/Resources"}
            LogChunk:
              type: object
              properties:
                stdout: {type: string}
                stderr: {type: string}
                stdout_offset: {type: integer}
                stderr_offset: {type: integer}
                running: {type: boolean}
            Figures:
              type: object
              properties:
                at: {type: number}
                cpu_allocated_cores: {type: number}
                cpu_free_cores: {type: number}
                ram_allocated_bytes: {type: integer}
                ram_free_bytes: {type: integer}
                messages_handled: {type: integer, description: Since start (a counter).}
                peers_connected: {type: integer}
                deployments_running: {type: integer}
        """#
}
