import DMSConfig
import DMSCore
import Instrumentation
import Logging
import OTel
import ServiceLifecycle

/// Trace export: when `observability.otlp_endpoint` is set, the daemon's spans (one per handled message, plus a
/// deployment's placement steps) go to that OTLP/HTTP collector as protobuf, batched; otherwise no tracer is set
/// and spans cost next to nothing. The tracer is the process's `InstrumentationSystem` one (swift-otel's model:
/// one daemon per process), bootstrapped once here; the returned service exports and flushes on shutdown.
public enum NodeTracing {
    /// The exporting service, or nil when tracing is off. `instance` (the node's peer ID) tells the nodes of a
    /// trace apart.
    public static func service(config: EffectiveConfig, instance: String, logger: Logger) throws -> (any Service)? {
        guard let endpoint = config.otlpEndpoint else { return nil }
        var otel = OTel.Configuration.default
        otel.serviceName = "nunet"
        otel.resourceAttributes = ["service.version": BuildInfo.version, "service.instance.id": instance]
        otel.diagnosticLogger = .custom(logger)
        otel.propagators = [.traceContext]
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.traces.exporter = .otlp
        otel.traces.otlpExporter.protocol = .httpProtobuf
        otel.traces.otlpExporter.endpoint = tracesURL(endpoint)
        // Spans reach the collector within about a second, not the default five.
        otel.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        let backend = try OTel.makeTracingBackend(configuration: otel)
        InstrumentationSystem.bootstrap(backend.factory)
        logger.info("exporting trace spans", metadata: ["url": "\(tracesURL(endpoint))"])
        return backend.service
    }

    /// `<base>/v1/traces`, as OTLP/HTTP defines the path.
    static func tracesURL(_ base: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
    }
}
