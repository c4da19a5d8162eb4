import StitchAPI
import TerminalUI

/// The first screen against a real Stitch: the Connect token and where to send requests.
public struct ConnectForm: Sendable, Equatable {
    public enum Field: Int, Sendable, CaseIterable {
        case token, connectURL, importURL
    }

    public var token: TextField
    public var connectURL: TextField
    public var importURL: TextField
    public var focus: Field = .token
    public var error: String?
    /// The target being checked after Enter; the form stays on screen until the check answers.
    public var pending: WizardTarget?

    public var isChecking: Bool { pending != nil }

    public init(target: WizardTarget) {
        token = TextField(text: target.connectToken, placeholder: "paste your Connect API token", isMasked: true)
        connectURL = TextField(text: target.connectBaseURL)
        importURL = TextField(text: target.importBaseURL)
    }

    /// The region whose base URL the Import URL field holds, if any.
    public var region: ImportRegion? {
        ImportRegion.allCases.first { $0.baseURL == importURL.text.trimmed }
    }

    mutating func cycleRegion() {
        let regions = ImportRegion.allCases
        let next = region.flatMap { regions.firstIndex(of: $0) }.map { regions[($0 + 1) % regions.count] } ?? regions[0]
        importURL = TextField(text: next.baseURL)
    }

    mutating func moveFocus(by offset: Int) {
        let fields = Field.allCases
        focus = fields[(focus.rawValue + offset + fields.count) % fields.count]
    }

    mutating func handle(_ key: Key) -> Bool {
        switch focus {
        case .token: token.handle(key)
        case .connectURL: connectURL.handle(key)
        case .importURL: importURL.handle(key)
        }
    }

    /// The target this form describes, or the reason it is not usable yet.
    func validatedTarget(isSandbox: Bool) -> Result<WizardTarget, FormProblem> {
        let token = token.text.trimmed
        if token.isEmpty { return .failure(FormProblem(field: .token, message: "Enter your Connect API token.")) }
        if connectURL.text.trimmed.isEmpty {
            return .failure(FormProblem(field: .connectURL, message: "Enter the Connect API base URL."))
        }
        if importURL.text.trimmed.isEmpty {
            return .failure(FormProblem(field: .importURL, message: "Enter the Import API base URL (Ctrl-R picks a region)."))
        }
        return .success(WizardTarget(connectBaseURL: connectURL.text.trimmed, connectToken: token,
                                     importBaseURL: importURL.text.trimmed, isSandbox: isSandbox))
    }

    struct FormProblem: Error {
        var field: Field
        var message: String
    }
}

extension String {
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
