namespace GaussQuant.Tokens;

/// <summary>An input left out of a tokens file, and why.</summary>
public sealed record SkippedInput(string File, string Reason);
