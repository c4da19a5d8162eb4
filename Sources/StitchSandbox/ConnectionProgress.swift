import StitchAPI
import StitchDestination

/// Where a source stands on its report card, worked out from what it has been given.
///
/// The steps are walked in order and the first unfinished one is current (spec §2.4.2):
/// - `form`, `oauth`, `profile`: finished once every required property is provided;
/// - `discover_schema`: simulated; finished a configurable delay after the steps before it
///   were (Stitch "moves to the next step by itself on success");
/// - `field_selection`: finished while at least one stream is selected [?] (deselecting every
///   stream sends the card back, since nothing would be replicated);
/// - `fully_configured`: the last step.
/// Nothing here runs in the background: the card is computed whenever it is shown.
enum ConnectionProgress {
    static func reportCard(for record: SourceRecord, definition: SourceTypeDefinition, now: UTCTimestamp)
        -> ReportCard
    {
        let provided = providedNames(of: record)
        let steps = definition.steps.map { step in
            var step = step
            for index in step.properties.indices {
                step.properties[index].provided = provided.contains(step.properties[index].name)
            }
            return step
        }
        let current = currentStepIndex(steps: steps, record: record, now: now)
        return ReportCard(type: definition.type, currentStep: current + 1, currentStepType: steps[current].type,
                          steps: steps)
    }

    /// Whether every required property of the steps before `discover_schema` is provided.
    static func isReadyForDiscovery(_ record: SourceRecord, definition: SourceTypeDefinition) -> Bool {
        let provided = providedNames(of: record)
        return definition.steps.prefix { $0.type != .discoverSchema }.allSatisfy { step in
            step.properties.allSatisfy { !$0.required || provided.contains($0.name) }
        }
    }

    /// Whether the simulated discovery has finished, so its streams can be shown and selected.
    static func hasDiscovered(_ record: SourceRecord, now: UTCTimestamp) -> Bool {
        guard let text = record.discoveryReadyAt, let readyAt = UTCTimestamp(iso8601: text) else { return false }
        return readyAt <= now
    }

    private static func providedNames(of record: SourceRecord) -> Set<String> {
        Set(record.source.properties.keys).union(record.providedCredentials)
    }

    private static func currentStepIndex(steps: [ConnectionStep], record: SourceRecord, now: UTCTimestamp) -> Int {
        for (index, step) in steps.enumerated() {
            let finished: Bool
            switch step.type {
            case .discoverSchema: finished = hasDiscovered(record, now: now)
            case .fieldSelection: finished = record.streams.contains { $0.selected == true }
            case .fullyConfigured: return index
            default: finished = step.properties.allSatisfy { !$0.required || $0.provided == true }
            }
            if !finished { return index }
        }
        return max(steps.count - 1, 0)
    }
}
