import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// Issue 10: while "terminal too small" is shown, no key but Ctrl-C may act on the hidden screen.
struct TooSmallGateTests {
    static let tooSmall = Size(columns: 48, rows: 14)

    /// One state per screen (and sub-mode) a key could act on.
    static func screens() throws -> [(String, WizardState)] {
        var connect = WizardState(target: Fixtures.remoteTarget)
        connect.connectForm.token.text = "ac_typed"

        let working = WizardState(target: Fixtures.sandboxTarget)

        var displayName = WizardState(target: Fixtures.remoteTarget)
        _ = WizardReducer.reduce(&displayName, .sourceTypeLoaded(try Fixtures.card()))

        var token = WizardState(target: Fixtures.sandboxTarget)
        for event: WizardEvent in [.sourceTypeLoaded(try Fixtures.card()), .key(.enter), .sourceCreated(try Fixtures.source()),
                                   .tokenCreated(Fixtures.token)] {
            _ = WizardReducer.reduce(&token, event)
        }
        var tokenSaving = token
        _ = WizardReducer.reduce(&tokenSaving, .key(.character("s")))

        var editor = token
        _ = WizardReducer.reduce(&editor, .key(.character("y")))

        var destination = editor
        _ = WizardReducer.reduce(&destination, .key(.control("d")))

        var unsupported = WizardState(target: Fixtures.remoteTarget)
        _ = WizardReducer.reduce(&unsupported, .sourceTypeLoaded(
            ReportCard(type: "import_api", currentStep: 1, steps: [ConnectionStep(type: .oauth)])))

        var failure = WizardState(target: Fixtures.remoteTarget)
        _ = WizardReducer.reduce(&failure, .failed(.fetchSourceType, WizardFailure(statusCode: 502, message: "Bad gateway")))

        return [("connect", connect), ("working", working), ("display name", displayName), ("token", token),
                ("token saving", tokenSaving), ("editor", editor), ("destination", destination),
                ("unsupported step", unsupported), ("failure", failure)]
    }

    static let keys: [(String, Key)] = [
        ("typed text", .character("x")), ("Enter", .enter), ("y", .character("y")), ("s", .character("s")),
        ("r", .character("r")), ("Esc", .escape), ("Ctrl-S", .control("s")), ("Ctrl-D", .control("d")),
        ("Ctrl-R", .control("r")), ("Tab", .tab), ("Backspace", .backspace), ("paste", .paste("pasted\ntext")),
    ]

    @Test func everyKeyButCtrlCIsDroppedOnEveryScreen() throws {
        for (screen, visible) in try Self.screens() {
            var hidden = visible
            _ = WizardReducer.reduce(&hidden, .resized(Self.tooSmall))
            #expect(hidden.isTooSmall)
            for (name, key) in Self.keys {
                var state = hidden
                let effects = WizardReducer.reduce(&state, .key(key))
                #expect(effects.isEmpty, "\(name) on the hidden \(screen) screen asked for \(effects)")
                #expect(state == hidden, "\(name) changed the hidden \(screen) screen")
            }
        }
    }

    @Test func theSameKeysDoActOnceTheWindowIsLargeEnough() throws {
        // The gate is about visibility only: at 60×20 Enter on the display name creates the source.
        var state = try #require(try Self.screens().first { $0.0 == "display name" }).1
        _ = WizardReducer.reduce(&state, .resized(Self.tooSmall))
        #expect(WizardReducer.reduce(&state, .key(.enter)).isEmpty)
        _ = WizardReducer.reduce(&state, .resized(WizardState.minimumSize))
        #expect(!WizardReducer.reduce(&state, .key(.enter)).isEmpty)
    }

    @Test func ctrlCStillQuitsWhereNothingIsAtStake() throws {
        for (screen, visible) in try Self.screens() where screen != "token" && screen != "token saving" {
            var state = visible
            _ = WizardReducer.reduce(&state, .resized(Self.tooSmall))
            #expect(WizardReducer.reduce(&state, .key(.control("c"))) == [.quit], "\(screen)")
            #expect(state.isFinished)
        }
    }

    /// The y/N question cannot be seen while too small, so y must not answer it there; a second
    /// Ctrl-C (which the too-small screen asks for) does.
    @Test func anUnacknowledgedTokenNeedsASecondCtrlCWhileTooSmall() throws {
        var state = try #require(try Self.screens().first { $0.0 == "token" }).1
        _ = WizardReducer.reduce(&state, .resized(Self.tooSmall))
        #expect(WizardReducer.reduce(&state, .key(.control("c"))).isEmpty)
        #expect(state.isConfirmingQuit && !state.isFinished)
        let asking = state
        #expect(WizardReducer.reduce(&state, .key(.character("y"))).isEmpty)
        #expect(WizardReducer.reduce(&state, .key(.character("n"))).isEmpty)
        #expect(state == asking, "no key but Ctrl-C answers while the question is hidden")
        #expect(WizardReducer.reduce(&state, .key(.control("c"))) == [.quit])
        #expect(state.isFinished)
    }

    /// Found by the monkey (seed 6999382725692996728): after a trip through tiny sizes the editor
    /// had scrolled to its cursor, so the screen differed from before although no key acted.
    @Test func aTripThroughTooSmallSizesLeavesTheScreenAsItWas() throws {
        var before = try #require(try Self.screens().first { $0.0 == "editor" }).1
        for _ in 0..<11 { _ = WizardReducer.reduce(&before, .key(.down)) }
        var after = before
        for size in [Size(columns: 60, rows: 19), Size(columns: 40, rows: 12), Size(columns: 10, rows: 3)] {
            _ = WizardReducer.reduce(&after, .resized(size))
        }
        _ = WizardReducer.reduce(&after, .resized(before.size))
        #expect(after.editor == before.editor)
    }

    @Test func effectResultsStillArriveWhileTooSmall() throws {
        var state = WizardState(target: Fixtures.sandboxTarget)
        _ = WizardReducer.reduce(&state, .resized(Self.tooSmall))
        _ = WizardReducer.reduce(&state, .connected(Fixtures.sandboxTarget, try Fixtures.card()))
        #expect(state.screen == .displayName)
    }
}
