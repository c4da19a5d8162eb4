/// How a cell is drawn: colours plus the attributes every terminal supports.
///
/// The named roles are chosen so they stay distinguishable when colours are off (`NO_COLOR`):
/// each role that matters for interaction also carries bold, dim, reverse or underline.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(
        foreground: Color = .default,
        background: Color = .default,
        bold: Bool = false,
        dim: Bool = false,
        reverse: Bool = false,
        underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// True when a space in this style looks exactly like an unstyled space.
    public var isInvisibleOnBlank: Bool {
        background == .default && !reverse && !underline
    }
}

// MARK: - Roles

extension Style {
    /// Ordinary text.
    public static let plain = Style()
    /// Screen and box titles.
    public static let title = Style(foreground: .cyan, bold: true)
    /// Emphasis inside ordinary text: step names, values the user should notice.
    public static let accent = Style(foreground: .cyan)
    /// Secondary text: hints, placeholders, descriptions, line numbers.
    public static let muted = Style(dim: true)
    /// Validation and request errors.
    public static let error = Style(foreground: .red, bold: true)
    /// Completed steps and successful results.
    public static let success = Style(foreground: .green, bold: true)
    /// Warnings that need attention but do not block.
    public static let warning = Style(foreground: .yellow, bold: true)
    /// The focused field or the highlighted list row.
    public static let selected = Style(bold: true, reverse: true)
    /// The editable area of a text field or text area.
    public static let input = Style(underline: true)
    /// The key in a help bar entry ("enter").
    public static let helpKey = Style(foreground: .cyan, bold: true)
    /// The action in a help bar entry ("next").
    public static let helpText = Style(dim: true)
    /// A secret shown once (the import token): loud so it is not missed.
    public static let secret = Style(foreground: .magenta, bold: true)
}

// MARK: - Modifiers

extension Style {
    public func withForeground(_ color: Color) -> Style {
        var copy = self
        copy.foreground = color
        return copy
    }

    public func withBackground(_ color: Color) -> Style {
        var copy = self
        copy.background = color
        return copy
    }

    public func bolded(_ on: Bool = true) -> Style {
        var copy = self
        copy.bold = on
        return copy
    }

    public func dimmed(_ on: Bool = true) -> Style {
        var copy = self
        copy.dim = on
        return copy
    }

    public func reversed(_ on: Bool = true) -> Style {
        var copy = self
        copy.reverse = on
        return copy
    }

    public func underlined(_ on: Bool = true) -> Style {
        var copy = self
        copy.underline = on
        return copy
    }
}
