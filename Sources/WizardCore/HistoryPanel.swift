import RecordBatch
import StitchAPI
import TerminalUI

/// The record editor's history (issue 8 item 5): every request sent, with its reply and where it
/// is on its way into the destination. It also owns the `BatchSender`, so one value follows a send
/// from its first request to its last load. `Enter` opens a request's detail (request, body
/// preview, reply, copy as curl), `r` resends it; Esc stops a send between requests.
///
/// Following: after a 2xx the entry waits for its stream's load, found by polling
/// `GET /v4/{client_id}/loads` (one poll at a time for every waiting entry, `LoadPolling`'s
/// back-off); with the in-process sandbox the destination is then read for the table's rows and
/// this request's records in `_sdc_rejected`.
public struct HistoryPanel: EditorPanel {
    public var sender = BatchSender()
    /// Oldest first.
    public private(set) var entries: [HistoryEntry] = []
    /// The selected entry (an index of `entries`).
    public var selection = 0
    /// The entry whose detail is open.
    public var detail: Int?
    /// First line of the detail shown.
    public var detailScroll = 0
    /// A `.pollLoads` is scheduled or in flight.
    public private(set) var isPolling = false
    /// Polls in a row that changed nothing (for the back-off).
    public private(set) var fruitlessPolls = 0
    /// Why the last poll or destination read failed.
    public private(set) var followProblem: String?
    /// Why the last send could not start.
    public var message: String?
    /// Resends in flight: request id → (batch, entry resent).
    private var resends: [Int: Resend] = [:]

    struct Resend: Sendable, Equatable {
        var batch: RecordBatch
        var entry: Int
    }

    public init() {}

    public enum Action: Sendable, Equatable {
        case up, down, top, bottom, pageUp, pageDown, open, close, resend, stop
    }

    public var isSending: Bool { sender.isSending }

    /// The last request was refused for its token (401): the editor offers a new one.
    public var lastWasUnauthorized: Bool { entries.last?.part.statusCode == 401 }

    // MARK: Keys

    /// Esc stops a send; the editor lists this among its global keys while one runs, whatever has focus.
    public var sendingBindings: [KeyBinding<Action>] {
        guard let run = sender.run else { return [] }
        return [KeyBinding([.escape], "esc", run.isStopping ? "stopping…" : "stop sending", .stop)]
    }

    public func keyBindings(_ context: EditorContext) -> [KeyBinding<Action>] {
        var keys = sendingBindings
        if detail != nil {
            // While a send runs Esc stops it, so Enter alone goes back.
            keys.append(keys.isEmpty ? KeyBinding([.escape, .enter], "esc", "back to the list", .close)
                                     : KeyBinding([.enter], "enter", "back to the list", .close))
            keys += [
                KeyBinding([.up], "↑↓", "scroll", .up),
                KeyBinding([.down], "↓", "", .down, listed: false),
                KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
                KeyBinding([.pageDown], "pgdn", "", .pageDown, listed: false),
            ]
            if context.session.token != nil { keys.append(KeyBinding([.character("r")], "r", "resend", .resend)) }
            return keys
        }
        guard !entries.isEmpty else { return keys }
        keys += [
            KeyBinding([.up], "↑↓", "select", .up),
            KeyBinding([.down], "↓", "", .down, listed: false),
            KeyBinding([.pageUp], "pgup", "", .pageUp, listed: false),
            KeyBinding([.pageDown], "pgdn", "", .pageDown, listed: false),
            KeyBinding([.home], "home", "", .top, listed: false),
            KeyBinding([.end], "end", "", .bottom, listed: false),
            KeyBinding([.enter], "enter", "details", .open),
        ]
        if context.session.token != nil { keys.append(KeyBinding([.character("r")], "r", "resend", .resend)) }
        return keys
    }

