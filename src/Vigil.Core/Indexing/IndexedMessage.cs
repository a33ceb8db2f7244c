namespace Vigil.Core.Indexing;

/// <summary>The result of indexing one message: the summary kept for FETCH/SEARCH and the text
/// handed to the full-text index (decoded header values, and the decoded text of the body parts).</summary>
public sealed record IndexedMessage(MessageSummary Summary, string HeaderText, string BodyText);

/// <summary>The text of one message for the full-text index: decoded header values, and the decoded
/// text of the body parts.</summary>
public sealed record MessageText(string Headers, string Body);
