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
        connect.type("ac_typed")

        let working = WizardState(target: Fixtures.sandboxTarget)
        let home = try Reach.home()
        let displayName = try Reach.form(Fixtures.remoteTarget)
        let token = try Reach.token()
        var tokenSaving = token
        tokenSaving.send(.key(.character("s")))
        let editor = try Reach.editor()
        var destination = editor
        destination.send(.key(.control("d")))

        var unsupported = try Reach.home(Fixtures.remoteTarget)
        unsupported.send(.key(.enter), .reply(.sourceType(
            ReportCard(type: "import_api", currentStep: 1, steps: [ConnectionStep(type: .profile)]))))

        var failure = try Reach.home(Fixtures.remoteTarget)
        failure.send(.key(.enter), .reply(.failed(.fetchSourceType, WizardFailure(statusCode: 502, message: "Bad gateway"))))

        return [("connect", connect), ("working", working), ("home", home), ("display name", displayName), ("token", token),
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
        for _ in 0..<20 { _ = WizardReducer.reduce(&before, .key(.character("a"))) }  // rows past a page: the grid scrolled
        #expect(try #require(before.on(EditorScreen.self)).grid.firstRow > 0)
        var after = before
        for size in [Size(columns: 60, rows: 19), Size(columns: 40, rows: 12), Size(columns: 10, rows: 3)] {
            _ = WizardReducer.reduce(&after, .resized(size))
        }
        _ = WizardReducer.reduce(&after, .resized(before.size))
        #expect(after.on(EditorScreen.self) == before.on(EditorScreen.self))
    }

    @Test func effectResultsStillArriveWhileTooSmall() throws {
        var state = try Reach.home()
        state.send(.key(.enter), .resized(Self.tooSmall), .reply(.sourceType(try Fixtures.card())))
        #expect(state.on(FormScreen.self) != nil)
    }
}
