namespace Vigil.Protocols.Pop3.Protocol;

/// <summary>One parsed command line. <see cref="Argument"/> is everything after the keyword and
/// its separating space, unchanged (PASS may contain spaces, RFC 1939 §7);
/// <see cref="Arguments"/> is the same text split on single spaces.</summary>
public sealed record Pop3Command(Pop3Verb Verb, string Keyword, string Argument)
{
    public IReadOnlyList<string> Arguments { get; } =
        Argument.Length == 0 ? [] : Argument.Split(' ');
}
