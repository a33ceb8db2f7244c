namespace Vigil.Core.Model;

/// <summary>A mail domain this server is the final destination for.</summary>
public sealed record Domain(long Id, string Name, DateTimeOffset Created);
