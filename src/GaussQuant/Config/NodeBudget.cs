namespace GaussQuant.Config;

/// <summary>
/// Caps the number of nodes one config may create, counting YAML aliases and interpolations that copy subtrees,
/// so a "billion laughs" file ends in a clear error instead of exhausting memory.
/// </summary>
internal sealed class NodeBudget(string source)
{
    public const int MaxNodes = 1_000_000;

    private int created;

    public void Spend(ConfigLocation location)
    {
        if (++created > MaxNodes)
            throw new ConfigException($"{source}: the config expands to more than {MaxNodes} values (aliases or interpolations copying themselves?)", location);
    }
}
