import Foundation
import RecordBatch
import RecordInput
import StitchAPI
import StitchClient
import WizardCore

#if canImport(Glibc)
import Glibc
#endif

/// The record editor's requests (issue 8): one part of its batch at a time, and what happened to
/// it after (`GET /v4/{client_id}/loads`, the in-process sandbox's destination).
extension EffectRunner {
    /// Makes the request of `batch` that starts at `row` and POSTs it. Every outcome is a
    /// `SentPart`: a refusal carries its status and body, a request that got no reply or could not
    /// be made carries `failure`, so the sender always learns which rows it is about.
    func sendPart(id: Int, _ batch: RecordBatch, fromRow row: Int, sequenceBase: Int64?, token: ImportAccessToken,
                  importBaseURL: String) async -> SentPart {
        let base = sequenceBase ?? Self.wallMilliseconds()
        let url = importBaseURL.hasSuffix("/") ? importBaseURL + "v2/import/batch" : importBaseURL + "/v2/import/batch"
        var splitter = BatchSplitter(batch, startingAt: row, now: base)
        let made: BatchSplitter.Part?
        do {
            made = try splitter.next()
        } catch {
            let bad = error.row ?? row
            return SentPart(id: id, rows: bad..<bad, tableName: batch.tableName, url: url, requestBytes: 0,
                            requestPreview: "", statusCode: nil, body: "", latency: .zero, sentAt: Self.wallMilliseconds(),
                            sequenceBase: base, failure: "Cannot be sent: \(error.description)")
        }
        guard let part = made else {
            return SentPart(id: id, rows: row..<row, tableName: batch.tableName, url: url, requestBytes: 0, requestPreview: "",
                            statusCode: nil, body: "", latency: .zero, sentAt: Self.wallMilliseconds(), sequenceBase: base,
                            failure: "No rows left to send from row \(row + 1).")
        }
        let body = part.batch.body
        let preview = String(decoding: body.prefix(SentPart.previewBytes), as: UTF8.self)
        func reply(_ status: Int?, _ text: String, _ latency: Duration, _ sentAt: Int64, failure: String? = nil) -> SentPart {
            SentPart(id: id, rows: part.rows, tableName: batch.tableName, url: url, requestBytes: body.count,
                     requestPreview: preview, statusCode: status, body: text, latency: latency, sentAt: sentAt,
                     sequenceBase: base, failure: failure)
        }
        let sentAt = Self.wallMilliseconds()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let client = try ImportClient(baseURL: importBaseURL, token: token.accessToken)
            // postBatch: every status is a reply to show, not an error to map.
            let answer = try await client.postBatch(body: body)
            return reply(answer.statusCode, answer.bodyText, answer.latency, sentAt)
        } catch {
            let failure = Self.failure(from: error)
            return reply(nil, failure.message, clock.now - start, sentAt, failure: failure.message)
        }
    }

    func readLoad(id: Int, schema: String, table: String, sinceMilliseconds: Int64) async -> WizardEvent {
        guard let loadReader else {
            return .reply(.failed(.readLoad, WizardFailure(message: "The destination can only be read in --sandbox mode.")))
        }
        do {
            var readback = try await loadReader(schema, table, sinceMilliseconds)
            readback.id = id
            return .reply(.loadRead(readback))
        } catch {
            return .reply(.failed(.readLoad, WizardFailure(message: "\(error)")))
        }
    }

    /// Milliseconds since the epoch: the one clock the editor's times come from (the reducer is
    /// handed them in replies, so it stays a pure function of its events).
    static func wallMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000 + Int64(time.tv_nsec) / 1_000_000
    }
}
