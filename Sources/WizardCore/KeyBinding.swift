import TerminalUI

/// One entry of the help bar: the key as printed and what it does.
public struct KeyHelp: Sendable, Equatable {
    public var key: String
    public var action: String

    public init(key: String, action: String) {
        self.key = key
        self.action = action
    }
}

/// Keys and what they do on a screen, as one value: a screen's key handling looks its
/// bindings up by key, and the help bar lists the same values, so the bar cannot name a key
/// that does nothing or miss one that acts (bubbles' `key.Binding`).
public struct KeyBinding<Action: Sendable & Equatable>: Sendable, Equatable {
    /// Every key that triggers the action; the help names them together.
    public var keys: [Key]
    public var help: KeyHelp
    public var action: Action
    /// False for aliases that act but would only crowd the bar (Down beside Tab).
    public var isListed: Bool

    public init(_ keys: [Key], _ key: String, _ description: String, _ action: Action, listed: Bool = true) {
        self.keys = keys
        help = KeyHelp(key: key, action: description)
        self.action = action
        isListed = listed
    }

    public func matches(_ key: Key) -> Bool {
        keys.contains(key) || keys.contains { candidate in
            // Letters bind both cases: a Caps Lock must not disable a screen's keys.
            if case .character(let bound) = candidate, case .character(let typed) = key {
                return bound.isLetter && bound.lowercased() == typed.lowercased()
            }
            return false
        }
    }
}

/// Ctrl-C quits from every screen; the parent handles it, the help bar ends with it.
public let quitHelp = KeyHelp(key: "ctrl-c", action: "quit")

extension KeyBinding {
    /// The same keys and help for the parent's action: a screen made of panels lists each
    /// panel's bindings as its own (the record editor's grid, schema, history…).
    public func map<Parent>(_ transform: (Action) -> Parent) -> KeyBinding<Parent> {
        KeyBinding<Parent>(keys, help.key, help.action, transform(action), listed: isListed)
    }
}
