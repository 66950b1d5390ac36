namespace GaussQuant.Config;

/// <summary>Where a config value came from: a file position (1-based) or a command-line override.</summary>
public sealed record ConfigLocation(string Source, int Line = 0, int Column = 0)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}
