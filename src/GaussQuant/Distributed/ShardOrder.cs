namespace GaussQuant.Distributed;

/// <summary>
/// Checks that a set of shard outputs is every shard of one job, each once, back to back, and puts them in shard
/// order (<c>gq merge</c> over token or evaluation shards).
/// </summary>
public static class ShardOrder
{
    /// <param name="shards">The outputs with their names (file paths, for the messages) in any order.</param>
    /// <param name="extentOf">An output's shard entry; null when it is no shard (a whole run's output).</param>
    /// <param name="difference">What differs between two outputs that one job's shards share (model, options), or null.</param>
    /// <exception cref="InvalidDataException">a shard is missing, given twice, overlaps another, or belongs to another job.</exception>
    public static IReadOnlyList<(string Name, T Output)> Check<T>(IReadOnlyList<(string Name, T Output)> shards, Func<T, ShardExtent?> extentOf,
        Func<T, T, string?> difference)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
            throw new ArgumentException("no shards to merge were named");
        foreach (var (name, _) in shards.Where(shard => extentOf(shard.Output) is null))
            throw new InvalidDataException($"{name} is not a shard (it has no shard entry): it is the output of a whole run already");
        var (firstName, first) = shards[0];
        var job = extentOf(first)!;
        foreach (var (name, output) in shards.Skip(1))
        {
            var extent = extentOf(output)!;
            if (extent.Count != job.Count || extent.Total != job.Total)
                throw new InvalidDataException(
                    $"{name} is shard {extent.Index}/{extent.Count} of {extent.Total} inputs, but {firstName} is shard {job.Index}/{job.Count} " +
                    $"of {job.Total}: they come from different jobs");
            if (difference(first, output) is string key)
                throw new InvalidDataException($"{name} and {firstName} differ in {key}: the shards were made with different models or options");
        }
        foreach (var twice in shards.GroupBy(shard => extentOf(shard.Output)!.Index).Where(group => group.Count() > 1))
            throw new InvalidDataException($"shard {twice.Key}/{job.Count} is given twice: {string.Join(", ", twice.Select(shard => shard.Name))}");
        var ordered = shards.OrderBy(shard => extentOf(shard.Output)!.Index).ToList();
        for (int index = 0; index < job.Count; index++)
            if (index >= ordered.Count || extentOf(ordered[index].Output)!.Index != index)
                throw new InvalidDataException($"shard {index}/{job.Count} is missing: merge needs all {job.Count} shards of the job");
        int expectedStart = 0;
        foreach (var (name, output) in ordered)
        {
            var extent = extentOf(output)!;
            if (extent.Start != expectedStart)
                throw new InvalidDataException(
                    $"{name} covers inputs {extent.Start}..{extent.End}, but the shards before it end at input {expectedStart}: the shards overlap or leave a gap");
            expectedStart = extent.End;
        }
        if (expectedStart != job.Total)
            throw new InvalidDataException($"the shards cover inputs 0..{expectedStart} of {job.Total}");
        return ordered;
    }
}
