import DMSActor
import DMSMessages
import Foundation
import Testing

@Suite struct ObservabilityPayloadTests {
    @Test func metricLabelsComeFromAFixedSetWhateverTheName() {
        #expect(Behaviors.metricLabel(for: "/public/hello") == "/public/hello")
        #expect(Behaviors.metricLabel(for: Behaviors.allocationStart.name) == "/dms/allocation/start")
        #expect(Behaviors.metricLabel(for: "/dms/actor/replyto/1733526000123") == "/dms/actor/replyto")
        #expect(Behaviors.metricLabel(for: "/dms/deployment/bid/ens-1/5F2C") == "/dms/deployment/bid")
        #expect(Behaviors.metricLabel(for: "/dms/deployment/bidder") == "other")
        #expect(Behaviors.metricLabel(for: "/anything/\(UUID().uuidString)") == "other")
        #expect(Behaviors.catalogueNames.contains(Behaviors.loggerConfig.name))
    }

    /// The Go CLI's request, with its zero values for the fields it did not set.
    @Test func theGoLoggerConfigRequestDecodesAndNamesWhatThisNodeCannotDo() throws {
        let go = #"{"interval":0,"url":"","level":"debug","api_key":"","apm_url":"","elastic_enabled":false}"#
        let request = try JSONDecoder().decode(LoggerConfigRequest.self, from: Data(go.utf8))
        #expect(request.level == "debug")
        #expect(request.unsupportedFields.isEmpty)
        let elastic = #"{"url":"https://es:9200","interval":5,"elastic_enabled":true}"#
        let refused = try JSONDecoder().decode(LoggerConfigRequest.self, from: Data(elastic.utf8))
        #expect(refused.unsupportedFields == ["url", "interval", "elastic_enabled"])
    }
}