    public mutating func perform(_ action: Action, _ context: inout EditorContext) -> [EditorCommand] {
        let page = max(1, context.size.rows - 8)
        switch action {
        case .stop:
            sender.stop()
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            let step: Int = switch action {
            case .up: -1
            case .down: 1
            case .pageUp: -page
            case .pageDown: page
            case .top: -Int.max / 2
            default: Int.max / 2
            }
            if let index = detail, entries.indices.contains(index) {
                detailScroll = min(max(0, detailScroll + step), maximumDetailScroll(entries[index], context))
            } else if !entries.isEmpty {
                selection = min(max(0, selection + step), entries.count - 1)
            }
        case .open:
            guard entries.indices.contains(selection) else { return [] }
            detail = selection
            detailScroll = 0
        case .close:
            detail = nil
        case .resend:
            return resend(detail ?? selection, context)
        }
        return []
    }

    /// The detail scrolls until its last line is at the bottom of the panel, which the editor draws
    /// in its layout's main box: taking the terminal's height less a guess at the chrome left the
    /// end of the detail (copy as curl) out of reach, as the reply strip shares the screen with it.
    func maximumDetailScroll(_ entry: HistoryEntry, _ context: EditorContext) -> Int {
        let area = EditorLayout(size: context.size).mainContent
        let lines = HistoryDetail.lines(entry, isSandbox: context.session.target.isSandbox, width: max(1, area.width))
        return max(0, lines.count - max(1, area.height))
    }

    // MARK: Sending

    /// Sends every row of the document's batch (the editor's Ctrl-S), unless a send runs, the batch
    /// has problems (nothing is sent while any remains), or there is no token.
    public mutating func send(_ context: inout EditorContext) -> [EditorCommand] {
        guard !sender.isSending else { return [] }
        guard context.document.problems.isEmpty else {
            message = "Not sent: fix the \(context.document.problems.count) problem\(context.document.problems.count == 1 ? "" : "s") first."
            return []
        }
        guard let token = context.session.token else {
            message = "Not sent: there is no Import API token."
            return []
        }
        guard let effect = sender.start(context.document.batch, token: token, importBaseURL: context.session.target.importBaseURL)
        else {
            message = "Not sent: the batch has no rows."
            return []
        }
        message = nil
        return [.wizard(.run(effect))]
    }

    mutating func resend(_ index: Int, _ context: EditorContext) -> [EditorCommand] {
        guard entries.indices.contains(index), let token = context.session.token else { return [] }
        let entry = entries[index]
        let id = sender.issueID()
        resends[id] = Resend(batch: entry.batch, entry: entry.number)
        // A new sequence base: the rows go out with newer sequences, so they win over the first send.
        return [.wizard(.run(.sendPart(id: id, entry.batch, fromRow: entry.part.rows.lowerBound, sequenceBase: nil,
                                       token: token, importBaseURL: context.session.target.importBaseURL)))]
    }

    // MARK: Replies

    public mutating func receive(_ reply: WizardReply, _ context: inout EditorContext) -> [EditorCommand] {
        switch reply {
        case .partSent(let part):
            return record(part, context)
        case .loads(let loads, let polledAt):
            isPolling = false
            followProblem = nil
            return follow(loads, polledAt: polledAt, context)
        case .failed(.pollLoads, let failure):
            isPolling = false
            followProblem = "Could not read the loads: " + failure.message
            if let status = failure.statusCode, [401, 403].contains(status) {
                // The Connect token cannot read this client's loads: asking again would not help.
                for index in entries.indices where entries[index].load.isWaiting {
                    entries[index].load = .notFollowed("the loads endpoint refused the Connect token (HTTP \(status))")
                }
                return []
            }
            fruitlessPolls += 1
            return schedulePoll(context)
        case .loadRead(let readback):
            if let index = entries.firstIndex(where: { $0.part.id == readback.id }) { entries[index].readback = readback }
        case .failed(.readLoad, let failure):
            followProblem = "Could not read the destination: " + failure.message
        default:
            break
        }
        return []
    }

