namespace GaussQuant.Checkpoints.Pickle;

/// <summary>
/// An immutable Python tuple. Its hash is computed once, when it is built, from its elements' (O(1) each) hashes,
/// so using tuples as dictionary keys never recurses through deep nesting.
/// </summary>
internal sealed class PythonTuple
{
    public PythonTuple(object?[] items)
    {
        Items = items;
        var hash = new HashCode();
        foreach (var item in items)
        {
            if (!PythonKeyComparer.IsHashable(item)) { IsHashable = false; return; }
            hash.Add(PythonKeyComparer.Instance.GetHashCode(item ?? PythonKeyComparer.NoneKey));
        }
        Hash = hash.ToHashCode();
        IsHashable = true;
    }

    public object?[] Items { get; }

    public int Count => Items.Length;

    public object? this[int index] => Items[index];

    /// <summary>False when an element is a list or dict, as in Python (such a tuple cannot be a key).</summary>
    public bool IsHashable { get; }

    internal int Hash { get; }

    public override string ToString() => $"tuple of {Items.Length}";
}
