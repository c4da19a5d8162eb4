import Foundation
import StitchAPI
import Testing
import TerminalUI
@testable import WizardCore

/// The token step (issue 7, item 3): list first, revoke one at the limit of two (the user picks),
/// generate, show once; a 401 from the Import API in the editor offers a new token. Both modes.
struct TokenFlowTests {
    static let sourceID = 126890
    static let target = Fixtures.sandboxTarget

    /// The token screen of a source just created, its list requested.
    static func listing() throws -> WizardState {
        var state = try Reach.form()
        state.send(.key(.enter))
        let effects = state.send(.reply(.source(try Fixtures.source())))
        guard effects == [.listTokens(sourceID: sourceID, via: target)] else { throw Reach.ReachError.unexpected("\(effects)") }
        return state
    }

    /// The documented shapes of `GET /v4/sources/{id}/tokens`, decoded as the client decodes them.
    static let objectShape = #"[{"token_id": 828705046, "created_at": "2021-08-12T15:22:12Z"}, {"token_id": 815713587, "created_at": "2021-07-01T09:00:00Z"}]"#
    static let idShape = "[828705046, 815713587]"

    static func list(_ json: String) throws -> TokenList {
        try JSONDecoder().decode(TokenList.self, from: Data(json.utf8))
    }

    /// The token screen at the limit (two active tokens, newest first as in the docs).
    static func atLimit(_ json: String = objectShape) throws -> WizardState {
        var state = try Self.listing()
        #expect(state.send(.reply(.tokens(sourceID: sourceID, try list(json)))).isEmpty, "nothing is generated at the limit")
        return state
    }

    static var screen: (WizardState) -> TokenScreen? { { $0.on(TokenScreen.self) } }

    @Test func underTheLimitATokenIsGeneratedAtOnce() throws {
        var state = try Self.listing()
        let one = TokenList(tokens: [TokenSummary(tokenID: 5, createdAt: nil)])
        #expect(state.send(.reply(.tokens(sourceID: Self.sourceID, one))) == [.createToken(sourceID: Self.sourceID, via: Self.target)])
        #expect(Self.screen(state)?.phase == .generating)
    }

