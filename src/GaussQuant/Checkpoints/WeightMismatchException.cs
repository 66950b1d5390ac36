namespace GaussQuant.Checkpoints;

/// <summary>
/// A checkpoint's tensors do not fit a module: every missing, unexpected and mis-shaped name is listed at once,
/// so one run shows the whole difference (a different config or architecture shows as few matches). An
/// <see cref="IOException"/> (InvalidDataException is sealed) so callers treat it like any other bad file.
/// </summary>
public sealed class WeightMismatchException : IOException
{
    private const int NamesShownPerList = 20;

    public WeightMismatchException(string source, int matched, int expected,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misshaped)
        : base(Compose(source, matched, expected, missing, unexpected, misshaped))
    {
        Matched = matched;
        Expected = expected;
        Missing = missing;
        Unexpected = unexpected;
        Misshaped = misshaped;
    }

    /// <summary>Module tensors found in the checkpoint with the right shape.</summary>
    public int Matched { get; }

    /// <summary>Tensors the module has.</summary>
    public int Expected { get; }

    /// <summary>Module tensors absent from the checkpoint, by checkpoint name.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Checkpoint tensors under the module's prefixes that the module does not have.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Tensors present in both with different shapes, as "name: checkpoint [..] vs model [..]".</summary>
    public IReadOnlyList<string> Misshaped { get; }

    private static string Compose(string source, int matched, int expected,
        IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> misshaped)
    {
        var lines = new List<string>
        {
            matched * 2 < expected
                ? $"{source}: does not look like a checkpoint of this model (different architecture or config?): only {matched} of {expected} expected tensors match"
                : $"{source}: the checkpoint does not fit the model: {matched} of {expected} expected tensors match",
        };
        AddList(lines, "missing", missing);
        AddList(lines, "unexpected", unexpected);
        AddList(lines, "wrong shape", misshaped);
        return string.Join(Environment.NewLine, lines);
    }

    private static void AddList(List<string> lines, string title, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return;
        lines.Add($"  {title} ({names.Count}):");
        lines.AddRange(names.Take(NamesShownPerList).Select(name => $"    {name}"));
        if (names.Count > NamesShownPerList) lines.Add($"    … and {names.Count - NamesShownPerList} more");
    }
}
