namespace GaussQuant.Config;

/// <summary>
/// Caps the number of nodes one config may create, counting YAML aliases and interpolations that copy subtrees,
/// and the characters of interpolated strings, so a "billion laughs" file ends in a clear error instead of exhausting memory.
/// </summary>
internal sealed class NodeBudget(string source)
{
    public const int MaxNodes = 1_000_000;

    /// <summary>Characters all interpolated strings may hold together: copying a long string into ever longer ones grows exponentially in few nodes.</summary>
    public const long MaxCharacters = 16L << 20;

    private int created;
    private long characters;

    public void SpendCharacters(long count, ConfigLocation location)
    {
        characters += count;
        if (characters > MaxCharacters)
            throw new ConfigException(
                $"{source}: interpolated strings in the config add up to more than {MaxCharacters} characters (strings built from copies of themselves?)", location);
    }

    public void Spend(ConfigLocation location)
    {
        if (++created > MaxNodes)
            throw new ConfigException($"{source}: the config expands to more than {MaxNodes} values (aliases or interpolations copying themselves?)", location);
    }
}
