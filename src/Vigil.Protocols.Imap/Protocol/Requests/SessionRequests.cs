namespace Vigil.Protocols.Imap.Protocol.Requests;

public sealed record LoginRequest(string User, string Password) : ImapRequest;

/// <summary>AUTHENTICATE with an optional SASL-IR initial response (RFC 4959; "=" is an empty one).</summary>
public sealed record AuthenticateRequest(string Mechanism, string? InitialResponse) : ImapRequest;

public sealed record EnableRequest(IReadOnlyList<string> Capabilities) : ImapRequest;

/// <summary>RFC 2971 ID; null parameters stands for NIL.</summary>
public sealed record IdRequest(IReadOnlyList<KeyValuePair<string, string?>>? Parameters) : ImapRequest;

public sealed record CompressRequest(string Mechanism) : ImapRequest;
