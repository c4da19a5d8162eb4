import StitchAPI
import TerminalUI
import WizardCore

/// A screen's view: pure, the screen model and the session in, cells out. Each screen model of
/// WizardCore conforms in its own file here.
protocol ScreenView {
    func render(into frame: inout Frame, in area: Rect, context: ViewContext)
}

/// What a screen's view may read besides its own model.
struct ViewContext {
    var session: WizardSession
    /// Ctrl-C asked whether to quit (the screen holds a secret shown once).
    var isConfirmingQuit: Bool
}

/// The wizard's view: `(state, size) -> frame`. Pure, so every screen is a golden test.
public enum WizardView {
    /// The reducer enforces the same constant: below it, keys other than Ctrl-C do nothing.
    public static let minimumSize = WizardState.minimumSize

    public static func render(_ state: WizardState, size: Size) -> Frame {
        var frame = Frame(size: size)
        guard size.fits(minimumSize) else {
            TooSmallView.render(into: &frame, size: size, minimum: minimumSize,
                                isConfirmingQuit: state.isConfirmingQuit)
            return frame
        }
        let body = Chrome.render(state, into: &frame)
        if let view = state.screen as? any ScreenView {
            view.render(into: &frame, in: body, context: ViewContext(session: state.session, isConfirmingQuit: state.isConfirmingQuit))
        }
        HelpBar.render(HelpBar.bindings(for: state), into: &frame)
        return frame
    }
}

/// "Terminal too small" in place of any screen; the same constants are enforced above and in
/// the reducer. Every line wraps at word boundaries, and in a tiny window a shorter wording is
/// chosen on purpose, so the reason and the way out (Ctrl-C) are always whole words.
enum TooSmallView {
    typealias Paragraph = (text: String, style: Style)

    static func render(into frame: inout Frame, size: Size, minimum: Size, isConfirmingQuit: Bool) {
        let width = max(1, size.columns - 2)
        let need = "\(minimum.columns)×\(minimum.rows)"
        let variants: [[Paragraph]] = isConfirmingQuit
            ? [
                [("Terminal too small", .warning), ("need \(need), have \(size)", .plain),
                 ("The access token has not been stored and cannot be shown again. Press Ctrl-C again to quit anyway, "
                  + "or enlarge the window.", .error)],
                [("Terminal too small (need \(need)).", .warning),
                 ("Token not stored: Ctrl-C again quits anyway.", .error)],
                [("Too small", .warning), ("Token not stored! Ctrl-C again quits", .error)],
                [("Too small", .warning), ("Ctrl-C again quits", .error)],
            ]
            : [
                [("Terminal too small", .warning), ("need \(need), have \(size)", .plain),
                 ("Enlarge the window, or press Ctrl-C to quit.", .plain)],
                [("Terminal too small (need \(need)).", .warning), ("Ctrl-C quits.", .plain)],
                [("Too small", .warning), ("Ctrl-C quits", .plain)],
            ]
        let laidOut = variants.map { paragraphs in
            paragraphs.flatMap { paragraph in DisplayWidth.wrap(paragraph.text, width: width).map { ($0, paragraph.style) } }
        }
        let lines = Array((laidOut.first { $0.count <= size.rows } ?? laidOut[laidOut.count - 1]).prefix(size.rows))
        let top = max(0, (size.rows - lines.count) / 2)
        for (offset, (line, style)) in lines.enumerated() {
            let column = max(0, (size.columns - DisplayWidth.of(line)) / 2)
            frame.put(line, row: top + offset, column: column, style: style)
        }
    }
}
