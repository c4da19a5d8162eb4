import RecordInput

/// Something in a loaded file that did not become a row, or the reason a file could not be read:
/// the same located problem push's readers report (line, optional column, message, described as
/// "line 3, column 7: …"), so the editor and push say it alike.
public typealias LoadProblem = InputError
