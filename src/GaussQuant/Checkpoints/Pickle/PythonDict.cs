namespace GaussQuant.Checkpoints.Pickle;

/// <summary>A Python dict (also <c>OrderedDict</c> and <c>defaultdict</c>): keys keep their insertion order.</summary>
internal sealed class PythonDict
{
    private readonly OrderedDictionary<object, object?> entries = new(PythonKeyComparer.Instance);

    public int Count => entries.Count;

    public IEnumerable<KeyValuePair<object?, object?>> Items =>
        entries.Select(pair => KeyValuePair.Create(ReferenceEquals(pair.Key, PythonKeyComparer.NoneKey) ? null : pair.Key, pair.Value));

    /// <summary>Sets <paramref name="key"/>; a key that cannot be hashed (a list, a dict) makes the pickle invalid, as in Python.</summary>
    public void Set(object? key, object? value)
    {
        if (!PythonKeyComparer.IsHashable(key))
            throw new InvalidDataException($"a dictionary key is unhashable ({PythonValues.Describe(key)})");
        entries[key ?? PythonKeyComparer.NoneKey] = value;
    }

    public bool TryGet(string key, out object? value) => entries.TryGetValue(key, out value);

    public override string ToString() => $"dict of {Count}";
}
