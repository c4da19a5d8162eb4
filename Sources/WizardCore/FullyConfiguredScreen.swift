import StitchAPI

/// `fully_configured`: for an Import API source the token step (or, with a saved token, the
/// record editor at once, creating nothing); for any other type a summary of the source.
public enum FullyConfiguredScreen {
    public static func screen(card: ReportCard, session: WizardSession) -> any ScreenModel {
        guard let source = session.source else {
            // The 2022 variant of the source-type card starts at fully_configured; a source is
            // still needed, so it is created from a form with the display name alone.
            return FormScreen(card: card, source: nil, session: session)
        }
        guard source.type == "import_api" else { return SourceSummaryScreen(source: source) }
        if session.token != nil { return EditorScreen(session: session) }
        return TokenScreen(sourceID: source.id)
    }
}