    /// A request's reply: a new entry, and the run's next request (or its end).
    mutating func record(_ part: SentPart, _ context: EditorContext) -> [EditorCommand] {
        let batch: RecordBatch
        var resendOf: Int?
        if let run = sender.run, run.pendingID == part.id {
            batch = run.batch
        } else if let resend = resends.removeValue(forKey: part.id) {
            batch = resend.batch
            resendOf = resend.entry
        } else {
            return []
        }
        var commands: [EditorCommand] = []
        if case .next(let effect) = sender.receive(part) { commands.append(.wizard(.run(effect))) }
        let followed = part.isAccepted && context.session.source != nil
        let load: LoadState = !part.isAccepted ? .notAccepted
            : followed ? .waiting(waited: 0) : .notFollowed("no source to follow it in")
        let wasAtEnd = selection >= entries.count - 1
        entries.append(HistoryEntry(number: entries.count + 1, part: part, batch: batch, resendOf: resendOf, load: load))
        if wasAtEnd { selection = entries.count - 1 }
        commands.append(.wizard(.note(.batchesSent(accepted: entries.filter(\.part.isAccepted).count, total: entries.count))))
        if followed {
            fruitlessPolls = 0
            commands += schedulePoll(context)
        }
        return commands
    }

    /// One poll for every waiting entry, unless one is on its way.
    mutating func schedulePoll(_ context: EditorContext) -> [EditorCommand] {
        guard !isPolling, entries.contains(where: { $0.load.isWaiting }), let source = context.session.source else { return [] }
        isPolling = true
        let delay = LoadPolling.delay(afterFruitlessPolls: fruitlessPolls, isSandbox: context.session.target.isSandbox)
        return [.wizard(.run(.after(delay, .pollLoads(clientID: source.stitchClientID, via: context.session.target))))]
    }

    /// The loads endpoint's answer: waiting entries whose stream loaded since they were sent are
    /// loaded (and, with the sandbox, their destination read), those whose stream is in error
    /// failed; the rest wait for the next poll.
    mutating func follow(_ loads: [StreamLoad], polledAt: Int64, _ context: EditorContext) -> [EditorCommand] {
        guard let source = context.session.source else { return [] }
        var commands: [EditorCommand] = []
        var changed = false
        for index in entries.indices where entries[index].load.isWaiting {
            let part = entries[index].part
            let waited = max(0, polledAt - part.sentAt)
            let load = LoadPolling.load(of: part.tableName, sourceName: source.name, in: loads)
            if let load, LoadPolling.isLoaded(load.lastBatchLoadedAt, sentAt: part.sentAt) {
                entries[index].load = .loaded(at: load.lastBatchLoadedAt ?? "", waited: waited)
            } else if let load, load.isInError {
                // [?] A stream in error since before this request would show its old error: the
                // endpoint keeps only the last attempt, so that is all a client can know.
                entries[index].load = .loadError(load.errorMessage ?? "load error", waited: waited)
            } else {
                entries[index].load = .waiting(waited: waited)
                continue
            }
            changed = true
            if context.session.target.isSandbox {
                commands.append(.wizard(.run(.readLoad(id: part.id, schema: source.name, table: part.tableName,
                                                       sinceMilliseconds: part.sentAt))))
            }
        }
        fruitlessPolls = changed ? 0 : fruitlessPolls + 1
        return commands + schedulePoll(context)
    }

    // MARK: Views' helpers

    /// The progress line of a running send, or the last send's summary.
    public var statusText: String? {
        if let progress = sender.progress { return progress.text }
        return message ?? sender.lastSummary?.text
    }

    /// The entries' totals: "3 batches · 2 accepted · 1 loaded".
    public var totals: String {
        let accepted = entries.filter(\.part.isAccepted).count
        let loaded = entries.filter { if case .loaded = $0.load { true } else { false } }.count
        let waiting = entries.filter(\.load.isWaiting).count
        var text = "\(entries.count) batch\(entries.count == 1 ? "" : "es") · \(accepted) accepted"
        if loaded > 0 { text += " · \(loaded) loaded" }
        if waiting > 0 { text += " · \(waiting) waiting for load" }
        return text
    }
}
