import StitchAPI
import TerminalUI
import WizardCore

/// The wizard's view: `(state, size) -> frame`. Pure, so every screen is a golden test.
public enum WizardView {
    public static let minimumSize = Size(columns: 60, rows: 20)

    public static func render(_ state: WizardState, size: Size) -> Frame {
        var frame = Frame(size: size)
        guard size.columns >= minimumSize.columns, size.rows >= minimumSize.rows else {
            TooSmallView.render(into: &frame, size: size, minimum: minimumSize)
            return frame
        }
        let body = Chrome.render(state, into: &frame)
        switch state.screen {
        case .connect: ConnectView.render(state, into: &frame, in: body)
        case .working(let activity): WorkingView.render(activity, into: &frame, in: body)
        case .displayName: DisplayNameView.render(state, into: &frame, in: body)
        case .token: TokenView.render(state, into: &frame, in: body)
        case .editor: EditorView.render(state, into: &frame, in: body)
        case .destination: DestinationTableView.render(state, into: &frame, in: body)
        case .unsupportedStep(let step): UnsupportedStepView.render(step, state, into: &frame, in: body)
        case .failure(let failure): FailureView.render(failure, into: &frame, in: body)
        }
        HelpBar.render(HelpBar.bindings(for: state), into: &frame)
        return frame
    }
}

/// "Terminal too small" in place of any screen; the same constants are enforced above.
enum TooSmallView {
    static func render(into frame: inout Frame, size: Size, minimum: Size) {
        let lines = [
            "Terminal too small",
            "need \(minimum.columns)×\(minimum.rows), have \(size.columns)×\(size.rows)",
            "Enlarge the window, or press Ctrl-C to quit.",
        ]
        let top = max(0, (size.rows - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < size.rows {
            let wrapped = DisplayWidth.truncate(line, toWidth: size.columns)
            let column = max(0, (size.columns - DisplayWidth.of(wrapped)) / 2)
            frame.put(wrapped, row: top + offset, column: column, style: offset == 0 ? .warning : .plain)
        }
    }
}
