namespace GaussQuant.Config;

/// <summary>A YAML mapping with string keys, in file order.</summary>
public sealed class ConfigMapping(ConfigLocation location) : ConfigNode(location)
{
    private readonly OrderedDictionary<string, ConfigNode> entries = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, ConfigNode>> Entries => entries;

    public IEnumerable<string> Keys => entries.Keys;

    public int Count => entries.Count;

    public ConfigNode? this[string key] => entries.GetValueOrDefault(key);

    public bool ContainsKey(string key) => entries.ContainsKey(key);

    /// <summary>Adds or replaces <paramref name="key"/>, keeping the position of a replaced key.</summary>
    internal void Set(string key, ConfigNode value) => entries[key] = value;

    internal override ConfigNode Clone(NodeBudget budget)
    {
        budget.Spend(Location);
        var copy = new ConfigMapping(Location);
        foreach (var (key, value) in entries) copy.Set(key, value.Clone(budget));
        return copy;
    }
}
