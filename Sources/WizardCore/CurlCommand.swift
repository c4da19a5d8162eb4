/// "Copy as curl" for a request the record editor sent: the same POST as a shell command line, with
/// the token left to the shell as `$STITCH_IMPORT_TOKEN` (the token never appears on screen).
public enum CurlCommand {
    /// The command for `part`. The body is inlined when the editor kept all of it; a longer one is
    /// read from `batch.json`, which the caller is told to write first.
    public static func text(for part: SentPart) -> String {
        var words = ["curl", "-sS", "-X", "POST", quoted(part.url),
                     "-H", "\"Authorization: Bearer $STITCH_IMPORT_TOKEN\"",
                     "-H", quoted("Content-Type: application/json")]
        words += ["--data-binary", part.previewIsWhole ? quoted(part.requestPreview) : "@batch.json"]
        return words.joined(separator: " ")
    }

    /// In single quotes, which the shell takes literally; a quote inside becomes `'\''`.
    public static func quoted(_ text: String) -> String {
        var result = "'"
        for character in text {
            if character == "'" { result += "'\\''" } else { result.append(character) }
        }
        return result + "'"
    }
}
