namespace GaussQuant.Config;

/// <summary>A node of a config tree as YAML gives it: a mapping, a sequence or a scalar, with where it came from.</summary>
public abstract class ConfigNode(ConfigLocation location)
{
    public ConfigLocation Location { get; } = location;

    /// <summary>A deep copy; <paramref name="budget"/> counts the nodes created, so copies cannot grow without bound.</summary>
    internal abstract ConfigNode Clone(NodeBudget budget);
}
