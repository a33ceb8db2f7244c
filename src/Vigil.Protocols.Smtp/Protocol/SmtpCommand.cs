namespace Vigil.Protocols.Smtp.Protocol;

/// <summary>A parsed command line: verb and the text after it (without the separating space).</summary>
public sealed record SmtpCommand(SmtpVerb Verb, string Argument);