    @Test(arguments: [objectShape, idShape])
    func atTheLimitTheUserPicksOneToRevokeThenATokenIsGenerated(json: String) throws {
        var state = try Self.atLimit(json)
        let choosing = try #require(Self.screen(state))
        #expect(choosing.phase == .choosing)
        #expect(choosing.tokens.map(\.tokenID) == [828705046, 815713587])
        #expect(choosing.selected == 1, "the oldest token is preselected")
        #expect(choosing.keyHelp(in: state.session).map(\.key) == ["enter", "↑↓", "esc"])

        state.send(.key(.up))
        #expect(Self.screen(state)?.selected == 0)
        #expect(state.send(.key(.enter)).isEmpty, "a pick is confirmed before anything is revoked")
        #expect(Self.screen(state)?.phase == .confirming(tokenID: 828705046))
        #expect(state.send(.key(.character("y"))) == [.revokeToken(sourceID: Self.sourceID, tokenID: 828705046, via: Self.target)])
        #expect(Self.screen(state)?.phase == .revoking(tokenID: 828705046))

        #expect(state.send(.reply(.tokenRevoked(sourceID: Self.sourceID, tokenID: 828705046)))
                == [.createToken(sourceID: Self.sourceID, via: Self.target)])
        state.send(.reply(.token(Fixtures.token)))
        #expect(Self.screen(state)?.token == Fixtures.token)
        #expect(Self.screen(state)?.notice == "Revoked token 828705046.")
        #expect(state.session.summary.lines == [
            "Created source 126890 (import_api), schema import_api",
            "Revoked token 828705046 of source 126890",
            "Generated Import API token 828792559 for source 126890",
        ])
        #expect(!state.session.summary.lines.joined().contains(Fixtures.token.accessToken))
    }

    @Test func theOldShapeListsBareIdsAndTheNewOneCreationTimes() throws {
        #expect(try Self.list(Self.idShape).tokens.map(TokenScreen.label(of:)) == ["token 828705046", "token 815713587"])
        #expect(try Self.list(Self.objectShape).tokens.map(TokenScreen.label(of:))
                == ["token 828705046 · created 2021-08-12T15:22:12Z", "token 815713587 · created 2021-07-01T09:00:00Z"])
    }

    @Test func noKeepsTheTokenAndEscGoesHome() throws {
        var state = try Self.atLimit()
        state.send(.key(.enter))
        #expect(state.send(.key(.character("n"))).isEmpty)
        #expect(Self.screen(state)?.phase == .choosing)
        state.send(.key(.enter))
        #expect(state.send(.key(.escape)).isEmpty)
        #expect(Self.screen(state)?.phase == .choosing, "Esc on the question keeps the token too")
        #expect(state.send(.key(.escape)) == [.fetchSourceTypes(via: Self.target), .fetchSources(via: Self.target)])
        #expect(state.on(StartScreen.self) != nil)
        #expect(!state.session.summary.lines.contains { $0.contains("Revoked") })
    }

    @Test func aStaleRevocationReplyIsIgnored() throws {
        var state = try Self.atLimit()
        state.send(.key(.enter), .key(.character("y")))
        #expect(state.send(.reply(.tokenRevoked(sourceID: Self.sourceID, tokenID: 828705046))).isEmpty)
        #expect(Self.screen(state)?.phase == .revoking(tokenID: 815713587))
    }

    // MARK: Line mode

    @Test func lineModeNumbersTheTokensAndAsksBeforeRevoking() throws {
        var state = try Self.atLimit()
        let prompt = try #require(Self.screen(state)).linePrompt(in: state.session)
        #expect(prompt.options == ["token 828705046 · created 2021-08-12T15:22:12Z", "token 815713587 · created 2021-07-01T09:00:00Z"])
        #expect(prompt.question == "Token to revoke (number or token id) [2]: ")
        #expect(prompt.lines.last?.contains("already has 2 active access tokens") == true)

        state.send(.line("7"))
        #expect(Self.screen(state)?.phase == .choosing)
        #expect(Self.screen(state)?.linePrompt(in: state.session).lines.first?.hasPrefix("Answer with a number from 1 to 2") == true)

        state.send(.line("828705046"))
        let confirm = try #require(Self.screen(state)).linePrompt(in: state.session)
        #expect(confirm.question == "Revoke token 828705046 of source 126890? [y/n]: ")
        #expect(state.send(.line("n")).isEmpty)
        #expect(Self.screen(state)?.phase == .choosing)

        #expect(Self.screen(state)?.linePrompt(in: state.session).question == "Token to revoke (number or token id) [1]: ",
                "the default is the last pick")
        state.send(.line(""))
        #expect(Self.screen(state)?.phase == .confirming(tokenID: 828705046), "empty takes the default in brackets")
        #expect(state.send(.line("y")) == [.revokeToken(sourceID: Self.sourceID, tokenID: 828705046, via: Self.target)])
        #expect(Self.screen(state)?.linePrompt(in: state.session).question == nil, "nothing to answer while revoking")
    }

    /// "y" to "Save the token to a new file?" saves; it used to skip to the editor (a `where` that
    /// guarded only "yes").
    @Test func lineModeYesToSavingAsksForThePath() throws {
        var state = try Reach.token()
        #expect(Self.screen(state)?.linePrompt(in: state.session).question == "Save the token to a new file? [y/n]: ")
        #expect(state.send(.line("y")).isEmpty)
        #expect(Self.screen(state)?.panel.isSaving == true)
        #expect(state.send(.line("")) == [.saveToken(Fixtures.token, path: "stitch-import-token-126890.txt")])
        state.send(.reply(.tokenSaved(path: "/home/me/stitch-import-token-126890.txt")))
        #expect(Self.screen(state)?.linePrompt(in: state.session).question == "Continue to the test batch? [y/n]: ")
        state.send(.line("y"))
        #expect(state.on(EditorScreen.self) != nil)
        #expect(state.session.summary.lines.last == "Saved token 828792559 to /home/me/stitch-import-token-126890.txt (mode 0600)")
    }

    @Test func lineModeNoToSavingGoesToTheEditor() throws {
        var state = try Reach.token()
        state.send(.line("n"))
        #expect(state.on(EditorScreen.self) != nil)
        #expect(state.session.token == Fixtures.token)
    }

    // MARK: Documented Connect errors on the token requests

    /// What the docs give every Connect request (spec §2.2), and the 400 the token endpoints name.
    static let documentedFailures: [WizardFailure] = [
        WizardFailure(statusCode: 401, code: "AccessDenied", message: "missing or invalid Connect API access token",
                      hint: "Check the Connect API token: it may be mistyped, revoked, or for another account."),
        WizardFailure(statusCode: 400, code: "InvalidId", message: "source not found (126890)"),
        WizardFailure(statusCode: 404, message: "Not Found"),
        WizardFailure(statusCode: 500, message: "Internal Server Error", hint: "Stitch had a problem on its side. Try again in a moment (r)."),
        WizardFailure(statusCode: 502, message: "Bad Gateway", hint: "Stitch had a problem on its side. Try again in a moment (r)."),
        WizardFailure(message: "Could not connect to 127.0.0.1:8787 — is the server running? (connection refused)"),
    ]

    func expectFailureScreen(_ state: inout WizardState, title: String, failure: WizardFailure) throws {
        let screen = try #require(state.on(FailureScreen.self), "\(failure)")
        #expect(screen.title == title)
        #expect(screen.failure == failure)
        #expect(screen.stage == .token)
        var retried = state
        #expect(retried.send(.key(.character("r"))) == [.listTokens(sourceID: Self.sourceID, via: Self.target)],
                "retry starts over from the list")
        #expect(state.send(.key(.escape)) == [.fetchSourceTypes(via: Self.target), .fetchSources(via: Self.target)])
    }

    @Test(arguments: documentedFailures)
    func listingFailuresAreShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.listing()
        #expect(state.send(.reply(.failed(.listTokens, failure))).isEmpty)
        try expectFailureScreen(&state, title: "Could not list the source's access tokens", failure: failure)
    }

    @Test(arguments: documentedFailures + [WizardFailure(statusCode: 400, code: "InvalidId", message: "token not found (815713587)")])
    func revocationFailuresAreShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.atLimit()
        state.send(.key(.enter), .key(.character("y")))
        #expect(state.send(.reply(.failed(.revokeToken, failure))).isEmpty)
        try expectFailureScreen(&state, title: "Could not revoke token 815713587", failure: failure)
        #expect(state.session.summary.lines.allSatisfy { !$0.contains("Revoked") })
    }

    @Test(arguments: documentedFailures)
    func generationFailuresAreShownWithRetry(failure: WizardFailure) throws {
        var state = try Self.listing()
        state.send(.reply(.tokens(sourceID: Self.sourceID, TokenList(tokens: []))))
        #expect(state.send(.reply(.failed(.createToken, failure))).isEmpty)
        try expectFailureScreen(&state, title: "Could not generate an access token", failure: failure)
    }

    /// The limit's error is undocumented [?] (the sandbox answers 400 InvalidToken): a 400 on
    /// generating lists again, and a limit reached meanwhile is offered a revocation.
    @Test func aLimitReachedMeanwhileIsOfferedARevocation() throws {
        var state = try Self.listing()
        state.send(.reply(.tokens(sourceID: Self.sourceID, TokenList(tokens: [TokenSummary(tokenID: 3)]))))
        let refusal = WizardFailure(statusCode: 400, code: "InvalidToken",
                                    message: "source 126890 already has 2 active access tokens; revoke one before generating another")
        #expect(state.send(.reply(.failed(.createToken, refusal))) == [.listTokens(sourceID: Self.sourceID, via: Self.target)])
        state.send(.reply(.tokens(sourceID: Self.sourceID, TokenList(tokens: [TokenSummary(tokenID: 4), TokenSummary(tokenID: 3)]))))
        let screen = try #require(Self.screen(state))
        #expect(screen.phase == .choosing)
        #expect(screen.notice == "HTTP 400: " + refusal.message)
    }

    @Test func anotherRefusalIsShownAsItCameWithoutLooping() throws {
        var state = try Self.listing()
        state.send(.reply(.tokens(sourceID: Self.sourceID, TokenList(tokens: []))))
        let refusal = WizardFailure(statusCode: 400, code: "InvalidBody", message: "access tokens exist only for import_api sources")
        #expect(state.send(.reply(.failed(.createToken, refusal))) == [.listTokens(sourceID: Self.sourceID, via: Self.target)])
        #expect(state.send(.reply(.tokens(sourceID: Self.sourceID, TokenList(tokens: [])))).isEmpty, "not generated a second time")
        try expectFailureScreen(&state, title: "Could not generate an access token", failure: refusal)
    }

    // MARK: A 401 from the Import API in the editor

    /// The Import API's refusal of the batch the `.sendPart` among `effects` sent.
    static func refused(_ status: Int, _ effects: [WizardEffect]) throws -> WizardEvent {
        try Editing.reply(to: effects, status: status, body: #"{"message":"Not Authorized"}"#, latency: .milliseconds(3))
    }

    @Test func aRefusedTokenOffersANewOne() throws {
        var state = try Reach.editor()
        #expect(state.on(EditorScreen.self)?.keyHelp(in: state.session).contains { $0.key == "ctrl-t" } == false)
        #expect(state.send(.key(.control("t"))).isEmpty, "no new token before a refusal")
        #expect(state.on(EditorScreen.self) != nil)

        let sent = state.send(.key(.control("s")))
        guard Editing.sendPart(in: sent) != nil else { Issue.record("no batch sent"); return }
        state.send(try Self.refused(401, sent))
        #expect(state.on(EditorScreen.self)?.keyHelp(in: state.session).contains(KeyHelp(key: "ctrl-t", action: "new token")) == true)
        #expect(state.send(.key(.control("t"))) == [.listTokens(sourceID: Self.sourceID, via: Self.target)])
        #expect(Self.screen(state)?.phase == .listing)

        // The new token replaces the refused one once acknowledged; the editor comes back as it was.
        let fresh = ImportAccessToken(id: 828792600, accessToken: "at_FAKE_SECOND_TOKEN_FOR_TESTS_00000000")
        state.send(.reply(.tokens(sourceID: Self.sourceID, TokenList(tokens: [TokenSummary(tokenID: 828792559)]))),
                   .reply(.token(fresh)), .key(.character("y")))
        let editor = try #require(state.on(EditorScreen.self))
        #expect(state.session.token == fresh)
        #expect(editor.history.entries.count == 1, "the replies so far stay")
        #expect(!editor.offersNewToken, "the refusal is answered")
        let again = state.send(.key(.control("s")))
        guard case .sendPart(_, _, _, _, let token, _)? = Editing.sendPart(in: again) else { Issue.record("not sent"); return }
        #expect(token == fresh)
        state.send(try Self.refused(401, again))
        #expect(state.on(EditorScreen.self)?.offersNewToken == true, "a new refusal offers again")
    }

    @Test func escAtTheLimitGoesBackToTheEditorThatAsked() throws {
        var state = try Reach.editor()
        state.send(.key(.character("7")), .key(.enter))  // id 7 in the first cell
        let sent = state.send(.key(.control("s")))
        state.send(try Self.refused(401, sent), .key(.control("t")))
        let document = try #require((state.screen(as: TokenScreen.self)?.returnEditor)?.document)
        #expect(document.batch[0, 0] == .integer(7))
        state.send(.reply(.tokens(sourceID: Self.sourceID, try Self.list(Self.objectShape))))
        #expect(Self.screen(state)?.keyHelp(in: state.session).contains(KeyHelp(key: "esc", action: "editor")) == true)
        #expect(state.send(.key(.escape)).isEmpty)
        #expect(state.on(EditorScreen.self)?.document == document)
        #expect(state.on(EditorScreen.self)?.offersNewToken == true, "no new token was made")
    }

    @Test(arguments: [400, 403, 413, 503])
    func otherRefusalsOfferNoNewToken(status: Int) throws {
        var state = try Reach.editor()
        let sent = state.send(.key(.control("s")))
        state.send(try Self.refused(status, sent))
        #expect(state.on(EditorScreen.self)?.offersNewToken == false)
        #expect(state.send(.key(.control("t"))).isEmpty)
        #expect(state.on(EditorScreen.self)?.linePrompt(in: state.session).question == "Send it again? [y/n]: ")
    }

    @Test func aSavedTokenRefusedWithA401LeadsToANewOneInLineMode() throws {
        var state = WizardState(target: Self.target, start: .existingSource(id: Self.sourceID),
                                token: ImportAccessToken(id: 0, accessToken: "at_FAKE_SAVED_TOKEN_0000000000000000000"))
        _ = state.start()
        state.send(.reply(.source(try Fixtures.source())))
        #expect(state.on(EditorScreen.self) != nil)
        let sent = state.send(.line("y"))
        state.send(try Self.refused(401, sent))
        let prompt = try #require(state.on(EditorScreen.self)).linePrompt(in: state.session)
        #expect(prompt.question == "Generate a new token? [y/n]: ")
        #expect(prompt.lines.contains { $0.contains("refused the token (401)") })
        #expect(state.send(.line("y")) == [.listTokens(sourceID: Self.sourceID, via: Self.target)])
        #expect(Self.screen(state) != nil)
        #expect(state.session.summary.entries == [.batchesSent(accepted: 0, total: 1)], "nothing created so far")
    }
}
