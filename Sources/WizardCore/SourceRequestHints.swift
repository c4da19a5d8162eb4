/// What to do about a failed request for one source's steps (its card, check or streams), when
/// the runner had no hint of its own (it has them for 401 and 5xx).
extension WizardFailure {
    func hinted(forSource id: Int) -> WizardFailure {
        guard hint == nil else { return self }
        var failure = self
        switch statusCode {
        case 403?:
            failure.hint = "The Connect token is not allowed to do this for source \(id); check which account it belongs to."
        case 404?:
            failure.hint = "Source \(id) was not found: it may have been deleted. Go back (esc) and choose another."
        case 400?:
            // The message names what was refused (the streams' invalid_fields); nothing to add.
            break
        case nil:
            failure.hint = "Check the connection to the Connect API, then retry (r)."
        default:
            failure.hint = "Retry (r), or go back (esc)."
        }
        return failure
    }
}
