namespace GaussQuant.Config;

/// <summary>A YAML sequence (list).</summary>
public sealed class ConfigSequence(ConfigLocation location) : ConfigNode(location)
{
    private readonly List<ConfigNode> items = [];

    public IReadOnlyList<ConfigNode> Items => items;

    internal void Add(ConfigNode item) => items.Add(item);

    internal void Replace(int index, ConfigNode item) => items[index] = item;

    internal override ConfigNode Clone(NodeBudget budget)
    {
        budget.Spend(Location);
        var copy = new ConfigSequence(Location);
        foreach (var item in items) copy.Add(item.Clone(budget));
        return copy;
    }
}
