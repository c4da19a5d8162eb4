import RecordBatch
import StitchAPI
import Testing
import WizardCore

/// `BatchSender`: one request at a time, each from where the last ended; progress; stop between
/// requests; a refusal ends the run.
struct BatchSenderTests {
    static let batch = Sending.rows(45_000)

    @Test func fortyFiveThousandRowsGoAsThreeRequestsOneAtATime() throws {
        var sender = BatchSender()
        var effect = sender.start(Self.batch, token: Fixtures.token, importBaseURL: "http://127.0.0.1:8787")
        guard case .sendPart(_, _, 0, nil, _, _)? = effect else { Issue.record("first request from row 0, base from the runner"); return }
        var rows: [Range<Int>] = []
        var time: Int64 = 1_700_000_000_000
        var summary: BatchSender.Summary?
        while let current = effect {
            let part = try Sending.answer(current, status: 201, sentAt: time, latency: .milliseconds(500))
            rows.append(part.rows)
            time += 1_000
            switch sender.receive(part) {
            case .next(let next):
                // Later requests carry the first one's sequence base, so sequences keep rising.
                guard case .sendPart(_, _, let row, let base, _, _) = next else { Issue.record("\(next)"); return }
                #expect(row == part.rows.upperBound)
                #expect(base == 1_700_000_000_000)
                #expect(sender.progress?.recordsSent == part.rows.upperBound)
                effect = next
            case .ended(let ended):
                summary = ended
                effect = nil
            case .notTheRuns:
                Issue.record("the run's own reply")
                effect = nil
            }
        }
        #expect(rows == [0..<20_000, 20_000..<40_000, 40_000..<45_000])
        #expect(summary?.text == "sent 45,000 records in 3 batches")
        #expect(!sender.isSending && sender.progress == nil)
        #expect(sender.lastSummary == summary)
    }

    @Test func progressCountsRecordsBatchesRateAndETA() throws {
        var sender = BatchSender()
        let first = sender.start(Self.batch, token: Fixtures.token, importBaseURL: "http://127.0.0.1:8787")
        #expect(sender.progress?.text == "0 / 45,000 records · 0 batches", "no rate before a reply")
        // 20,000 records accepted one second after the send began: 20,000 records/s, 25,000 left.
        let reply = try Sending.answer(first, status: 201, sentAt: 10_000, latency: .seconds(1))
        guard case .next = sender.receive(reply) else { Issue.record("a next request"); return }
        let progress = try #require(sender.progress)
        #expect(progress.recordsSent == 20_000 && progress.batchesSent == 1)
        #expect(progress.recordsPerSecond == 20_000)
        #expect(progress.secondsLeft == 2)
        #expect(progress.text == "20,000 / 45,000 records · 1 batch · 20,000 records/s · ETA 0:02")
    }

    @Test func escStopsBetweenRequestsAndSaysWhatWasSent() throws {
        var sender = BatchSender()
        let first = sender.start(Self.batch, token: Fixtures.token, importBaseURL: "http://127.0.0.1:8787")
        sender.stop()
        #expect(sender.progress?.isStopping == true)
        #expect(sender.progress?.text.hasSuffix("stopping after this batch") == true)
        // The request in flight is answered and counted; no other leaves.
        let step = sender.receive(try Sending.answer(first, status: 201, sentAt: 0))
        guard case .ended(let summary) = step else { Issue.record("\(step)"); return }
        #expect(summary.text == "sent 20,000 of 45,000 records in 1 batch; stopped")
        #expect(!sender.isSending)
    }

    @Test func aRefusalMidRunEndsIt() throws {
        var sender = BatchSender()
        let first = sender.start(Self.batch, token: Fixtures.token, importBaseURL: "http://127.0.0.1:8787")
        guard case .next(let second) = sender.receive(try Sending.answer(first, status: 201, sentAt: 0)) else {
            Issue.record("a second request"); return
        }
        // The token was revoked meanwhile.
        guard case .ended(let summary) = sender.receive(try Sending.answer(second, status: 401, sentAt: 1_000)) else {
            Issue.record("the run ends"); return
        }
        #expect(summary.text == "sent 20,000 of 45,000 records in 1 batch; stopped: batch 2 was refused (HTTP 401)")
        #expect(summary.ending == .refused(batch: 2, statusCode: 401, reason: #"{"status":"ERROR","error":"Not Authorized."}"#))
    }

    @Test func aRequestWithoutAReplyEndsTheRun() throws {
        var sender = BatchSender()
        let first = sender.start(Self.batch, token: Fixtures.token, importBaseURL: "http://127.0.0.1:8787")
        guard case .ended(let summary) = sender.receive(try Sending.answer(first, status: nil, sentAt: 0)) else {
            Issue.record("the run ends"); return
        }
        #expect(summary.text == "sent 0 of 45,000 records in 0 batches; stopped: batch 1 got no reply (connection refused)")
    }

    @Test func oneRunAtATimeAndNothingForAnEmptyBatch() throws {
        var sender = BatchSender()
        #expect(sender.start(RecordBatch(tableName: "empty"), token: Fixtures.token, importBaseURL: "http://x") == nil)
        #expect(sender.start(Sending.rows(3), token: Fixtures.token, importBaseURL: "http://x") != nil)
        #expect(sender.start(Sending.rows(3), token: Fixtures.token, importBaseURL: "http://x") == nil)
        // A reply to another request (a resend's) is not the run's.
        let other = SentPart(id: 999, rows: 0..<1, tableName: "events", url: "", requestBytes: 0, requestPreview: "",
                             statusCode: 201, body: "", latency: .zero, sentAt: 0, sequenceBase: 0)
        #expect(sender.receive(other) == .notTheRuns)
        #expect(sender.isSending)
    }
}
