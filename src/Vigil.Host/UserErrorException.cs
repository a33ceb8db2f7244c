namespace Vigil.Host;

/// <summary>A mistake the user can fix; the CLI prints its message as one line, no stack trace.</summary>
public sealed class UserErrorException(string message) : Exception(message);
