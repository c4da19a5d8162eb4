import Foundation
import StitchAPI
import StitchDestination

/// The sandbox's stand-in for Stitch's `discover_schema` step: no database is asked; the
/// source type's catalogue of streams is "found" and the step finishes after a delay.
enum DiscoverySimulation {
    /// Once the steps before `discover_schema` are complete, discovery starts: it records its
    /// connection-check job name, finds the type's streams, and finishes after `delay`. It runs
    /// once per source [?] (Stitch re-checks after some property changes; the sandbox's streams
    /// would come out the same).
    static func startIfReady(_ record: inout SourceRecord, definition: SourceTypeDefinition,
                             state: inout ConnectState, now: UTCTimestamp, delay: Duration) {
        guard definition.discoversSchema, record.discoveryReadyAt == nil,
              ConnectionProgress.isReadyForDiscovery(record, definition: definition) else { return }
        let components = delay.components
        let readyAt = UTCTimestamp(secondsSinceEpoch: now.secondsSinceEpoch + components.seconds,
                                   microseconds: now.microseconds + components.attoseconds / 1_000_000_000_000)
        record.discoveryReadyAt = readyAt.destinationText
        record.discoveryStartedAt = now.destinationText
        record.source.checkJobName = "\(state.stitchClientID).\(record.source.id).check."
            + UUID().uuidString.lowercased()
        let database = record.source.properties["dbname"]?.stringValue
        for template in definition.discovery.streams {
            state.lastStreamID += 1
            let tapStreamID = switch definition.discovery.style {
            case .database: "\(database ?? "postgres")-public-\(template.name)"
            case .saas: template.name
            }
            record.streams.append(StreamRecord(streamID: state.lastStreamID, tapStreamID: tapStreamID,
                                               streamName: template.name, databaseName: database,
                                               chosenMetadata: [:], selectedFields: [:]))
        }
    }

    /// `GET /v4/sources/{id}/last-connection-check`: the simulated discovery as a connection
    /// check job, `running` until it finishes and then `succeeded` with every exit status 0
    /// (the sandbox connects to nothing, so its check cannot fail). Nil while no check has run:
    /// the form is not complete yet, or the type has no `discover_schema` step (`import_api`).
    static func connectionCheck(of record: SourceRecord, now: UTCTimestamp) -> ConnectionCheck? {
        guard let name = record.source.checkJobName, let readyText = record.discoveryReadyAt,
              let readyAt = UTCTimestamp(iso8601: readyText) else { return nil }
        let startedAt = record.discoveryStartedAt.flatMap { UTCTimestamp(iso8601: $0) }
        guard readyAt <= now else {
            return ConnectionCheck(name: name, status: .running, startTime: startedAt?.secondsText, error: false)
        }
        return ConnectionCheck(name: name, status: .succeeded, startTime: startedAt?.secondsText,
                               completionTime: readyAt.secondsText, error: false, checkExitStatus: 0,
                               discoveryExitStatus: 0, tapExitStatus: 0, targetExitStatus: 0)
    }
}
