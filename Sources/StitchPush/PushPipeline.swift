import Foundation
import RecordInput
import StitchAPI

/// Runs a push: a reader thread streams the input into batches, the dispatcher sends them.
///
/// The reader runs on a thread of its own because reading blocks (a pipe from a tap may be quiet
/// for minutes), and blocking a thread of Swift's small cooperative pool would stall the sends.
public enum PushPipeline {
    public static func run(input: PushInput, mode: PushMode, transport: some BatchTransport,
                           configuration: PushConfiguration, events: PushEvents = PushEvents(),
                           progress: (@Sendable (PushProgress) -> Void)? = nil) async -> PushSummary {
        let dispatcher = BatchDispatcher(transport: transport, configuration: configuration, events: events,
                                         totalBytes: input.size)
        let clock = ContinuousClock()
        let start = clock.now
        let ticker = progress.map { report in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    if Task.isCancelled { break }
                    report(dispatcher.progress)
                }
            }
        }
        var summary = await withCheckedContinuation { (continuation: CheckedContinuation<PushSummary, Never>) in
            let thread = Thread {
                let inputError = produce(input: input, mode: mode, limits: configuration.limits, dispatcher: dispatcher)
                dispatcher.drain()
                continuation.resume(returning: dispatcher.summary(inputError: inputError))
            }
            thread.name = "stitch-push reader"
            thread.start()
        }
        ticker?.cancel()
        summary.elapsed = clock.now - start
        return summary
    }

    /// Reads everything (or until the push stops) and submits the batches. Returns the input
    /// error that stopped it, if any.
    private static func produce(input: PushInput, mode: PushMode, limits: BatchLimits, dispatcher: BatchDispatcher)
        -> InputError?
    {
        let bytes = input.open()
        // A record may take a whole request; a line a little more (the Singer envelope around it).
        let maximumRecordBytes = limits.maximumBytes
        do throws(InputError) {
            switch mode {
            case .records(let format, let header):
                let keyNames = header.keyNames ?? []
                switch format {
                case .jsonl:
                    var reader = JSONLinesReader(input: bytes, keyNames: keyNames, maximumRecordBytes: maximumRecordBytes)
                    try pushRecords(&reader, header: header, limits: limits, dispatcher: dispatcher)
                case .json:
                    var reader = JSONArrayReader(input: bytes, keyNames: keyNames, maximumRecordBytes: maximumRecordBytes)
                    try pushRecords(&reader, header: header, limits: limits, dispatcher: dispatcher)
                case .csv:
                    let schema = try? JSONSchema(header.schema)
                    var reader = CSVReader(input: bytes, keyNames: keyNames, schema: schema,
                                           maximumRecordBytes: maximumRecordBytes)
                    try pushRecords(&reader, header: header, limits: limits, dispatcher: dispatcher)
                case .batch, .singer:
                    preconditionFailure("\(format) input is not a table's records")
                }
            case .batches:
                try pushBatches(bytes, limits: limits, dispatcher: dispatcher)
            case .singer:
                try pushSinger(bytes, limits: limits, dispatcher: dispatcher)
            }
            return nil
        } catch {
            return error
        }
    }

    private static func pushRecords(_ reader: inout some RecordReader, header: BatchHeader, limits: BatchLimits,
                                    dispatcher: BatchDispatcher) throws(InputError) {
        var builder = BatchBuilder(header: header, limits: limits)
        var clock = SequenceClock()
        let keyNames = header.keyNames ?? []
        var unreported = 0
        do throws(InputError) {
            while let record = try reader.next() {
                try KeyValues.check(record, keyNames: keyNames)
                unreported += 1
                if let closed = try builder.appendUpsert(data: record.data, dataPoints: record.dataPoints,
                                                         sequence: clock.next(), line: record.line) {
                    // The record just read went into the next batch, not this one.
                    dispatcher.noteRead(records: unreported - 1, bytes: reader.bytesRead)
                    unreported = 1
                    guard dispatcher.submit(closed) else { return }
                }
            }
        } catch {
            // Everything before the bad record is sent, so "stopped at line N" means exactly that.
            // (A record the builder refused was never added.)
            let refused = builder.bufferedMessages < unreported ? 1 : 0
            dispatcher.noteRead(records: unreported - refused, bytes: reader.bytesRead)
            if let partial = builder.finish() { _ = dispatcher.submit(partial) }
            throw error
        }
        dispatcher.noteRead(records: unreported, bytes: reader.bytesRead)
        if let last = builder.finish() { _ = dispatcher.submit(last) }
    }

    private static func pushBatches(_ input: ByteInput, limits: BatchLimits, dispatcher: BatchDispatcher)
        throws(InputError) {
        var stream = JSONObjectStream(input: input, insideArray: false, maximumObjectBytes: limits.maximumBytes,
                                      what: "batch")
        while let (bytes, line) = try stream.next() {
            let request: BatchRequest
            do {
                request = try BatchRequest(json: JSONParser.parse(bytes))
            } catch {
                throw InputError(line: line, "batch \(stream.count) is not a batch body: \(error)")
            }
            let header = BatchHeader(tableName: request.tableName, schema: request.schema, keyNames: request.keyNames,
                                     tableVersion: request.tableVersion, bookmarkNames: request.bookmarkNames)
            var builder = BatchBuilder(header: header, limits: limits)
            for message in request.messages {
                let dataPoints = message.data.map { DataPoints.count(in: .object($0)) } ?? 0
                if let closed = try builder.appendMessage(message, dataPoints: dataPoints, line: line) {
                    guard dispatcher.submit(closed) else { return }
                }
            }
            dispatcher.noteRead(records: request.messages.count, bytes: input.totalBytesRead)
            if let last = builder.finish() {
                guard dispatcher.submit(last) else { return }
            }
        }
    }

    private static func pushSinger(_ input: ByteInput, limits: BatchLimits, dispatcher: BatchDispatcher)
        throws(InputError) {
        var reader = SingerReader(input: input, maximumLineBytes: limits.maximumBytes + 64 * 1024)
        var mapper = SingerMapper(limits: limits)
        func forward(_ outputs: [SingerMapper.Output]) -> Bool {
            for output in outputs {
                switch output {
                case .batch(let batch):
                    guard dispatcher.submit(batch) else { return false }
                case .state(let value):
                    dispatcher.pass(state: value)
                }
            }
            return true
        }
        var unreported = 0
        while let message = try reader.next() {
            if case .record = message { unreported += 1 }
            let outputs = try mapper.map(message)
            if !outputs.isEmpty {
                dispatcher.noteRead(records: unreported, bytes: reader.bytesRead)
                unreported = 0
            }
            guard forward(outputs) else { return }
        }
        dispatcher.noteRead(records: unreported, bytes: reader.bytesRead)
        _ = forward(mapper.finish())
    }
}

/// The key rules of the Import API checked per record before sending, so the error names the
/// record's line rather than a whole batch (spec §3.3: key values present, not null, strings
/// shorter than 256 characters).
enum KeyValues {
    static func check(_ record: InputRecord, keyNames: [String]) throws(InputError) {
        for (index, key) in keyNames.enumerated() {
            let member = index < record.keys.count ? record.keys[index] : nil
            guard let member, member.kind != .null else {
                throw InputError(line: record.line, "the record has no value for the key \(key) (a key property must be present and not null)")
            }
            if member.kind == .string, member.valueRange.count > ImportLimits.maximumStringKeyLength + 2,
               case .string(let text)? = try? JSONParser.parse(record.data[member.valueRange]),
               text.utf16.count > ImportLimits.maximumStringKeyLength {
                throw InputError(line: record.line,
                                 "the key \(key) is \(text.utf16.count) characters long; the Import API takes string keys of at most \(ImportLimits.maximumStringKeyLength)")
            }
        }
    }
}
